/**
 * Formats bench (`npm run bench formats`): how many of other scanners' own published samples the
 * scanner finds, tried as a new user would. When mirrors of gitleaks and secretlint are present
 * (under $API_KEY_GUARD_MIRRORS, default /work/.mirror, as `<owner>+<name>/repo` git directories),
 * their literal samples are read at bench time (nothing of theirs is kept): gitleaks' `tps`/`fps`
 * string literals in cmd/generate/config/rules/*.go, and secretlint's rule snapshots (`ng.*` cases
 * expect a finding, `ok.*` none). A sample counts as found when the scan reports anything in it.
 * secretlint runs on the same samples when the scan bench's cache has it and a Node 22+.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SecretScanner } from '../src/core/scanner/engine';

const MIRRORS = process.env['API_KEY_GUARD_MIRRORS'] ?? '/work/.mirror';
const ROOT = path.resolve(__dirname, '../..');
const SCAN_CACHE = path.join(os.tmpdir(), 'api-key-guard-bench-scan');
// The test host's Node 24 (installed by `npm test`), which secretlint needs.
const NODE24: string = require(path.join(ROOT, 'scripts/prerequisites.js')).testHostPaths().node24;

interface Sample {
  readonly family: string;
  readonly fileName: string;
  readonly text: string;
  readonly positive: boolean;
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** The Go string literals (interpreted or raw, `+`-joined) that are whole elements of a `tps`/`fps` slice or map value list. */
function goSampleLists(source: string): { positive: boolean; values: string[] }[] {
  const lists: { positive: boolean; values: string[] }[] = [];
  const start = /\b(tps|fps)\s*:?=\s*(?:\[\]string\s*\{|map\[string\]string\s*\{|append\(\s*\w+\s*,)/g;
  for (let match = start.exec(source); match !== null; match = start.exec(source)) {
    const values: string[] = [];
    let depth = 1;
    let parts: string[] = [];
    let literalOnly = true;
    const endElement = (): void => {
      if (parts.length > 0 && literalOnly) values.push(parts.join(''));
      parts = [];
      literalOnly = true;
    };
    let i = start.lastIndex;
    while (i < source.length && depth > 0) {
      const char = source[i] as string;
      if (char === '"') {
        let j = i + 1;
        let value = '';
        while (source[j] !== '"' && j < source.length) {
          if (source[j] === '\\') {
            value += JSON.parse(`"${source.slice(j, j + 2).replace(/\\'/, "'")}"`) as string;
            j += 2;
          } else value += source[j++];
        }
        parts.push(value);
        i = j + 1;
        continue;
      }
      if (char === '`') {
        const end = source.indexOf('`', i + 1);
        parts.push(source.slice(i + 1, end));
        i = end + 1;
        continue;
      }
      if (char === '/' && source[i + 1] === '/') {
        i = source.indexOf('\n', i);
        continue;
      }
      if ('({['.includes(char)) {
        depth++;
        literalOnly = false;
      } else if (')}]'.includes(char)) {
        depth--;
      } else if (char === ',' && depth === 1) {
        endElement();
      } else if (char === ':' && depth === 1) {
        // A map entry: the value after the key.
        parts = [];
        literalOnly = true;
      } else if (!/[\s+]/.test(char)) {
        literalOnly = false;
      }
      i++;
    }
    endElement();
    lists.push({ positive: match[1] === 'tps', values });
  }
  return lists;
}

export function gitleaksSamples(repo: string): Sample[] {
  const dir = 'cmd/generate/config/rules/';
  return git(repo, 'ls-tree', '--name-only', 'HEAD', dir)
    .split('\n')
    .filter((file) => file.endsWith('.go') && !file.endsWith('_test.go'))
    .flatMap((file) =>
      goSampleLists(git(repo, 'show', `HEAD:${file}`)).flatMap(({ positive, values }) =>
        values.map((text) => ({ family: path.basename(file, '.go'), fileName: 'sample.txt', text, positive })),
      ),
    );
}

/** Rules that are not about a secret's format (file names, home directories, generic patterns, presets). */
const SECRETLINT_NOT_FORMATS = /secretlint-rule-(?:preset-|pattern|filter-comments|example|no-dotenv|no-homedir|no-k8s)/;

export function secretlintSamples(repo: string): Sample[] {
  const cases = new Map<string, Map<string, string>>();
  for (const file of git(repo, 'ls-tree', '-r', '--name-only', 'HEAD', 'packages/@secretlint').split('\n')) {
    const match = /secretlint-rule-([^/]+)\/test\/snapshots\/([^/]+)\/([^/]+)$/.exec(file);
    if (match === null || SECRETLINT_NOT_FORMATS.test(file)) continue;
    const key = `${match[1]}/${match[2]}`;
    cases.set(key, (cases.get(key) ?? new Map<string, string>()).set(match[3] as string, file));
  }
  const samples: Sample[] = [];
  for (const [key, files] of cases) {
    const output = files.get('output.json');
    const input = [...files.keys()].find((name) => !['output.json', 'options.ts', '.secretlintrc.json'].includes(name));
    if (output === undefined || input === undefined) continue;
    const expected = JSON.parse(git(repo, 'show', `HEAD:${output}`)) as { messages: unknown[] };
    samples.push({
      family: key.split('/')[0] as string,
      fileName: input === 'input' ? 'input.txt' : input,
      text: git(repo, 'show', `HEAD:${files.get(input) as string}`),
      positive: expected.messages.length > 0,
    });
  }
  return samples;
}

function tally(samples: readonly Sample[], flagged: (sample: Sample, index: number) => boolean): string {
  let found = 0;
  let wrong = 0;
  const families = new Set<string>();
  const hitFamilies = new Set<string>();
  samples.forEach((sample, index) => {
    const hit = flagged(sample, index);
    if (sample.positive) {
      families.add(sample.family);
      if (hit) {
        found++;
        hitFamilies.add(sample.family);
      }
    } else if (hit) wrong++;
  });
  const positives = samples.filter((sample) => sample.positive).length;
  return `found ${found} of ${positives} positive samples (${((found * 100) / Math.max(1, positives)).toFixed(0)}%; at least one in ${hitFamilies.size} of ${families.size} families), wrongly flagged ${wrong} of ${samples.length - positives} negatives`;
}

/** secretlint's recommended preset over the samples written out as files, in one run; undefined when it is not installed. */
function secretlintFlags(samples: readonly Sample[]): boolean[] | undefined {
  const cli = path.join(SCAN_CACHE, 'node_modules/secretlint/bin/secretlint.js');
  if (!fs.existsSync(cli) || !fs.existsSync(NODE24)) return undefined;
  const dir = path.join(SCAN_CACHE, 'format-samples');
  fs.rmSync(dir, { recursive: true, force: true });
  samples.forEach((sample, index) => {
    fs.mkdirSync(path.join(dir, String(index)), { recursive: true });
    fs.writeFileSync(path.join(dir, String(index), sample.fileName), sample.text);
  });
  fs.writeFileSync(path.join(SCAN_CACHE, '.secretlintrc.json'), '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}\n');
  const run = spawnSync(NODE24, [cli, '--format', 'json', '--no-color', 'format-samples/**/*'], { cwd: SCAN_CACHE, encoding: 'utf8', maxBuffer: 1 << 28 });
  const flagged = samples.map(() => false);
  try {
    for (const result of JSON.parse(run.stdout) as { filePath: string; messages: unknown[] }[]) {
      const index = Number(path.relative(dir, result.filePath).split(path.sep)[0]);
      if (result.messages.length > 0) flagged[index] = true;
    }
  } catch {
    return undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return flagged;
}

function main(): void {
  const sources: [string, string, (repo: string) => Sample[]][] = [
    ['secretlint rule snapshots (secret-format rules)', 'secretlint+secretlint', secretlintSamples],
    ["gitleaks' literal true/false positive samples", 'gitleaks+gitleaks', gitleaksSamples],
  ];
  const scanner = new SecretScanner();
  let ran = false;
  for (const [label, mirror, read] of sources) {
    const repo = path.join(MIRRORS, mirror, 'repo');
    if (!fs.existsSync(repo)) {
      console.log(`${label}: no mirror at ${repo} (set API_KEY_GUARD_MIRRORS to the folder holding ${mirror}/repo)`);
      continue;
    }
    ran = true;
    const samples = read(repo);
    console.log(`\n-- ${label} at ${git(repo, 'rev-parse', '--short', 'HEAD').trim()}`);
    console.log(`api-key-guard   ${tally(samples, (sample) => scanner.scanText(sample.text, { fileName: sample.fileName }).length > 0)}`);
    const theirs = secretlintFlags(samples);
    console.log(
      theirs === undefined
        ? 'secretlint      skipped (run `npm run bench scan` once to install it)'
        : `secretlint      ${tally(samples, (_, index) => theirs[index] === true)}`,
    );
  }
  if (!ran) console.log('no peer mirrors found: nothing measured');
}

if (require.main === module) main();
