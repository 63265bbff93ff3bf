/**
 * Git bench (`npm run bench history`): `api-key-guard scan --history` on a history built from the
 * pinned tree of real code (peers.ts), at least 2,000 commits and 100 MB of patches, timed as a
 * ratio to `git log -p --no-color` over the same range in the same run (the floor: git must write
 * the patches), in elapsed and in CPU time, on the Node that runs the bench and on Node 24, the
 * current LTS (peers.ts), when that is another; then the peak memory of the scan's own process for the
 * later half of the history and for all of it, which hold the same largest files, so the two differ
 * only by the length of the history (git's own grows with it, for `git log -p` too: printed beside it);
 * then what the pre-commit hook adds to a `git commit` of 20 files of real code that holds no
 * secret, elapsed and in CPU time, beside what starting Node alone costs. On a machine shared with
 * other work, elapsed times include waiting for a core; CPU times do not. Prints figures only.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CACHE, measure, prepare, ROOT } from './peers';
import { LARGE_OUTPUT_TUNABLES } from '../src/core/git/git';

const COMMITS = 2000;
const REPO = path.join(CACHE, `history-${COMMITS}`);
const CLI = path.join(ROOT, 'dist/cli.js');
const ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
/**
 * Node's environment for the scans: without NODE_EXTRA_CA_CERTS, which Node reads at every start
 * and a scan has no use for (it opens no connection). The hook unsets it too; an environment that
 * sets it (as a proxy's CA for this machine) would otherwise add its reading to every figure.
 */
const SCAN_NODE_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_EXTRA_CA_CERTS'));
/** Keys planted in the history, each added by one commit and removed by a later one. */
const PLANTED = ['Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k', 'Hq2Lm9Pz4Rt8Vw1Xy5Bc3Dn6Fh7', 'Wd7Kx2Qp9Ls4Bn6Tv1Yc8Rm3Gz5'];

function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? files(full) : entry.isFile() ? [full] : [];
    });
}

/**
 * The history, built once with `git fast-import` and cached: the tree's files added in COMMITS
 * commits, every fifth commit also editing a file added before (a line appended, so patches carry
 * context), and the planted keys added and removed again.
 */
function buildHistory(tree: readonly string[]): void {
  if (fs.existsSync(path.join(REPO, '.git', 'bench-complete'))) return;
  fs.rmSync(REPO, { recursive: true, force: true });
  fs.mkdirSync(REPO, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: REPO, env: ENV });
  const all = tree.flatMap((dir) => files(path.join(CACHE, dir)));
  const perCommit = Math.ceil(all.length / COMMITS);
  const importer = spawnSync('git', ['fast-import', '--quiet'], {
    cwd: REPO,
    env: ENV,
    input: fastImportStream(all, perCommit),
    maxBuffer: 1 << 30,
  });
  if (importer.status !== 0) throw new Error(`git fast-import: ${importer.stderr.toString()}`);
  execFileSync('git', ['reset', '-q', '--hard', 'main'], { cwd: REPO, env: ENV });
  fs.writeFileSync(path.join(REPO, '.git', 'bench-complete'), '');
}

function fastImportStream(all: readonly string[], perCommit: number): Buffer {
  const parts: Buffer[] = [];
  const text = (value: string) => parts.push(Buffer.from(value));
  const data = (content: Buffer) => {
    text(`data ${content.length}\n`);
    parts.push(content, Buffer.from('\n'));
  };
  const added: string[] = [];
  for (let commit = 0; commit < COMMITS; commit++) {
    const batch = all.slice(commit * perCommit, (commit + 1) * perCommit);
    text(`commit refs/heads/main\ncommitter Bench <bench@example.com> ${1700000000 + commit * 60} +0000\n`);
    data(Buffer.from(`commit ${commit}\n`));
    for (const file of batch) {
      const name = path.relative(CACHE, file).split(path.sep).join('/');
      text(`M 100644 inline ${name}\n`);
      data(fs.readFileSync(file));
      added.push(name);
    }
    const planted = PLANTED[Math.floor(commit / 100)];
    if (commit % 100 === 10 && planted !== undefined) {
      text('M 100644 inline planted/config.ts\n');
      data(Buffer.from(`export const apiToken = "${planted}";\n`));
    }
    if (commit % 100 === 20 && planted !== undefined) text('D planted/config.ts\n');
    const edited = commit % 5 === 4 ? added[(commit * 7919) % added.length] : undefined;
    if (edited !== undefined && !batch.some((file) => path.relative(CACHE, file).split(path.sep).join('/') === edited)) {
      const original = all.find((file) => path.relative(CACHE, file).split(path.sep).join('/') === edited) as string;
      text(`M 100644 inline ${edited}\n`);
      data(Buffer.concat([fs.readFileSync(original), Buffer.from(`\n// edited in commit ${commit}\n`)]));
    }
  }
  return Buffer.concat(parts);
}

