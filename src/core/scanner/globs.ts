/**
 * gitignore-style patterns, used for `.gitignore`, `.apikeyguardignore` paths and `--exclude`, as
 * git's wildmatch reads them: `*` and `?` never cross `/`, `[...]` classes (`!` or `^` negates,
 * ranges, POSIX `[:alpha:]`), `\` escapes, and a `**` segment spans any number of directories
 * (other `**` are `*`). They are matched by hand, never as regular expressions: a star remembers one
 * place to return to, so `*a*a*a…*b` against a long name, or twelve `**` segments against a deep
 * path, costs at most the path's length times the pattern's, where a backtracking regular expression
 * never finishes. A line git would never match with (a reversed range such as `[z-a]`, a trailing
 * `\`) is skipped, and said so, instead of stopping the scan.
 */
import type { Meter } from './types';

export interface PathPattern {
  /** Whether a path (or its last segment, for `lastSegment` patterns) matches. */
  readonly test: (subject: string) => boolean;
  readonly negated: boolean;
  readonly directoryOnly: boolean;
  /** The pattern has no slash, so it can only match the last segment of a path, and is tested against that alone. */
  readonly lastSegment: boolean;
}

/** A line that was skipped: its 1-based number, the line and why. */
export interface PatternProblem {
  readonly line: number;
  readonly text: string;
  readonly problem: string;
}

/** Characters and segments compared by every match so far: how tests prove the matcher linear. */
export const globMeter: Meter = { steps: 0 };

/** Any one character but `/`. */
const ANY = -1;
/** Any run of characters without `/`. */
const STAR = -2;

interface CharClass {
  readonly negated: boolean;
  /** Pairs of first and last code unit. */
  readonly ranges: readonly number[];
}

/** A segment's tokens: a code unit to match exactly, ANY, STAR, or a class. */
type Token = number | CharClass;
/** A path pattern's segments: tokens, or `**` (GLOBSTAR) for any number of whole segments. */
const GLOBSTAR = 'globstar';
type Segment = readonly Token[] | typeof GLOBSTAR;

const POSIX_CLASSES: Readonly<Record<string, readonly number[]>> = {
  alnum: [48, 57, 65, 90, 97, 122],
  alpha: [65, 90, 97, 122],
  blank: [9, 9, 32, 32],
  cntrl: [0, 31, 127, 127],
  digit: [48, 57],
  graph: [33, 126],
  lower: [97, 122],
  print: [32, 126],
  punct: [33, 47, 58, 64, 91, 96, 123, 126],
  space: [9, 13, 32, 32],
  upper: [65, 90],
  xdigit: [48, 57, 65, 70, 97, 102],
};

class SkippedLine extends Error {}

/** A segment's tokens; throws SkippedLine for what git never matches. */
function parseSegment(segment: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] as string;
    if (char === '*') {
      if (tokens[tokens.length - 1] !== STAR) tokens.push(STAR);
    } else if (char === '?') {
      tokens.push(ANY);
    } else if (char === '\\') {
      if (i + 1 === segment.length) throw new SkippedLine('it ends with an unescaped backslash, which git never matches');
      tokens.push(segment.charCodeAt(++i));
    } else if (char === '[') {
      const parsed = parseClass(segment, i);
      if (parsed === undefined) tokens.push(91);
      else {
        tokens.push(parsed.charClass);
        i = parsed.end;
      }
    } else {
      tokens.push(segment.charCodeAt(i));
    }
  }
  return tokens;
}

