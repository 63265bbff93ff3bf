import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureCli, OTHER, places, Repo, SECRET, THIRD } from './repo';

describe('scan --staged (real git)', function () {
  this.timeout(30000);
  let repo: Repo;

  before(ensureCli);
  beforeEach(() => {
    repo = new Repo();
  });
  afterEach(() => repo.remove());

  it('works in a repository without commits, and with nothing staged', () => {
    const empty = repo.cli(['scan', '--staged']);
    assert.equal(empty.status, 0, empty.stderr);
    assert.equal(empty.stdout, '');
    repo.write('app.ts', `const token1 = "${SECRET}";\n`);
    repo.git('add', 'app.ts');
    const first = repo.cli(['scan', '--staged']);
    assert.equal(first.status, 1, first.stderr);
    assert.deepEqual(places(first.stdout), ['app.ts:1 generic-secret']);
  });

  it('reads the index, not the work tree, and reports only the lines the commit adds', () => {
    repo.commit('one', { 'config.ts': `export const token1 = "${SECRET}";\n` });
    // The work tree gets a second key, but only a harmless line is staged; then the key is staged and the file cleaned.
    repo.write('config.ts', `// header\nexport const token1 = "${SECRET}";\n`);
    repo.git('add', 'config.ts');
    repo.write('config.ts', `// header\nexport const token1 = "${SECRET}";\nexport const token2 = "${OTHER}";\n`);
    const staged = repo.cli(['scan', '--staged']);
    assert.equal(staged.status, 0, `the key that was already committed is not this commit's: ${staged.stdout}`);
    repo.git('add', 'config.ts');
    repo.write('config.ts', '// nothing here\n');
    const added = repo.cli(['scan', '--staged']);
    assert.equal(added.status, 1);
    assert.deepEqual(places(added.stdout), ['config.ts:3 generic-secret']);
  });

  it('handles renames, deletions, binary files, symbolic links, submodules, spaces and non-ASCII names', () => {
    repo.commit('base', { 'old name.ts': `const token1 = "${SECRET}";\n`, 'gone.ts': `const token2 = "${OTHER}";\n` });
    repo.git('mv', 'old name.ts', 'new näme.ts');
    repo.git('rm', '-q', 'gone.ts');
    repo.write('data.bin', Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`token3 = "${THIRD}"`)]));
    fs.symlinkSync(`token3="${THIRD}"`, path.join(repo.dir, 'link'));
    const inner = new Repo('akg-sub-');
    try {
      inner.commit('sub', { 'x.txt': 'x\n' });
      repo.git('-c', 'protocol.file.allow=always', 'submodule', '--quiet', 'add', inner.dir, 'vendor/sub');
      repo.write('spaced dir/ünïcode key.env', `UPPZY_API_KEY=${THIRD}\n`);
      repo.git('add', '-A');
      const result = repo.cli(['scan', '--staged', '--format', 'json']);
      assert.equal(result.status, 1, result.stderr);
      // The moved file brings its old key along: not new. Deleted, binary, link and submodule add nothing.
      assert.deepEqual(
        (JSON.parse(result.stdout) as { file: string; line: number; ruleId: string }[]).map((item) => `${item.file}:${item.line} ${item.ruleId}`),
        ['spaced dir/ünïcode key.env:1 uppzy-key'],
      );
    } finally {
      inner.remove();
    }
  });

  it('reports a key in a renamed file that the rename also edits', () => {
    repo.commit('base', { 'a.ts': 'one\ntwo\nthree\nfour\nfive\n' });
    repo.git('mv', 'a.ts', 'b.ts');
    repo.write('b.ts', `one\ntwo\nthree\nfour\nfive\nconst token1 = "${SECRET}";\n`);
    repo.git('add', '-A');
    assert.deepEqual(places(repo.cli(['scan', '--staged']).stdout), ['b.ts:6 generic-secret']);
  });

  it('scans a file that .gitattributes makes git diff as binary, and one that .gitignore lists but is staged', () => {
    repo.write('.gitattributes', '*.env -diff\n');
    repo.write('.gitignore', 'secrets.ts\n');
    repo.write('prod.env', `UPPZY_API_KEY=${OTHER}\n`);
    repo.write('secrets.ts', `const token1 = "${SECRET}";\n`);
    repo.git('add', '.gitattributes', '.gitignore', 'prod.env');
    repo.git('add', '-f', 'secrets.ts');
    assert.deepEqual(places(repo.cli(['scan', '--staged']).stdout), ['prod.env:1 uppzy-key', 'secrets.ts:1 generic-secret']);
  });

  it('honours inline suppressions, .apikeyguardignore paths and fingerprints, and --exclude, as a tree scan does', () => {
    repo.write('a.ts', `const token1 = "${SECRET}"; // api-key-guard-ignore generic-secret -- test value\n`);
    repo.write('fixtures/b.ts', `const token2 = "${OTHER}";\n`);
    repo.write('c.ts', `const token3 = "${THIRD}";\n`);
    repo.write('docs/d.md', `token = "${OTHER}x"\n`);
    repo.git('add', '-A');
    const before = JSON.parse(repo.cli(['scan', '--staged', '--format', 'json']).stdout) as { file: string; fingerprint: string }[];
    assert.deepEqual(
      before.map((item) => item.file),
      ['c.ts', 'docs/d.md', 'fixtures/b.ts'],
    );
    const fingerprint = before.find((item) => item.file === 'c.ts')?.fingerprint;
    repo.write('.apikeyguardignore', `fixtures/  # recorded test data\n${fingerprint}  # the sample key of the tutorial\n`);
    const result = repo.cli(['scan', '--staged', '--exclude', 'docs/**']);
    assert.equal(result.status, 0, result.stdout);
    // The tree scan agrees on the same files.
    assert.equal(repo.cli(['scan', '--exclude', 'docs/**']).status, 0);
  });

  it('prints paths relative to the current directory when run in a subfolder', () => {
    repo.write('src/deep/app.ts', `const token1 = "${SECRET}";\n`);
    repo.write('top.ts', `const token2 = "${OTHER}";\n`);
    repo.git('add', '-A');
    const result = repo.cli(['scan', '--staged'], { cwd: path.join(repo.dir, 'src') });
    assert.deepEqual(places(result.stdout), ['deep/app.ts:1 generic-secret', '../top.ts:1 generic-secret']);
  });

  it('writes SARIF and exits 2 outside a repository or with paths', () => {
    repo.write('app.ts', `const token1 = "${SECRET}";\n`);
    repo.git('add', '-A');
    const sarif = JSON.parse(repo.cli(['scan', '--staged', '--format', 'sarif']).stdout);
    assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'app.ts');
    assert.equal(repo.cli(['scan', '--staged', 'app.ts']).status, 2);
    const outside = repo.cli(['scan', '--staged'], { cwd: path.dirname(repo.dir) });
    assert.equal(outside.status, 2);
    assert.match(outside.stderr, /not inside a git work tree/);
  });
});
