/**
 * The accuracy bench's scoring, the project's own: the labelled corpus in test/fixtures/corpus (a
 * finding counts by file and line) and the CredData subset that ../shared/benchmarks/creddata
 * builds, scored as its README defines: a finding hits a T span when it is in the same file and its
 * line lies in [line, endLine]; findings are deduplicated per (file, line); TP = spans hit, FN =
 * spans not hit, FP = distinct finding lines that hit no span. Strict scoring counts every finding;
 * labelled scoring only those on a labelled line (a T span or an F/X line), as CredData's own
 * benchmark does. Leaving out UUID-only spans removes them from TP and FN, and a finding on one of
 * them is then neither a hit nor a false positive.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Score {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
}

export function precisionOf({ tp, fp }: Score): number {
  return tp + fp === 0 ? 0 : tp / (tp + fp);
}

export function recallOf({ tp, fn }: Score): number {
  return tp + fn === 0 ? 0 : tp / (tp + fn);
}

export function f1Of(score: Score): number {
  const precision = precisionOf(score);
  const recall = recallOf(score);
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

export function formatScore(name: string, score: Score): string {
  return `${name.padEnd(34)} precision ${precisionOf(score).toFixed(3)}  recall ${recallOf(score).toFixed(3)}  F1 ${f1Of(score).toFixed(3)}  (tp ${score.tp}, fp ${score.fp}, fn ${score.fn})`;
}

/** One of the goals as a bench line: whether this run met it, then the figure against its bound. */
export function goalLine(met: boolean, figure: string): string {
  return `goal ${met ? 'met    ' : 'NOT MET'}  ${figure}`;
}

/** A finding as the benches compare them: a file (relative to the corpus root, forward slashes) and a 1-based line. */
export interface LineHit {
  readonly file: string;
  readonly line: number;
}

const key = (file: string, line: number): string => `${file}:${line}`;

// -------------------------------------------------------- own corpus ----

export interface CorpusLabels {
  readonly files: Record<string, readonly { readonly line: number; readonly ruleId: string }[]>;
}

/** Exact (file, line) agreement with labels.json: every label is a positive, every other finding in a listed file a false positive. */
export function scoreCorpus(labels: CorpusLabels, hits: readonly LineHit[]): Score {
  const expected = new Set(Object.entries(labels.files).flatMap(([file, items]) => items.map((item) => key(file, item.line))));
  const found = new Set(hits.map((hit) => key(hit.file, hit.line)));
  let tp = 0;
  for (const item of found) if (expected.has(item)) tp++;
  return { tp, fp: found.size - tp, fn: expected.size - tp };
}

// ---------------------------------------------------------- CredData ----

export interface TruthSpan {
  readonly file: string;
  readonly line: number;
  readonly endLine?: number;
  readonly kind: string;
  /** CredData's categories of the rows in the span, each possibly `A:B` for a row with several. */
  readonly kinds: readonly string[];
  readonly provider: string;
  readonly ctx: string;
}

export interface NegativeLine {
  readonly file: string;
  readonly line: number;
  readonly category: 'creddata-F' | 'creddata-X';
  readonly why: string;
}

export interface Subset {
  readonly root: string;
  readonly truth: readonly TruthSpan[];
  readonly negatives: readonly NegativeLine[];
  /** Every file of the corpus, relative to `root/corpus`. */
  readonly files: readonly string[];
}

/** The subset built at `root`, or undefined when it has not been built there. */
export function loadSubset(root: string): Subset | undefined {
  const files = ['truth.json', 'negatives.json'].map((name) => path.join(root, name));
  if (!files.every((file) => fs.existsSync(file)) || !fs.existsSync(path.join(root, 'corpus'))) return undefined;
  const [truth, negatives] = files.map((file) => JSON.parse(fs.readFileSync(file, 'utf8')));
  return { root, truth, negatives, files: listFiles(path.join(root, 'corpus')) };
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : entry.isFile() ? [`${prefix}${entry.name}`] : [],
    )
    .sort();
}

export function isUuidOnly(span: TruthSpan): boolean {
  return span.kinds.every((kind) => kind === 'UUID');
}

/**
 * The category a span is counted under in the recall table: CredData's categories grouped as the
 * benchmark's README quotes them, the most specific first (a `Password:URL Credentials` row is a
 * URL credential; a `Key:AWS Client ID` row is AWS).
 */