/** The class opening at `open`, and the index of its `]`; undefined when it never closes (the `[` is then literal). */
function parseClass(segment: string, open: number): { charClass: CharClass; end: number } | undefined {
  let i = open + 1;
  const negated = segment[i] === '!' || segment[i] === '^';
  if (negated) i++;
  const ranges: number[] = [];
  for (let first = true; i < segment.length; first = false) {
    const char = segment[i] as string;
    if (char === ']' && !first) return { charClass: { negated, ranges }, end: i };
    if (char === '[' && segment[i + 1] === ':') {
      const close = segment.indexOf(':]', i + 2);
      const named = close === -1 ? undefined : POSIX_CLASSES[segment.slice(i + 2, close)];
      if (named !== undefined) {
        ranges.push(...named);
        i = close + 2;
        continue;
      }
    }
    let low = segment.charCodeAt(i);
    if (char === '\\') {
      if (i + 1 === segment.length) return undefined;
      low = segment.charCodeAt(++i);
    }
    i++;
    if (segment[i] === '-' && i + 1 < segment.length && segment[i + 1] !== ']') {
      let high = segment.charCodeAt(i + 1);
      i += 2;
      if (high === 92 && i < segment.length) high = segment.charCodeAt(i++);
      if (high < low) throw new SkippedLine(`its range ${String.fromCharCode(low)}-${String.fromCharCode(high)} is reversed, which git never matches`);
      ranges.push(low, high);
    } else {
      ranges.push(low, low);
    }
  }
  return undefined;
}

function tokenMatches(token: Token, code: number): boolean {
  if (typeof token === 'number') return token === ANY || token === code;
  if (code === 47) return false;
  let inside = false;
  for (let r = 0; r < token.ranges.length && !inside; r += 2) inside = code >= (token.ranges[r] as number) && code <= (token.ranges[r + 1] as number);
  return inside !== token.negated;
}

/**
 * Whether `items` match positions [0, length) of a subject: a star item (`isStar`) matches any run
 * of positions, another item one position where `matchesAt` says so. On a mismatch the last star
 * takes one more position and the items after it start again: an earlier star never needs to take
 * more, since what follows it matched at the leftmost place it could. So the walk compares at most
 * `length` times the items after the last star, and never backtracks further.
 */
function starMatch<T>(items: readonly T[], length: number, isStar: (item: T) => boolean, matchesAt: (item: T, position: number) => boolean): boolean {
  let t = 0;
  let i = 0;
  let star = -1;
  let starAt = 0;
  while (i < length) {
    globMeter.steps++;
    const item = items[t];
    if (item !== undefined && isStar(item)) {
      star = t++;
      starAt = i;
    } else if (item !== undefined && matchesAt(item, i)) {
      t++;
      i++;
    } else if (star !== -1) {
      t = star + 1;
      i = ++starAt;
    } else {
      return false;
    }
  }
  while (t < items.length && isStar(items[t] as T)) t++;
  return t === items.length;
}

/** Whether `text[from, to)`, one segment (no `/`), matches the tokens. */
function matchSegment(tokens: readonly Token[], text: string, from: number, to: number): boolean {
  return starMatch(
    tokens,
    to - from,
    (token) => token === STAR,
    (token, i) => tokenMatches(token, text.charCodeAt(from + i)),
  );
}

/** Whether a path's segments match, GLOBSTAR standing for any number of whole segments. */
function matchSegments(segments: readonly Segment[], path: string): boolean {
  const starts = [0];
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) starts.push(slash + 1);
  const end = (index: number): number => (index + 1 < starts.length ? (starts[index + 1] as number) - 1 : path.length);
  return starMatch(
    segments,
    starts.length,
    (segment) => segment === GLOBSTAR,
    (segment, index) => matchSegment(segment as readonly Token[], path, starts[index] as number, end(index)),
  );
}

/**
 * What a run of patterns matches: exact last segments (`.env`, `yarn.lock`), last-segment endings
 * (`*.png`), which need no matcher, and the rest.
 */
interface Matches {
  readonly names: readonly string[];
  readonly suffixes: readonly string[];
  readonly globs: readonly ((subject: string) => boolean)[];
}

type CompiledLine = Omit<PathPattern, 'test'> & { readonly matches: Matches };

