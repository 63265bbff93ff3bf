/**
 * scripts/prerequisites.js on machines unlike CI's: not root, not Debian, not Linux, a node_modules already
 * there. The script runs for real, from a copy in a throwaway project, with `npm` and `apt-get` replaced on
 * PATH by scripts that only record their arguments (installing anything here would change this machine),
 * and "not root" is a real process of the user nobody.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');

interface Project {
  readonly dir: string;
  readonly log: string;
  /** Runs `node scripts/prerequisites.js <levels>` in the project. */
  run(levels: readonly string[], options?: { uid?: number; env?: Record<string, string> }): { status: number | null; stderr: string; calls: string[] };
}

/** A project with the real prerequisites script and test host manifests, and one installed package. */
function makeProject(): Project {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akg-prerequisites-'));
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(path.join(root, 'scripts', 'prerequisites.js'), path.join(dir, 'scripts', 'prerequisites.js'));
  fs.cpSync(path.join(root, 'test', 'host'), path.join(dir, 'test', 'host'), { recursive: true, filter: (source) => !source.includes('node_modules') });
  const lock = { name: 'p', lockfileVersion: 3, packages: { '': { name: 'p' }, 'node_modules/left-pad': { version: '1.3.0' } } };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'p', private: true }));
  fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const log = path.join(dir, 'calls.log');
  for (const command of ['npm', 'apt-get']) {
    fs.writeFileSync(path.join(bin, command), `#!/bin/sh\necho "${command} $*" >> "${log}"\n`, { mode: 0o755 });
  }
  fs.mkdirSync(path.join(dir, 'cache'));
  fs.chmodSync(dir, 0o777);
  fs.chmodSync(path.join(dir, 'cache'), 0o777);
  return {
    dir,
    log,
    run(levels, options = {}) {
      fs.rmSync(log, { force: true });
      const result = spawnSync(process.execPath, [path.join(dir, 'scripts', 'prerequisites.js'), ...levels], {
        cwd: dir,
        encoding: 'utf8',
        ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
        env: {
          PATH: `${bin}${path.delimiter}/usr/bin${path.delimiter}/bin`,
          HOME: dir,
          API_KEY_GUARD_TEST_HOST_CACHE: path.join(dir, 'cache'),
          ...options.env,
        },
      });
      const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
      return { status: result.status, stderr: result.stderr, calls };
    },
  };
}

/** node_modules as npm leaves it after installing `version` of left-pad, plus a file of the developer's own. */
function installModules(project: Project, version: string): string {
  const modules = path.join(project.dir, 'node_modules');
  fs.mkdirSync(path.join(modules, 'left-pad'), { recursive: true });
  fs.writeFileSync(path.join(modules, '.package-lock.json'), JSON.stringify({ packages: { 'node_modules/left-pad': { version } } }));
  const own = path.join(modules, 'left-pad', 'patched-by-hand.js');
  fs.writeFileSync(own, '// kept');
  return own;
}

/**
 * ` libkrb5-dev` where this machine lacks the Kerberos headers: the test project's host cache is
 * empty, so the plan installs hosts, whose build needs them.
 */
function kerberosPackage(): string {
  return fs.existsSync('/usr/include/gssapi/gssapi.h') ? '' : ' libkrb5-dev';
}

describe('prerequisites (scripts/prerequisites.js)', function () {
  this.timeout(30_000);
  let project: Project;
  beforeEach(() => {
    project = makeProject();
  });
  afterEach(() => fs.rmSync(project.dir, { recursive: true, force: true }));

  it('installs node_modules with npm ci on a fresh checkout, and the unit level needs nothing else (no Chromium)', () => {
    const run = project.run(['unit', 'lint'], { env: { CHROMIUM_PATH: '/nonexistent/chromium' } });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.calls, ['npm ci --no-audit --no-fund']);
  });

  it('never deletes an existing node_modules: one that matches the lockfile is left alone, one that differs is updated in place', () => {
    const own = installModules(project, '1.3.0');
    assert.deepEqual(project.run(['unit']).calls, []);
    installModules(project, '1.2.0');
    const run = project.run(['unit']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.calls, ['npm install --no-audit --no-fund']);
    assert.ok(fs.existsSync(own), 'node_modules was kept');
  });

  it('as root on Debian, installs the missing Debian packages with apt-get', function () {
    if (process.getuid?.() !== 0 || !fs.existsSync('/etc/debian_version')) {
      this.skip();
    }
    installModules(project, '1.3.0');
    const run = project.run(['e2e'], { env: { CHROMIUM_PATH: '/nonexistent/chromium' } });
    assert.deepEqual(run.calls.slice(0, 2), ['apt-get update -qq', `apt-get install -y -qq --no-install-recommends chromium${kerberosPackage()}`]);
    // The stand-in apt-get installed nothing, which is said as such.
    assert.equal(run.status, 1);
    assert.match(run.stderr, /Chromium was installed, but \/nonexistent\/chromium does not exist: set CHROMIUM_PATH/);
  });

  it('not root, says what it cannot install and the command that would, instead of failing on apt-get', function () {
    if (process.getuid?.() !== 0) {
      this.skip(); // only root can start a process as another user
    }
    installModules(project, '1.3.0');
    const run = project.run(['e2e'], { uid: 65534, env: { CHROMIUM_PATH: '/nonexistent/chromium' } });
    assert.equal(run.status, 1, run.stderr);
    const packages = `chromium${kerberosPackage()}`;
    assert.ok(
      run.stderr.includes(`cannot install: not root, so the Debian packages ${packages} were not installed: run 'sudo apt-get install -y ${packages}'`),
      run.stderr,
    );
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(run.calls, [], 'neither apt-get nor npm ran');
  });

  it('plans by machine: installs on Debian as root, gives the sudo command elsewhere on Debian, and names what to install on other systems', () => {
    const { planSystemPackages } = require(path.join(root, 'scripts', 'prerequisites.js')) as {
      planSystemPackages(packages: string[], machine: object): { install?: string[]; advice?: string };
    };
    const machine = { platform: 'linux', arch: 'x64', isRoot: true, hasApt: true };
    assert.deepEqual(planSystemPackages(['chromium', 'libkrb5-dev'], machine), { install: ['chromium', 'libkrb5-dev'] });
    assert.match(planSystemPackages(['chromium'], { ...machine, isRoot: false }).advice ?? '', /sudo apt-get install -y chromium/);
    const fedora = planSystemPackages(['chromium', 'libkrb5-dev'], { ...machine, hasApt: false }).advice ?? '';
    assert.match(fedora, /not a Debian system .*Chromium or Chrome \(set CHROMIUM_PATH.*krb5-devel on Fedora/);
    assert.deepEqual(planSystemPackages([], { ...machine, hasApt: false }), { install: [] });
  });

  it('on a machine that is not Linux x64, says the test hosts cannot run there and what to run instead', () => {
    installModules(project, '1.3.0');
    const prerequisites = require(path.join(project.dir, 'scripts', 'prerequisites.js')) as {
      ensurePrerequisites(needs: object, machine: object): { need: string; advice: string }[];
    };
    const problems = prerequisites.ensurePrerequisites(
      { browser: true, hosts: ['current', 'minimum'] },
      { platform: 'darwin', arch: 'arm64', isRoot: false, hasApt: false },
    );
    assert.deepEqual(
      problems.map((problem) => problem.need),
      ['host:current', 'host:minimum'],
    );
    assert.match(problems[0]!.advice, /pinned for Linux x64, and this is darwin-arm64: run 'npm run test:electron'/);
  });
});
