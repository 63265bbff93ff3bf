/**
 * gitignore-style patterns, as exact names, name endings or linear regular expressions (`*` and
 * `?` never cross `/`; `**` spans directories). Used for `.gitignore`, `.apikeyguardignore` paths
 * and `--exclude`.
 */

export interface PathPattern {
  /** Whether a path (or its last segment, for `lastSegment` patterns) matches. */
  readonly test: (subject: string) => boolean;
  readonly negated: boolean;
  readonly directoryOnly: boolean;
  /**
   * The pattern has no slash and no `**`, so it can only match the last segment of a path: it is
   * tested against that segment alone, not retried at every position of the whole path.
   */
  readonly lastSegment: boolean;
}

/**
 * What one or more patterns match: exact last segments (`.env`, `yarn.lock`), last-segment endings
 * (`*.png`), which need no regular expression, and regular expressions for the rest.
 */
interface Matches {
  readonly names: readonly string[];
  readonly suffixes: readonly string[];
  readonly sources: readonly string[];
}

type CompiledLine = Omit<PathPattern, 'test'> & { readonly matches: Matches };

const GLOB_SYNTAX = /[*?[\\]/;

/** Compiles one gitignore line; undefined for blanks and comments. */
function compileLine(line: string): CompiledLine | undefined {
  let pattern = line.replace(/(?<!\\)\s+$/, '');
  if (pattern === '' || pattern.startsWith('#')) return undefined;
  const negated = pattern.startsWith('!');
  if (negated) pattern = pattern.slice(1);
  const directoryOnly = pattern.endsWith('/');
  if (directoryOnly) pattern = pattern.slice(0, -1);
  const anchored = pattern.includes('/');
  if (pattern.startsWith('/')) pattern = pattern.slice(1);
  if (pattern.startsWith('./')) pattern = pattern.slice(2);
  const lastSegment = !anchored && !pattern.includes('**');
  const flags = { negated, directoryOnly, lastSegment };
  if (lastSegment && !GLOB_SYNTAX.test(pattern)) return { ...flags, matches: { names: [pattern], suffixes: [], sources: [] } };
  if (lastSegment && pattern.startsWith('*') && !GLOB_SYNTAX.test(pattern.slice(1)))
    return { ...flags, matches: { names: [], suffixes: [pattern.slice(1)], sources: [] } };
  const source = `${anchored || lastSegment ? '^' : '(?:^|/)'}${globBody(pattern)}$`;
  return { ...flags, matches: { names: [], suffixes: [], sources: [source] } };
}

function tester({ names, suffixes, sources }: Matches): (subject: string) => boolean {
  const nameSet = new Set(names);
  // Endings that are a file extension (`.png`) are one set lookup of the subject's own extension.
  const isExtension = (suffix: string): boolean => suffix.lastIndexOf('.') === 0;
  const extensions = new Set(suffixes.filter(isExtension));
  const otherSuffixes = suffixes.filter((suffix) => !isExtension(suffix));
  const regex = sources.length === 0 ? undefined : new RegExp(sources.map((source) => `(?:${source})`).join('|'));
  return (subject) =>
    nameSet.has(subject) ||
    extensions.has(subject.slice(subject.lastIndexOf('.'))) ||
    otherSuffixes.some((suffix) => subject.endsWith(suffix)) ||
    (regex?.test(subject) ?? false);
}

function globBody(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*' && pattern[i + 1] === '*') {
      const slashAfter = pattern[i + 2] === '/';
      out += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (char === '*') {
      out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      const inner = pattern
        .slice(i + 1, close)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\');
      out += `[${inner}]`;
      i = close;
    } else if (char === '\\' && i + 1 < pattern.length) {
      out += escapeChar(pattern[++i] as string);
    } else {
      out += escapeChar(char);
    }
  }
  return out;
}

function escapeChar(char: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
}

/**
 * Compiles gitignore lines, joining each run of consecutive patterns that are tested alike (same
 * negation, directory-only and last-segment flags) into one test: the verdict is the same, and a
 * long list such as the default excludes costs one set lookup, a few string endings and at most
 * one regular expression per path instead of fifty regular expressions.
 */
export function compilePatterns(lines: readonly string[]): PathPattern[] {
  const merged: PathPattern[] = [];
  let run: CompiledLine[] = [];
  const flush = (): void => {
    const [first] = run;
    if (first === undefined) return;
    const matches = {
      names: run.flatMap((line) => line.matches.names),
      suffixes: run.flatMap((line) => line.matches.suffixes),
      sources: run.flatMap((line) => line.matches.sources),
    };
    merged.push({ negated: first.negated, directoryOnly: first.directoryOnly, lastSegment: first.lastSegment, test: tester(matches) });
    run = [];
  };
  for (const line of lines) {
    const compiled = compileLine(line);
    if (compiled === undefined) continue;
    const [first] = run;
    if (
      first !== undefined &&
      (first.negated !== compiled.negated || first.directoryOnly !== compiled.directoryOnly || first.lastSegment !== compiled.lastSegment)
    )
      flush();
    run.push(compiled);
  }
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