/** Bytes `git log -p` writes for the range: streamed and counted, never held. */
function patchBytes(range: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['log', '-p', '--no-color', range], { cwd: REPO, env: ENV });
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
    child.on('error', reject);
    child.on('close', () => resolve(bytes));
  });
}

function nodeVersion(node: string): string {
  return execFileSync(node, ['--version'], { encoding: 'utf8', env: SCAN_NODE_ENV }).trim();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;

/** CPU milliseconds (user and system) of this process's finished children so far: Linux's /proc/self/stat, in clock ticks of 10 ms. */
function childrenCpuMs(): number {
  const fields = fs
    .readFileSync('/proc/self/stat', 'utf8')
    .replace(/^.*\) /s, '')
    .split(' ');
  // After the command name: field 14 and 15 of stat(5) (cutime, cstime) are the 14th and 15th here, counting from 3.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** What a command costs, elapsed and in CPU time (its process tree), in milliseconds. */
function timed(run: () => void): { ms: number; cpuMs: number } {
  const cpu = childrenCpuMs();
  const started = process.hrtime.bigint();
  run();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: childrenCpuMs() - cpu };
}

/**
 * The peak resident memory of the history scan's own process, without git's: the scan run by a
 * fresh Node through the compiled engine, which prints `process.resourceUsage().maxRSS` (RUSAGE_SELF).
 */
function scanPeakMb(range: string): number {
  const engine = path.join(ROOT, 'out/src');
  const script = `
    const { SecretScanner } = require(${JSON.stringify(path.join(engine, 'core/scanner/engine.js'))});
    const { scanHistory } = require(${JSON.stringify(path.join(engine, 'core/git/history.js'))});
    scanHistory({ cwd: process.cwd(), scanner: new SecretScanner(), revisions: [${JSON.stringify(range)}], onFinding: () => undefined })
      .then(() => console.log(process.resourceUsage().maxRSS));`;
  const kb = Number(execFileSync(process.execPath, ['-e', script], { cwd: REPO, env: ENV, encoding: 'utf8' }).trim());
  return kb / 1024;
}

interface Cost {
  readonly ms: number;
  readonly cpuMs: number;
}

interface HookCosts {
  readonly withHook: Cost;
  readonly without: Cost;
  readonly node: Cost;
}

/**
 * The same commit made again and again, with and without the hook, one after the other: the medians
 * of each and, as the least disturbed measure on a shared machine, the fastest of each; and the
 * same of a bare Node start.
 */
