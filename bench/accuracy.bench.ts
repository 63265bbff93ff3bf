/**
 * Accuracy bench (`npm run bench accuracy`): this scanner next to secretlint's recommended preset,
 * in the same run, on the project's own labelled corpus and on the CredData subset (built from
 * public repositories by ../shared/benchmarks/creddata; strict and labelled scoring, with and
 * without UUID-only spans, recall by category, flagged F/X lines), then how often each value check
 * refuses random keys of the formats its rules accept. The subset is read from $CREDDATA_SUBSET
 * (default: a cache folder); $CREDDATA_OTHER may point at a build of other CredData repositories,
 * scored separately. Figures only.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SecretScanner } from '../src/core/scanner/engine';
import { toSlash } from '../src/core/scanner/files';
import { RULES } from '../src/core/scanner/rules';
import type { Rule, ValueCheck } from '../src/core/scanner/types';
import { Refusal, refusalOf } from '../src/core/scanner/valueFilters';
import { CACHE, prepare, ROOT, runSecretlint } from './peers';
import { KEY_SHAPES, Random, secretsOf, seededRandom } from './randomKeys';
import {
  CorpusLabels,
  flaggedNegatives,
  f1Of,
  formatScore,
  goalLine,
  LineHit,
  loadSubset,
  precisionOf,
  recallByCategory,
  recallOf,
  scoreCorpus,
  scoreSubset,
  Subset,
  SubsetResult,
  SubsetScoring,
} from './scoring';

const CORPUS = path.join(ROOT, 'test/fixtures/corpus');
const BENCHMARK = path.resolve(ROOT, '../shared/benchmarks/creddata');
const DEFAULT_SUBSET = path.join(os.tmpdir(), 'api-key-guard-bench-creddata/subset');
/** The CredData commit whose labels the subset is built from (the benchmark's README pins it). */
const CREDDATA_REVISION = 'c2e5761aa1923330eaf7460e44a20bdd0dc86926';
/** Random keys drawn per format: enough to tell a refusal rate of 0.01% (about 10 of them) from none. */
const RANDOM_KEYS = 100_000;
const REFUSAL_GOAL = 0.0001;

interface Tool {
  readonly name: string;
  /** The tool's findings over files (relative to `root`). */
  readonly scan: (root: string, files: readonly string[]) => LineHit[] | undefined;
}

function ourTool(): Tool {
  const scanner = new SecretScanner();
  return {
    name: 'api-key-guard',
    scan: (root, files) =>
      files.flatMap((file) =>
        scanner.scanFile(fs.readFileSync(path.join(root, file)), { fileName: file }).map((finding) => ({ file, line: finding.line + 1 })),
      ),
  };
}

function secretlintTool(node24: string): Tool {
  return {
    name: 'secretlint (recommend)',
    scan: (root, files) =>
      runSecretlint(
        node24,
        files.map((file) => path.join(root, file)),
      )?.map((finding) => ({ file: toSlash(path.relative(root, finding.file)), line: finding.line })),
  };
}

function ownCorpus(tools: readonly Tool[]): void {
  console.log('\n-- the project corpus (test/fixtures/corpus, labels.json; a finding counts by file and line)');
  const labels = JSON.parse(fs.readFileSync(path.join(CORPUS, 'labels.json'), 'utf8')) as CorpusLabels;
  const files = Object.keys(labels.files);
  for (const tool of tools) {
    const hits = tool.scan(CORPUS, files);
    if (hits === undefined) continue;
    const score = scoreCorpus(labels, hits);
    console.log(formatScore(tool.name, score));
    if (tool === tools[0]) {
      const met = precisionOf(score) >= 0.97 && recallOf(score) >= 0.95;
      console.log(goalLine(met, `precision ${precisionOf(score).toFixed(3)} >= 0.97 and recall ${recallOf(score).toFixed(3)} >= 0.95 on the project corpus`));
    }
  }
}

const SCORINGS: readonly (SubsetScoring & { readonly name: string })[] = [
  { name: 'labelled, without UUID-only', labelled: true, withUuidOnly: false },
  { name: 'labelled, with UUID-only', labelled: true, withUuidOnly: true },
  { name: 'strict, without UUID-only', labelled: false, withUuidOnly: false },
  { name: 'strict, with UUID-only', labelled: false, withUuidOnly: true },
];

