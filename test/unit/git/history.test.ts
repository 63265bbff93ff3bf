import * as assert from 'node:assert/strict';
import { ensureCli, OTHER, places, Repo, SECRET, THIRD } from './repo';

describe('scan --history (real git)', function () {
  this.timeout(30000);
  let repo: Repo;

  before(ensureCli);
  beforeEach(() => {
    repo = new Repo();
  });
  afterEach(() => repo.remove());

  it('reports a secret a later commit removed, once, at the first commit that added it', () => {
    const first = repo.commit('add key', { 'app.ts': `const token1 = "${SECRET}";\n` });
    repo.commit('move it', { 'app.ts': `// moved\n\nconst token1 = "${SECRET}";\n` });
    repo.git('mv', 'app.ts', 'main.ts');
    repo.commit('rename');
    repo.commit('copy it', { 'other.ts': `const token1 = "${SECRET}";\n` });
    const second = repo.commit('another', { 'main.ts': `// moved\n\nconst token2 = "${OTHER}";\n` });
    repo.git('rm', '-q', 'main.ts', 'other.ts');
    repo.commit('remove all');
    const result = repo.cli(['scan', '--history']);
    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(places(result.stdout), [`${first.slice(0, 12)}:app.ts:1 generic-secret`, `${second.slice(0, 12)}:main.ts:3 generic-secret`]);
    // The tree scan finds nothing: the keys are only in history.
    assert.equal(repo.cli(['scan']).status, 0);
  });

  it('says commit, author and date in JSON, and the repository and commit in SARIF, without credentials', () => {
    const sha = repo.commit('add key', { 'app.ts': `const token1 = "${SECRET}";\n` });
    repo.git('remote', 'add', 'origin', 'https://ci-bot:ghp_notarealtoken@github.example/acme/app.git');
    const [json] = JSON.parse(repo.cli(['scan', '--history', '--format', 'json']).stdout);
    assert.equal(json.commit, sha);
    assert.equal(json.author, 'Ada Lovelace <ada@example.com>');
    assert.equal(json.date, '2024-05-01T12:00:00+00:00');
    assert.match(json.fingerprint, /^scrypt:[0-9a-f]{32}$/);
    const sarifText = repo.cli(['scan', '--history', '--format', 'sarif']).stdout;
    assert.ok(!sarifText.includes('notarealtoken') && !sarifText.includes('ci-bot'), 'the remote credentials stay out');
    const run = JSON.parse(sarifText).runs[0];
    assert.deepEqual(run.versionControlProvenance, [
      { repositoryUri: 'https://github.example/acme/app.git', revisionId: sha, branch: 'main', mappedTo: { uriBaseId: '%SRCROOT%' } },
    ]);
    assert.equal(run.results[0].properties.commit, sha);
    assert.match(run.results[0].message.text, new RegExp(`Added in commit ${sha.slice(0, 12)} by Ada Lovelace`));
  });

  it('scans only the range it is given', () => {
    repo.commit('old', { 'a.ts': `const token1 = "${SECRET}";\n` });
    repo.git('branch', 'base');
    const newer = repo.commit('new', { 'b.ts': `const token2 = "${OTHER}";\n` });
    assert.deepEqual(places(repo.cli(['scan', '--history', 'base..HEAD']).stdout), [`${newer.slice(0, 12)}:b.ts:1 generic-secret`]);
    assert.equal(repo.cli(['scan', '--history', 'HEAD..HEAD']).status, 0);
    const bad = repo.cli(['scan', '--history', 'no-such-branch..HEAD']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /no-such-branch/);
    const option = repo.cli(['scan', '--history', '--', '--output=/tmp/x']);
    assert.equal(option.status, 2, 'an option is never passed to git as a revision');
    assert.match(option.stderr, /not a revision range/);
  });

  it('is empty in a repository without commits', () => {
    const result = repo.cli(['scan', '--history']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '');
  });

  it('credits a merge only with lines it adds itself: a conflict resolved with a new key, not the branches it joins', () => {
    const base = repo.commit('base', { 'config.ts': 'const a = 1;\nconst b = 2;\nconst c = 3;\n' });
    repo.git('checkout', '-q', '-b', 'side');
    const side = repo.commit('side key', {
      'config.ts': `const a = 1;\nconst token1 = "${SECRET}";\nconst c = 3;\n`,
      'side.ts': `const token2 = "${OTHER}";\n`,
    });
    repo.git('checkout', '-q', 'main');
    repo.commit('main edit', { 'config.ts': 'const a = 1;\nconst b = 22;\nconst c = 3;\n' });
    // A conflict: resolved by a line that neither side had, holding a third key.
    try {
      repo.git('merge', '-q', 'side');
    } catch {
      // the conflict is expected
    }
    repo.write('config.ts', `const a = 1;\nconst token3 = "${THIRD}";\nconst c = 3;\n`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-edit');
    const merge = repo.git('rev-parse', 'HEAD').trim();
    assert.deepEqual(places(repo.cli(['scan', '--history']).stdout), [
      `${side.slice(0, 12)}:config.ts:2 generic-secret`,
      `${side.slice(0, 12)}:side.ts:1 generic-secret`,
      `${merge.slice(0, 12)}:config.ts:2 generic-secret`,
    ]);
    // A clean merge adds nothing of its own.
    repo.git('checkout', '-q', '-b', 'clean', base);
    repo.commit('unrelated', { 'z.ts': 'const z = 1;\n' });
    repo.git('merge', '-q', '--no-edit', 'side');
    assert.deepEqual(places(repo.cli(['scan', '--history', 'main..clean']).stdout), []);
  });

  it('reads a history of more patch than the reader holds ahead of the scan, each secret at its commit, a file too large counted', () => {
    // 2 MB of code a commit: five of them are more than the reader thread may read ahead (8 MB), so it waits for the scan and goes on.
    const code = (seed: number) => Array.from({ length: 60_000 }, (_, line) => `export const value${seed}_${line} = ${line * seed};\n`).join('');
    const first = repo.commit('first', { 'a.ts': `${code(1)}const token1 = "${SECRET}";\n` });
    for (let seed = 2; seed <= 5; seed++) repo.commit(`code ${seed}`, { [`f${seed}.ts`]: code(seed) });
    repo.commit('too large', { 'huge.ts': `${code(6)}${code(7)}${code(8)}const token3 = "${THIRD}";\n` });
    const last = repo.commit('last', { 'z.ts': `const token2 = "${OTHER}";\n` });
    const result = repo.cli(['scan', '--history']);
    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(places(result.stdout), [`${first.slice(0, 12)}:a.ts:60001 generic-secret`, `${last.slice(0, 12)}:z.ts:1 generic-secret`]);
    assert.match(result.stderr, /skipped 1 changed file\(s\) over 5 MB/);
  });

  it('skips a file whose change git shows as binary, which the staged scan reads whole', () => {
    repo.commit('attributes', { '.gitattributes': 'keys.txt -diff\n' });
    repo.write('keys.txt', `token1 = "${SECRET}"\n`);
    repo.git('add', 'keys.txt');
    assert.deepEqual(places(repo.cli(['scan', '--staged']).stdout), ['keys.txt:1 generic-secret']);
    repo.commit('keys');
    assert.deepEqual(places(repo.cli(['scan', '--history']).stdout), []);
  });
});