function hookOverhead(tree: readonly string[]): { median: HookCosts; best: HookCosts } {
  const repo = fs.mkdtempSync(path.join(CACHE, 'hook-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Bench');
    git('config', 'user.email', 'bench@example.com');
    const sources = files(path.join(CACHE, tree[0] as string))
      .filter((file) => /\.(js|ts)$/.test(file) && fs.statSync(file).size < 200_000)
      .slice(0, 20);
    sources.forEach((file, index) => fs.copyFileSync(file, path.join(repo, `file${index}.js`)));
    git('add', '-A');
    git('commit', '-qm', 'base', '--no-verify');
    execFileSync(process.execPath, [CLI, 'install-hook'], { cwd: repo, env: ENV, stdio: 'ignore' });
    const timeCommit = (round: number, hook: boolean): Cost => {
      sources.forEach((_file, index) => fs.appendFileSync(path.join(repo, `file${index}.js`), `// round ${round}\n`));
      git('add', '-A');
      return timed(() => {
        const result = spawnSync('git', ['commit', '-qm', `round ${round}`, ...(hook ? [] : ['--no-verify'])], { cwd: repo, env: ENV });
        if (result.status !== 0) throw new Error(`commit failed: ${result.stderr.toString()}`);
      });
    };
    const withHook: Cost[] = [];
    const without: Cost[] = [];
    const node: Cost[] = [];
    for (let round = 0; round < 9; round++) {
      without.push(timeCommit(round * 2, false));
      withHook.push(timeCommit(round * 2 + 1, true));
      node.push(timed(() => execFileSync(process.execPath, ['-e', '0'], { env: SCAN_NODE_ENV })));
    }
    const medians = (costs: Cost[]): Cost => ({ ms: median(costs.map((cost) => cost.ms)), cpuMs: median(costs.map((cost) => cost.cpuMs)) });
    const bests = (costs: Cost[]): Cost => ({ ms: Math.min(...costs.map((cost) => cost.ms)), cpuMs: Math.min(...costs.map((cost) => cost.cpuMs)) });
    return {
      median: { withHook: medians(withHook), without: medians(without), node: medians(node) },
      best: { withHook: bests(withHook), without: bests(without), node: bests(node) },
    };
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) execFileSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'ignore' });
  const { tree, node24 } = prepare();
  console.log(`building a history of ${COMMITS} commits from the pinned tree (cached in ${REPO})`);
  buildHistory(tree);
  const commits = Number(execFileSync('git', ['rev-list', '--count', 'main'], { cwd: REPO, env: ENV, encoding: 'utf8' }).trim());
  const half = `main~${Math.floor(commits / 2)}`;
  const megabytes = (await patchBytes('main')) / 1024 / 1024;
  console.log(`history: ${commits} commits, git log -p writes ${megabytes.toFixed(0)} MB of patches`);

  const gitLog =
    (env = process.env) =>
    () =>
      measure('sh', ['-c', 'git log -p --no-color main > /dev/null'], REPO, env);
  // The scan gives its git glibc's allocator settings (git.ts); the same git, so tuned, shows what of the ratio is the scan's own.
  const tunedGitEnv = { ...process.env, GLIBC_TUNABLES: LARGE_OUTPUT_TUNABLES };
  // The Node running the bench, and Node 24 (the current LTS, which the tests run on) when it is another.
  const runtimes = [process.execPath, ...(node24 === undefined ? [] : [node24])]
    .map((node) => ({ node, version: nodeVersion(node) }))
    .filter((runtime, index, all) => all.findIndex((other) => other.version === runtime.version) === index);
  let findings = 0;
  const scan = (node: string) => () => {
    const result = measure(node, [CLI, 'scan', '--history', 'main'], REPO, SCAN_NODE_ENV);
    findings = result.stdout.trim().split('\n').filter(Boolean).length;
    return result;
  };
  // In turn, so a slower spell of the machine falls on each of them alike.
  const rounds = Array.from({ length: 3 }, () => ({
    git: timed(gitLog()),
    tunedGit: timed(gitLog(tunedGitEnv)),
    scans: runtimes.map(({ node }) => timed(scan(node))),
  }));
  const best = (costs: Cost[], measure: keyof Cost) => Math.min(...costs.map((cost) => cost[measure])) / 1000;
  const git = rounds.map((round) => round.git);
  const tunedGit = rounds.map((round) => round.tunedGit);
  console.log(`git log -p --no-color (the floor):   ${best(git, 'ms').toFixed(2)} s, ${best(git, 'cpuMs').toFixed(2)} s of CPU (best of 3)`);
  console.log(
    `  the same with the allocator settings the scan gives its git: ${best(tunedGit, 'ms').toFixed(2)} s, ${best(tunedGit, 'cpuMs').toFixed(2)} s of CPU`,
  );
  runtimes.forEach(({ version }, index) => {
    const scans = rounds.map((round) => round.scans[index] as Cost);
    console.log(
      `api-key-guard scan --history, Node ${version}: ${best(scans, 'ms').toFixed(2)} s, ${best(scans, 'cpuMs').toFixed(2)} s of CPU, its git's included (best of 3), ${(megabytes / best(scans, 'ms')).toFixed(0)} MB/s of patches, ${findings} findings`,
    );
    console.log(
      `  ratio to git log -p: ${(best(scans, 'ms') / best(git, 'ms')).toFixed(2)}x elapsed (goal <= 1.5x), ${(best(scans, 'cpuMs') / best(git, 'cpuMs')).toFixed(2)}x in CPU time;` +
        ` to the tuned git: ${(best(scans, 'ms') / best(tunedGit, 'ms')).toFixed(2)}x elapsed`,
    );
  });
  if (process.env.NODE_EXTRA_CA_CERTS !== undefined) {
    console.log('  (this environment sets NODE_EXTRA_CA_CERTS, which Node reads at every start; the scans are timed without it, as the hook runs)');
  }
  // The later half alone, then the whole history: the same largest files in both, twice the commits in the second.
  const laterHalf = `${half}..main`;
  const gitPeak = (range: string) => measure('git', ['log', '-p', '--no-color', range], REPO).peakMb;
  console.log(
    `peak memory of the scan's own process: the later ${commits - Math.floor(commits / 2)} commits ${scanPeakMb(laterHalf).toFixed(0)} MB, all ${commits} commits ${scanPeakMb('main').toFixed(0)} MB` +
      ` (git log -p itself: ${gitPeak(laterHalf).toFixed(0)} MB and ${gitPeak('main').toFixed(0)} MB)`,
  );

  const hook = hookOverhead(tree);
  const hookLine = (what: string, { withHook, without, node }: HookCosts) =>
    `  ${what}: ${without.ms.toFixed(0)} ms without the hook, ${withHook.ms.toFixed(0)} ms with it: the hook adds ${(withHook.ms - without.ms).toFixed(0)} ms elapsed` +
    ` (goal <= 150 ms), ${(withHook.cpuMs - without.cpuMs).toFixed(0)} ms of CPU; starting Node alone: ${node.ms.toFixed(0)} ms, ${node.cpuMs.toFixed(0)} ms of CPU`;
  console.log('git commit of 20 files of real code, no findings, 9 times with the hook and 9 times without, in turn:');
  if (process.env.NODE_EXTRA_CA_CERTS !== undefined) {
    console.log(
      '  (this environment sets NODE_EXTRA_CA_CERTS, which Node reads at every start; the hook unsets it, and "starting Node alone" is timed without it)',
    );
  }
  console.log(hookLine('medians', hook.median));
  console.log(hookLine('fastest of each (the least disturbed by other work)', hook.best));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
