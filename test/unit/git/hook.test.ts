import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHAINED_SUFFIX } from '../../../src/core/git/hook';
import { ensureCli, GIT_ENV, OTHER, Repo, run, SECRET } from './repo';

/** A PATH with git and nothing else: no node, no api-key-guard, as for a user who has only the VS Code extension. */
function gitOnlyPath(): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'akg-bin-'));
  const git = run('sh', ['-c', 'command -v git'], { cwd: bin }).stdout.trim();
  fs.symlinkSync(git, path.join(bin, 'git'));
  return bin;
}

describe('pre-commit hook (real git commit)', function () {
  this.timeout(40000);
  let repo: Repo;

  before(ensureCli);
  beforeEach(() => {
    repo = new Repo();
    repo.commit('base', { 'README.md': 'hello\n' });
  });
  afterEach(() => repo.remove());

  const commit = (env: NodeJS.ProcessEnv = GIT_ENV, ...args: string[]) => run('git', ['commit', '-q', '-m', 'change', ...args], { cwd: repo.dir, env });

  it('stops a commit that adds a key, says where, how to suppress it and how to bypass it, without colour', () => {
    assert.equal(repo.cli(['install-hook']).status, 0);
    repo.write('src/app.ts', `const token1 = "${SECRET}";\n`);
    repo.git('add', '-A');
    const stopped = commit();
    assert.equal(stopped.status, 1);
    const lines = stopped.stderr.trimEnd().split('\n');
    // The first line is what VS Code's commit dialog shows: it must say it all.
    assert.match(lines[0] ?? '', /^API Key Guard stopped this commit: it adds a secret \(src\/app\.ts:1\)\. .*--no-verify/);
    assert.ok(
      lines.some((line) => /^ {2}src\/app\.ts:1:17 generic-secret .*\(\*\*\*\*hJ6k\)$/.test(line)),
      stopped.stderr,
    );
    assert.ok(lines.some((line) => line.includes('api-key-guard-ignore <rule id> -- <reason>')));
    assert.ok(lines.some((line) => /^ {2}scrypt:[0-9a-f]{32} {2}# src\/app\.ts:1/.test(line)));
    assert.equal(lines[lines.length - 1], 'To commit anyway: git commit --no-verify');
    assert.ok(!stopped.stderr.includes('\u001b') && !stopped.stderr.includes(SECRET));
    assert.equal(repo.git('log', '--oneline').trim().split('\n').length, 1, 'nothing was committed');
    assert.equal(commit(GIT_ENV, '--no-verify').status, 0);
  });

  it('lets a clean commit through silently, and honours suppressions', () => {
    repo.cli(['install-hook']);
    repo.write('src/app.ts', `const token1 = "${SECRET}"; // api-key-guard-ignore -- fixture\n`);
    repo.git('add', '-A');
    const clean = commit();
    assert.equal(clean.status, 0, clean.stderr);
    assert.equal(clean.stderr, '');
  });

  it('starts the scan without NODE_EXTRA_CA_CERTS, which it has no use for, and leaves it to the hook it chained', () => {
    const hooks = path.join(repo.dir, '.git', 'hooks');
    fs.writeFileSync(path.join(hooks, 'pre-commit'), '#!/bin/sh\necho "theirs saw ${NODE_EXTRA_CA_CERTS}" >&2\n', { mode: 0o755 });
    repo.cli(['install-hook']);
    repo.write('src/app.ts', 'export const answer = 42;\n');
    repo.git('add', '-A');
    // Node warns on stderr at every start when this file cannot be read: the scan's Node never reads it.
    const clean = commit({ ...GIT_ENV, NODE_EXTRA_CA_CERTS: path.join(repo.dir, 'no-such-bundle.pem') });
    assert.equal(clean.status, 0, clean.stderr);
    assert.equal(clean.stderr, `theirs saw ${path.join(repo.dir, 'no-such-bundle.pem')}\n`);
  });

  it('honours core.hooksPath, chains the hook that was there, is idempotent and can be removed', () => {
    repo.git('config', 'core.hooksPath', 'githooks');
    const hooks = path.join(repo.dir, 'githooks');
    fs.mkdirSync(hooks);
    const theirs = '#!/bin/sh\necho "their hook ran" >&2\n';
    fs.writeFileSync(path.join(hooks, 'pre-commit'), theirs, { mode: 0o755 });
    const installed = repo.cli(['install-hook'], { cwd: repo.dir });
    assert.match(installed.stdout, /Installed the pre-commit hook .*githooks\/pre-commit; it runs the hook that was there first/);
    const again = repo.cli(['install-hook'], { cwd: path.join(repo.dir, 'githooks') });
    assert.match(again.stdout, /Updated/);
    assert.deepEqual(fs.readdirSync(hooks).sort(), ['pre-commit', `pre-commit${CHAINED_SUFFIX}`]);
    assert.equal(fs.readFileSync(path.join(hooks, `pre-commit${CHAINED_SUFFIX}`), 'utf8'), theirs, 'installing twice never chains our own hook');

    repo.write('a.ts', `const token2 = "${OTHER}";\n`);
    repo.git('add', '-A');
    const stopped = commit();
    assert.equal(stopped.status, 1);
    assert.match(stopped.stderr, /^their hook ran\nAPI Key Guard stopped this commit/);

    const removed = repo.cli(['uninstall-hook']);
    assert.match(removed.stdout, /Removed .* and put back the hook it chained/);
    assert.deepEqual(fs.readdirSync(hooks), ['pre-commit']);
    assert.equal(fs.readFileSync(path.join(hooks, 'pre-commit'), 'utf8'), theirs);
    assert.equal(commit().status, 0);
    assert.match(repo.cli(['uninstall-hook']).stdout, /nothing to remove/);
  });

  it('stops the commit when its own failing chained hook does, without scanning', () => {
    fs.writeFileSync(path.join(repo.dir, '.git/hooks/pre-commit'), '#!/bin/sh\necho "lint failed" >&2\nexit 3\n', { mode: 0o755 });
    repo.cli(['install-hook']);
    repo.write('a.ts', 'const a = 1;\n');
    repo.git('add', '-A');
    const result = commit();
    assert.equal(result.status, 1);
    assert.equal(result.stderr, 'lint failed\n');
  });

  it('runs with no node and no api-key-guard on PATH, through the runtime it recorded', () => {
    repo.cli(['install-hook']);
    const bin = gitOnlyPath();
    try {
      const env = { ...GIT_ENV, PATH: bin };
      assert.notEqual(run('sh', ['-c', 'command -v node'], { cwd: repo.dir, env }).status, 0, 'node is not on this PATH');
      repo.write('a.ts', `const token2 = "${OTHER}";\n`);
      repo.git('add', '-A');
      const result = commit(env);
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stderr, /API Key Guard stopped this commit/);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it('says what to do when the CLI it recorded is gone and none is installed', () => {
    repo.cli(['install-hook']);
    const hook = path.join(repo.dir, '.git/hooks/pre-commit');
    fs.writeFileSync(
      hook,
      fs
        .readFileSync(hook, 'utf8')
        .split(fs.realpathSync(path.join(__dirname, '../../../../dist/cli.js')))
        .join('/nowhere/cli.js'),
    );
    const bin = gitOnlyPath();
    try {
      repo.write('a.ts', 'const a = 1;\n');
      repo.git('add', '-A');
      const result = commit({ ...GIT_ENV, PATH: bin });
      assert.equal(result.status, 1);
      assert.match(result.stderr, /^API Key Guard: the pre-commit hook cannot find api-key-guard .*--no-verify.*remove .*pre-commit/);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});
