/**
 * gitignore-style patterns, compiled to linear regular expressions (`*` and `?` never cross `/`;
 * `**` spans directories). Used for `.gitignore`, `.apikeyguardignore` paths and `--exclude`.
 */

export interface PathPattern {
  readonly regex: RegExp;
  readonly negated: boolean;
  readonly directoryOnly: boolean;
  /**
   * The pattern has no slash and no `**`, so it can only match the last segment of a path: it is
   * tested against that segment alone, not retried at every position of the whole path.
   */
  readonly lastSegment: boolean;
}

/** Compiles one gitignore line; undefined for blanks and comments. */
export function compilePattern(line: string): PathPattern | undefined {
  let pattern = line.replace(/(?<!\\)\s+$/, '');
  if (pattern === '' || pattern.startsWith('#')) return undefined;
  const negated = pattern.startsWith('!');
  if (negated) pattern = pattern.slice(1);
  const directoryOnly = pattern.endsWith('/');
  if (directoryOnly) pattern = pattern.slice(0, -1);
  const anchored = pattern.includes('/');
  if (pattern.startsWith('/')) pattern = pattern.slice(1);
  if (pattern.startsWith('./')) pattern = pattern.slice(2);
  const body = globBody(pattern);
  const lastSegment = !anchored && !pattern.includes('**');
  return { regex: new RegExp(`${anchored ? '^' : lastSegment ? '^' : '(?:^|/)'}${body}$`), negated, directoryOnly, lastSegment };
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
      const inner = pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
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
 * negation, directory-only and last-segment flags) into one regular expression: the verdict is the
 * same, and a long list such as the default excludes costs one test per path instead of fifty.
 */
export function compilePatterns(lines: readonly string[]): PathPattern[] {
  const merged: PathPattern[] = [];
  let run: PathPattern[] = [];
  const flush = (): void => {
    const [first] = run;
    if (first === undefined) return;
    merged.push(run.length === 1 ? first : { ...first, regex: new RegExp(run.map((pattern) => `(?:${pattern.regex.source})`).join('|')) });
    run = [];
  };
  for (const line of lines) {
    const pattern = compilePattern(line);
    if (pattern === undefined) continue;
    const [first] = run;
    if (first !== undefined && (first.negated !== pattern.negated || first.directoryOnly !== pattern.directoryOnly || first.lastSegment !== pattern.lastSegment)) flush();
    run.push(pattern);
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
    const matched = pattern.lastSegment
      ? pattern.regex.test(lastSegment)
      : pattern.regex.test(relativePath) || (isDirectory && pattern.regex.test(`${relativePath}/`));
    if (matched) verdict = !pattern.negated;
  }
  return verdict;
}
