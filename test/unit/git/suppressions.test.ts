import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureCli, OTHER, places, Repo, SECRET, THIRD } from './repo';

describe('baselines and auditable suppressions', function () {
  this.timeout(30000);
  let repo: Repo;

  before(ensureCli);
  beforeEach(() => {
    repo = new Repo();
  });
  afterEach(() => repo.remove());

  it('--baseline hides what an earlier report has, through line moves, renames and a squash, and reports new secrets', () => {
    repo.commit('one', { 'app.ts': `const token1 = "${SECRET}";\n` });
    const baseline = path.join(repo.dir, '..', `${path.basename(repo.dir)}-baseline.json`);
    try {
      assert.equal(repo.cli(['scan', '--history', '--format', 'json', '--output', baseline]).status, 1);
      // Squash-merge the key's move into a new file on a fresh branch: other commits, other lines, same secret.
      repo.git('checkout', '-q', '--orphan', 'squashed');
      repo.git('rm', '-q', '-r', '--cached', '.');
      fs.rmSync(path.join(repo.dir, 'app.ts'));
      repo.commit('squash', { 'lib/moved.ts': `// header\n\nexport const token1 = "${SECRET}";\n` });
      for (const args of [['scan'], ['scan', '--history']]) {
        const result = repo.cli([...args, '--baseline', baseline]);
        assert.equal(result.status, 0, `${args.join(' ')}: ${result.stdout}`);
      }
      repo.write('lib/new.ts', `export const token2 = "${OTHER}";\n`);
      repo.git('add', '-A');
      assert.deepEqual(places(repo.cli(['scan', '--staged', '--baseline', baseline]).stdout), ['lib/new.ts:1 generic-secret']);
    } finally {
      fs.rmSync(baseline, { force: true });
    }
  });

  // Apart from the test above: each CLI run starts Node and derives fingerprints, and one test doing all of it outgrew its time on a loaded machine.
  it('--baseline reads a SARIF report too, and refuses a file that is no report', () => {
    repo.commit('one', { 'app.ts': `const token1 = "${SECRET}";\n` });
    const sarif = path.join(repo.dir, '..', `${path.basename(repo.dir)}-baseline.sarif`);
    try {
      assert.equal(repo.cli(['scan', '--format', 'sarif', '--output', sarif]).status, 1);
      assert.equal(repo.cli(['scan', '--baseline', sarif]).status, 0);
      fs.writeFileSync(sarif, '{"not": "a report"}');
      assert.equal(repo.cli(['scan', '--baseline', sarif]).status, 2);
    } finally {
      fs.rmSync(sarif, { force: true });
    }
  });

  it('warns on a full scan about ignore entries that matched nothing, never on a partial one', () => {
    repo.write('a.ts', `const token1 = "${SECRET}";\n`);
    repo.write('fixtures/b.ts', `const token2 = "${OTHER}";\n`);
    const fingerprint = (JSON.parse(repo.cli(['scan', '--format', 'json', 'a.ts']).stdout) as { fingerprint: string }[])[0]?.fingerprint;
    repo.write(
      '.apikeyguardignore',
      `# reviewed 2024-05\n${fingerprint}  # sample key of the tutorial\nfixtures/  # recorded data\nold-fixtures/\nscrypt:0123456789abcdef0123456789abcdef  # rotated long ago\n!keep.ts\n`,
    );
    const full = repo.cli(['scan']);
    assert.equal(full.status, 0, full.stdout);
    assert.deepEqual(full.stderr.trim().split('\n'), [
      "api-key-guard scan: .apikeyguardignore:4: 'old-fixtures/' matched nothing in this scan; remove it if it is no longer needed.",
      "api-key-guard scan: .apikeyguardignore:5: 'scrypt:0123456789abcdef0123456789abcdef' matched nothing in this scan; remove it if it is no longer needed.",
    ]);
    assert.equal(repo.cli(['scan', 'a.ts']).stderr, '');
  });

  it('--list-suppressions prints every suppression comment and ignore entry with its reason, file and line', () => {
    repo.write('src/a.ts', `const token1 = "${SECRET}"; // api-key-guard-ignore generic-secret, url-password -- test database\n`);
    repo.write('src/b.py', `# api-key-guard-ignore-next-line\ntoken = "${THIRD}"\n`);
    repo.write('docs/c.html', `<!-- api-key-guard-ignore -- docs sample -->\n`);
    repo.write('src/clean.ts', 'const a = 1;\n');
    repo.write('.apikeyguardignore', 'sha256:0123456789abcdef  # rotated\ntest/\n');
    const text = repo.cli(['scan', '--list-suppressions']);
    assert.equal(text.status, 0, text.stderr);
    assert.deepEqual(text.stdout.trim().split('\n'), [
      'docs/c.html:1 api-key-guard-ignore (every rule) -- docs sample',
      'src/a.ts:1 api-key-guard-ignore generic-secret,url-password -- test database',
      'src/b.py:1 api-key-guard-ignore-next-line (every rule) -- (no reason given)',
      '.apikeyguardignore:1 fingerprint sha256:0123456789abcdef -- rotated',
      '.apikeyguardignore:2 path test/ -- (no reason given)',
    ]);
    const json = JSON.parse(repo.cli(['scan', '--list-suppressions', '--format', 'json']).stdout);
    assert.deepEqual(json[1], { file: 'src/a.ts', line: 1, kind: 'comment', rules: ['generic-secret', 'url-password'], reason: 'test database' });
  });
});