const CATEGORY_GROUPS: readonly [string, RegExp][] = [
  ['Private Key', /Private Key/],
  ['JWK', /^JWK$/],
  ['NKEY Seed', /NKEY/],
  ['JWT', /JSON Web Token|Azure Access Token/],
  ['Bearer', /Bearer|NTLM/],
  ['Basic Authorization', /Basic Authorization/],
  ['URL Credentials', /URL Credentials/],
  ['AWS', /^AWS/],
  ['OTP', /OTP/],
  ['Nonce/Salt', /^(?:Nonce|Salt)$/],
  ['Password', /Password|ConvertTo-SecureString/],
];

export function categoryOf(span: TruthSpan): string {
  if (isUuidOnly(span)) return 'UUID';
  const categories = span.kinds.flatMap((kind) => kind.split(':'));
  for (const [group, pattern] of CATEGORY_GROUPS) if (categories.some((category) => pattern.test(category))) return group;
  return 'Token/Key/Secret';
}

export interface SubsetScoring {
  /** Findings on unlabelled lines are left out (CredData's "lost"). */
  readonly labelled: boolean;
  readonly withUuidOnly: boolean;
}

export interface SubsetResult {
  readonly score: Score;
  /** Which spans were hit, by index into `truth`. */
  readonly hit: ReadonlySet<number>;
  /** Distinct finding lines that count as false positives. */
  readonly falseLines: readonly string[];
}

/** Spans by each line they cover. */
function spansByLine(truth: readonly TruthSpan[]): Map<string, number[]> {
  const byLine = new Map<string, number[]>();
  truth.forEach((span, index) => {
    for (let line = span.line; line <= (span.endLine ?? span.line); line++) {
      const entry = byLine.get(key(span.file, line));
      if (entry) entry.push(index);
      else byLine.set(key(span.file, line), [index]);
    }
  });
  return byLine;
}

export function scoreSubset(subset: Subset, hits: readonly LineHit[], { labelled, withUuidOnly }: SubsetScoring): SubsetResult {
  const byLine = spansByLine(subset.truth);
  const negativeLines = new Set(subset.negatives.map((negative) => key(negative.file, negative.line)));
  const counted = (index: number): boolean => withUuidOnly || !isUuidOnly(subset.truth[index] as TruthSpan);
  const hit = new Set<number>();
  const falseLines: string[] = [];
  for (const line of new Set(hits.map((item) => key(item.file, item.line)))) {
    const spans = byLine.get(line);
    if (spans === undefined) {
      if (!labelled || negativeLines.has(line)) falseLines.push(line);
      continue;
    }
    for (const index of spans) if (counted(index)) hit.add(index);
  }
  const total = subset.truth.filter((_, index) => counted(index)).length;
  return { score: { tp: hit.size, fp: falseLines.length, fn: total - hit.size }, hit, falseLines };
}

/** Spans found and all spans, by category, in the order of the most spans first. */
export function recallByCategory(subset: Subset, hit: ReadonlySet<number>): { category: string; found: number; total: number }[] {
  const table = new Map<string, { found: number; total: number }>();
  subset.truth.forEach((span, index) => {
    const category = categoryOf(span);
    const entry = table.get(category) ?? { found: 0, total: 0 };
    entry.total++;
    if (hit.has(index)) entry.found++;
    table.set(category, entry);
  });
  return [...table].map(([category, counts]) => ({ category, ...counts })).sort((a, b) => b.total - a.total);
}

/** How many F and X lines were flagged, by CredData's category of the line. */
export function flaggedNegatives(subset: Subset, hits: readonly LineHit[]): { category: string; why: string; flagged: number; total: number }[] {
  const found = new Set(hits.map((item) => key(item.file, item.line)));
  const table = new Map<string, { category: string; why: string; flagged: number; total: number }>();
  for (const negative of subset.negatives) {
    const why = negative.why.split(/[:|]/)[0]?.trim() ?? negative.why;
    const entryKey = `${negative.category} ${why}`;
    const entry = table.get(entryKey) ?? { category: negative.category, why, flagged: 0, total: 0 };
    entry.total++;
    if (found.has(key(negative.file, negative.line))) entry.flagged++;
    table.set(entryKey, entry);
  }
  return [...table.values()].sort((a, b) => a.category.localeCompare(b.category) || b.total - a.total);
}