function credData(title: string, subset: Subset, tools: readonly Tool[], goal: boolean): void {
  console.log(`\n-- ${title} (${subset.root}: ${subset.files.length} files, ${subset.truth.length} T spans, ${subset.negatives.length} F/X lines)`);
  const results: { tool: Tool; hits: LineHit[]; byScoring: SubsetResult[] }[] = [];
  for (const tool of tools) {
    const started = process.hrtime.bigint();
    const hits = tool.scan(path.join(subset.root, 'corpus'), subset.files);
    if (hits === undefined) continue;
    console.log(`${tool.name}: ${hits.length} findings in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
    results.push({ tool, hits, byScoring: SCORINGS.map((scoring) => scoreSubset(subset, hits, scoring)) });
  }
  SCORINGS.forEach((scoring, i) => {
    console.log(`${scoring.name}:`);
    for (const { tool, byScoring } of results) console.log(`  ${formatScore(tool.name, (byScoring[i] as SubsetResult).score)}`);
  });
  const ours = results[0];
  if (goal && ours !== undefined && ours.tool === tools[0]) {
    const score = (ours.byScoring[0] as SubsetResult).score;
    const met = f1Of(score) >= 0.8 && precisionOf(score) >= 0.9;
    console.log(goalLine(met, `F1 ${f1Of(score).toFixed(3)} >= 0.80 with precision ${precisionOf(score).toFixed(3)} >= 0.90 (${SCORINGS[0]?.name ?? ''})`));
  }
  console.log('recall by CredData category (T spans found / all):');
  const tables = results.map(({ byScoring }) => recallByCategory(subset, (byScoring[1] as SubsetResult).hit));
  console.log(`  ${'category'.padEnd(30)}${results.map(({ tool }) => tool.name.padStart(24)).join('')}`);
  for (const [row, { category, total }] of (tables[0] ?? []).entries()) {
    const cells = tables.map((table) => `${table[row]?.found ?? 0}/${total}`.padStart(24));
    console.log(`  ${category.padEnd(30)}${cells.join('')}`);
  }
  console.log('F/X lines flagged, by CredData category (flagged / all):');
  const negatives = results.map(({ hits }) => flaggedNegatives(subset, hits));
  for (const [row, { category, why, total }] of (negatives[0] ?? []).entries()) {
    if (total < 10) continue;
    const cells = negatives.map((table) => `${table[row]?.flagged ?? 0}/${total}`.padStart(24));
    console.log(`  ${`${category.slice('creddata-'.length)} ${why}`.padEnd(30)}${cells.join('')}`);
  }
  for (const { tool, hits } of results) {
    const flagged = flaggedNegatives(subset, hits).reduce((sum, row) => sum + row.flagged, 0);
    console.log(`  ${tool.name}: ${flagged} of ${subset.negatives.length} F/X lines flagged`);
  }
}

function buildCommand(out: string): string {
  const repos = path.join(BENCHMARK, 'repos.txt');
  return [
    `MIRRORS=<folder of mirrors laid out as OWNER+NAME/repo> node ${path.join(BENCHMARK, 'build-subset.mjs')} build`,
    `--rev ${CREDDATA_REVISION} --repos "$(paste -sd, ${repos})" --out ${out}`,
  ].join(' ');
}

interface Format {
  readonly name: string;
  readonly make: (random: Random) => string;
  /** A password's shape: the goal holds for it under password rules, not under key names (see goalHolds). */
  readonly password?: true;
}

/**
 * The refusal goal holds for every key shape and rule pattern under every rule, and for passwords
 * under the password rules. A password's shape under a key name is measured and printed beside it,
 * outside the goal: a generic name (`secret`, `token`) holds ids, labels and words as often as keys,
 * so its values must look random by design (README: "Random keys and the filters"), and a name that
 * only ever holds a key holds a key, which no API issues as twelve characters with symbols.
 */
function goalHolds(check: ValueCheck, format: Format): boolean {
  return format.password !== true || check.filter === 'password';
}

interface Measured {
  readonly check: ValueCheck;
  readonly rules: string[];
  readonly formats: readonly Format[];
}

/**
 * What each value check is measured on: a rule whose pattern proves a format, on random values of
 * its pattern; the others (names, headers, URLs, connection strings: any value), on the shapes that
 * keys take, less UUIDs where the check refuses ids by design. A check shared by rules is measured once.
 */
function checksOf(rules: readonly Rule[]): Measured[] {
  const measured: Measured[] = [];
  for (const rule of rules) {
    if (rule.kind === 'block') continue;
    if (rule.kind === 'pattern' && rule.value.filter === 'format') {
      measured.push({ check: rule.value, rules: [rule.id], formats: [{ name: 'its pattern', make: secretsOf(rule.pattern) }] });
      continue;
    }
    const same = measured.find((entry) => entry.formats[0]?.name !== 'its pattern' && JSON.stringify(entry.check) === JSON.stringify(rule.value));
    if (same) same.rules.push(rule.id);
    else measured.push({ check: rule.value, rules: [rule.id], formats: KEY_SHAPES.filter((shape) => rule.value.allowIds || !shape.id) });
  }
  return measured;
}

/**
 * The random values of a format and what each value check (bar its length bounds, which are checked
 * first and alone) says of them, worked out once: checks that differ only in length bounds, as
 * vendor rules' do, and formats drawn for many checks (the key shapes) cost one pass each.
 */
class RefusalTable {
  private readonly values = new Map<Format, readonly string[]>();
  private readonly refusals = new Map<string, readonly (Refusal | undefined)[]>();

  valuesOf(format: Format): readonly string[] {
    let values = this.values.get(format);
    if (values === undefined) {
      const random = seededRandom(RANDOM_KEYS + format.name.length);
      values = Array.from({ length: RANDOM_KEYS }, () => format.make(random));
      // A rule's own pattern is drawn for that rule alone: not worth keeping.
      if (format.name !== 'its pattern') this.values.set(format, values);
    }
    return values;
  }

  refusalsOf(format: Format, check: ValueCheck, values: readonly string[]): readonly (Refusal | undefined)[] {
    const unbounded = { ...check, minLength: 0, maxLength: Number.MAX_SAFE_INTEGER };
    const key = format.name === 'its pattern' ? undefined : `${format.name}\n${JSON.stringify(unbounded)}`;
    let refusals = key === undefined ? undefined : this.refusals.get(key);
    if (refusals === undefined) {
      refusals = values.map((value) => refusalOf(value, unbounded));
      if (key !== undefined) this.refusals.set(key, refusals);
    }
    return refusals;
  }
}

interface RefusalRow {
  readonly inGoal: boolean;
  readonly rate: number;
  readonly format: string;
  readonly filters: string;
  readonly rules: string[];
}

function falseRefusals(): void {
  console.log(`\n-- random keys refused by the value checks (${RANDOM_KEYS.toLocaleString('en')} per format; goal below ${REFUSAL_GOAL * 100}%)`);
  const table = new RefusalTable();
  // Rows that say the same of the same format are one row, whichever rules they come from.
  const rows = new Map<string, RefusalRow>();
  const worst = { inGoal: 0, outside: 0 };
  for (const { check, rules, formats } of checksOf(RULES)) {
    for (const format of formats) {
      const values = table.valuesOf(format);
      const refusals = table.refusalsOf(format, check, values);
      const byFilter = new Map<string, number>();
      let accepted = 0;
      values.forEach((value, i) => {
        if (value.length < check.minLength || value.length > check.maxLength) return;
        accepted++;
        const refusal = refusals[i];
        if (refusal !== undefined) byFilter.set(refusal, (byFilter.get(refusal) ?? 0) + 1);
      });
      const refused = [...byFilter.values()].reduce((sum, count) => sum + count, 0);
      if (accepted === 0 || refused === 0) continue;
      const rate = refused / accepted;
      const inGoal = goalHolds(check, format);
      if (inGoal) worst.inGoal = Math.max(worst.inGoal, rate);
      else worst.outside = Math.max(worst.outside, rate);
      const filters = [...byFilter].sort((x, y) => y[1] - x[1]).map(([filter, count]) => `${filter} ${((count / accepted) * 100).toFixed(3)}%`);
      const key = `${inGoal}\n${rate}\n${format.name}\n${filters.join(', ')}`;
      const same = rows.get(key);
      if (same) same.rules.push(...rules);
      else rows.set(key, { inGoal, rate, format: format.name, filters: filters.join(', '), rules: [...rules] });
    }
  }
  for (const { inGoal, rate, format, filters, rules } of rows.values()) {
    const label = rules.length > 3 ? `${rules.slice(0, 3).join(', ')} and ${rules.length - 3} more` : rules.join(', ');
    console.log(`  ${(rate * 100).toFixed(3).padStart(7)}%  ${format.padEnd(24)} ${label}: ${filters}${inGoal ? '' : '  (outside the goal)'}`);
  }
  const percent = (rate: number): string => `${(rate * 100).toFixed(3)}%`;
  console.log(
    goalLine(
      worst.inGoal < REFUSAL_GOAL,
      `highest refusal rate ${percent(worst.inGoal)} < ${percent(REFUSAL_GOAL)} (key shapes and rule patterns under every rule, passwords under password rules)`,
    ),
  );
  console.log(
    `passwords under key names, outside the goal (generic names need random-looking values by design): highest ${percent(worst.outside)}; ` +
      'formats not listed: none refused; UUIDs are ids, not keys, under names that may hold either',
  );
}

function main(): void {
  const { node24 } = prepare();
  const tools = [ourTool(), ...(node24 === undefined ? [] : [secretlintTool(node24)])];
  if (node24 === undefined) console.log('secretlint: skipped (no Node 22+ binary available)');
  console.log(`peers: secretlint from ${CACHE}`);
  ownCorpus(tools);
  const subsetRoot = process.env['CREDDATA_SUBSET'] ?? DEFAULT_SUBSET;
  const subset = loadSubset(subsetRoot);
  if (subset === undefined) {
    console.log(`\n-- CredData subset: not built at ${subsetRoot}. Build it (about a second, from local mirrors), or point CREDDATA_SUBSET at a build:`);
    console.log(`   ${buildCommand(subsetRoot)}`);
  } else {
    credData('CredData subset, the benchmark', subset, tools, true);
  }
  const otherRoot = process.env['CREDDATA_OTHER'];
  const other = otherRoot === undefined ? undefined : loadSubset(otherRoot);
  if (otherRoot !== undefined && other === undefined) console.log(`\n-- other CredData repositories: nothing built at ${otherRoot} (CREDDATA_OTHER)`);
  if (other !== undefined) credData('other CredData repositories, not tuned on', other, tools, false);
  falseRefusals();
}

main();
