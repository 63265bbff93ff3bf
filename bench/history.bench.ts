/**
 * Git bench (`npm run bench history`): `api-key-guard scan --history` on a history built from the
 * pinned tree of real code (peers.ts), at least 2,000 commits and 100 MB of patches, timed as a
 * ratio to `git log -p --no-color` over the same range in the same run (the floor: git must write
 * the patches), and its peak memory for two lengths of history; then what the pre-commit hook adds
 * to a `git commit` of 20 files of real code that holds no secret. Prints figures only.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CACHE, measure, prepare, ROOT } from './peers';

const COMMITS = 2000;
const REPO = path.join(CACHE, `history-${COMMITS}`);
const CLI = path.join(ROOT, 'dist/cli.js');
const ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;

/** The same commit made again and again, with and without the hook: the median difference. */
function hookOverhead(tree: readonly string[]): { withHook: number; without: number } {
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
    const timeCommit = (round: number, hook: boolean) => {
      sources.forEach((_file, index) => fs.appendFileSync(path.join(repo, `file${index}.js`), `// round ${round}\n`));
      git('add', '-A');
      const started = process.hrtime.bigint();
      const result = spawnSync('git', ['commit', '-qm', `round ${round}`, ...(hook ? [] : ['--no-verify'])], { cwd: repo, env: ENV });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (result.status !== 0) throw new Error(`commit failed: ${result.stderr.toString()}`);
      return ms;
    };
    const withHook: number[] = [];
    const without: number[] = [];
    for (let round = 0; round < 9; round++) {
      without.push(timeCommit(round * 2, false));
      withHook.push(timeCommit(round * 2 + 1, true));
    }
    return { withHook: median(withHook), without: median(without) };
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) execFileSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'ignore' });
  const { tree } = prepare();
  console.log(`building a history of ${COMMITS} commits from the pinned tree (cached in ${REPO})`);
  buildHistory(tree);
  const commits = Number(execFileSync('git', ['rev-list', '--count', 'main'], { cwd: REPO, env: ENV, encoding: 'utf8' }).trim());
  const half = `main~${Math.floor(commits / 2)}`;
  const megabytes = (await patchBytes('main')) / 1024 / 1024;
  console.log(`history: ${commits} commits, git log -p writes ${megabytes.toFixed(0)} MB of patches`);

  const gitLog = () => measure('sh', ['-c', 'git log -p --no-color main > /dev/null'], REPO);
  const scan = (range: string) => measure(process.execPath, [CLI, 'scan', '--history', range], REPO);
  const rounds = Array.from({ length: 3 }, () => ({ git: gitLog(), scan: scan('main') }));
  const bestGit = Math.min(...rounds.map((round) => round.git.seconds));
  const bestScan = Math.min(...rounds.map((round) => round.scan.seconds));
  const findings = rounds[0]?.scan.stdout.trim().split('\n').filter(Boolean).length ?? 0;
  console.log(`git log -p --no-color (the floor):   ${bestGit.toFixed(2)} s (best of 3)`);
  console.log(
    `api-key-guard scan --history:        ${bestScan.toFixed(2)} s (best of 3), ${(megabytes / bestScan).toFixed(0)} MB/s of patches, ${findings} findings`,
  );
  console.log(`ratio to git log -p: ${(bestScan / bestGit).toFixed(2)}x (goal <= 1.5x)`);
  const short = scan(half);
  console.log(
    `peak memory (scan and its git): ${Math.floor(commits / 2)} commits ${short.peakMb.toFixed(0)} MB, ${commits} commits ${Math.max(...rounds.map((round) => round.scan.peakMb)).toFixed(0)} MB`,
  );

  const hook = hookOverhead(tree);
  console.log(
    `git commit of 20 files of real code, no findings: ${hook.without.toFixed(0)} ms without the hook, ${hook.withHook.toFixed(0)} ms with it: the hook adds ${(hook.withHook - hook.without).toFixed(0)} ms (goal <= 150 ms, medians of 9)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