const GLOB_SYNTAX = /[*?[\\]/;

/** Compiles one gitignore line; undefined for blanks and comments; throws SkippedLine. */
function compileLine(line: string): CompiledLine | undefined {
  let pattern = withoutTrailingSpaces(line);
  if (pattern === '' || pattern.startsWith('#')) return undefined;
  const negated = pattern.startsWith('!');
  if (negated) pattern = pattern.slice(1);
  const directoryOnly = pattern.endsWith('/');
  if (directoryOnly) pattern = pattern.slice(0, -1);
  const anchored = pattern.includes('/');
  if (pattern.startsWith('/')) pattern = pattern.slice(1);
  if (pattern.startsWith('./')) pattern = pattern.slice(2);
  const flags = { negated, directoryOnly, lastSegment: !anchored };
  if (!anchored && !GLOB_SYNTAX.test(pattern)) return { ...flags, matches: { names: [pattern], suffixes: [], globs: [] } };
  if (!anchored && pattern.startsWith('*') && !GLOB_SYNTAX.test(pattern.slice(1)))
    return { ...flags, matches: { names: [], suffixes: [pattern.slice(1)], globs: [] } };
  let glob: (subject: string) => boolean;
  if (anchored) {
    const segments = pattern.split('/').map((segment): Segment => (segment === '**' ? GLOBSTAR : parseSegment(segment)));
    glob = (subject) => matchSegments(segments, subject);
  } else {
    const tokens = parseSegment(pattern);
    glob = (subject) => matchSegment(tokens, subject, 0, subject.length);
  }
  return { ...flags, matches: { names: [], suffixes: [], globs: [glob] } };
}

/** Trailing whitespace goes, as in git, except one escaped with a backslash. By hand: `\s+$` is quadratic on a long run of spaces. */
function withoutTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && /\s/.test(line[end - 1] as string)) end--;
  if (end < line.length && line[end - 1] === '\\') end++;
  return line.slice(0, end);
}

function tester({ names, suffixes, globs }: Matches): (subject: string) => boolean {
  const nameSet = new Set(names);
  // Endings that are a file extension (`.png`) are one set lookup of the subject's own extension.
  const isExtension = (suffix: string): boolean => suffix.lastIndexOf('.') === 0;
  const extensions = new Set(suffixes.filter(isExtension));
  const otherSuffixes = suffixes.filter((suffix) => !isExtension(suffix));
  return (subject) =>
    nameSet.has(subject) ||
    extensions.has(subject.slice(subject.lastIndexOf('.'))) ||
    otherSuffixes.some((suffix) => subject.endsWith(suffix)) ||
    globs.some((glob) => glob(subject));
}

/**
 * Compiles gitignore lines, joining each run of consecutive patterns that are tested alike (same
 * negation, directory-only and last-segment flags) into one test: the verdict is the same, and a
 * long list such as the default excludes costs one set lookup and a few string endings per path.
 * A line git would never match with is left out and passed to `onSkipped`.
 */
export function compilePatterns(lines: readonly string[], onSkipped: (problem: PatternProblem) => void = () => undefined): PathPattern[] {
  const merged: PathPattern[] = [];
  let run: CompiledLine[] = [];
  const flush = (): void => {
    const [first] = run;
    if (first === undefined) return;
    const matches = {
      names: run.flatMap((line) => line.matches.names),
      suffixes: run.flatMap((line) => line.matches.suffixes),
      globs: run.flatMap((line) => line.matches.globs),
    };
    merged.push({ negated: first.negated, directoryOnly: first.directoryOnly, lastSegment: first.lastSegment, test: tester(matches) });
    run = [];
  };
  lines.forEach((line, index) => {
    let compiled: CompiledLine | undefined;
    try {
      compiled = compileLine(line);
    } catch (error) {
      if (!(error instanceof SkippedLine)) throw error;
      onSkipped({ line: index + 1, text: line, problem: error.message });
      return;
    }
    if (compiled === undefined) return;
    const [first] = run;
    if (
      first !== undefined &&
      (first.negated !== compiled.negated || first.directoryOnly !== compiled.directoryOnly || first.lastSegment !== compiled.lastSegment)
    )
      flush();
    run.push(compiled);
  });
  flush();
  return merged;
}

/**
 * The verdict of an ordered list of patterns for a path relative to their base (forward slashes):
 * true ignored, false re-included by a `!` pattern, undefined no pattern matched.
 */
export function matchPatterns(patterns: readonly PathPattern[], relativePath: string, isDirectory: boolean): boolean | undefined {
  let verdict: boolean | undefined;
  const lastSegment = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  for (const pattern of patterns) {
    if (pattern.directoryOnly && !isDirectory) continue;
    const matched = pattern.lastSegment ? pattern.test(lastSegment) : pattern.test(relativePath) || (isDirectory && pattern.test(`${relativePath}/`));
    if (matched) verdict = !pattern.negated;
  }
  return verdict;
}
