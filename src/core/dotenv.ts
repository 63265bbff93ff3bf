/**
 * The assignments of a `.env` file, as the dotenv libraries read them (`NAME=value`, `export NAME=value`,
 * `NAME: value`, values in single, double or back quotes that may span lines, `#` comments), with where
 * each one sits in the text, so that a value can be taken out and the rest of the file left as it is.
 * One pass over the text, whatever it holds: an unclosed quote is searched for once, not once per line.
 */

export interface DotenvEntry {
  readonly name: string;
  /** The value a program reading the file gets: quotes removed, `\n` and the like expanded in double quotes. */
  readonly value: string;
  readonly exported: boolean;
  readonly quote: '"' | "'" | '`' | undefined;
  /** 0-based line of the name, and of the value's last character. */
  readonly line: number;
  readonly endLine: number;
  /** Offsets: the whole entry, from the start of its first line to past its last line break (or the end). */
  readonly start: number;
  readonly end: number;
  /** Offsets of the value as written, its quotes included (empty range for `NAME=`). */
  readonly valueStart: number;
  readonly valueEnd: number;
}

const NAME = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

export function parseDotenv(text: string): DotenvEntry[] {
  const entries: DotenvEntry[] = [];
  /** For each quote character, an offset from which the text has no closing one (see `closingQuote`). */
  const unclosedFrom = new Map<string, number>();
  let line = 0;
  let lineStart = 0;
  while (lineStart < text.length) {
    const lineBreak = text.indexOf('\n', lineStart);
    const lineEnd = lineBreak === -1 ? text.length : lineBreak;
    const next = lineBreak === -1 ? text.length : lineBreak + 1;
    let at = skipBlanks(text, lineStart, lineEnd);
    let exported = false;
    if (text.startsWith('export', at) && /[ \t]/.test(text[at + 6] ?? '')) {
      exported = true;
      at = skipBlanks(text, at + 6, lineEnd);
    }
    NAME.lastIndex = at;
    const name = NAME.exec(text)?.[0];
    if (name === undefined || at >= lineEnd) {
      [line, lineStart] = [line + 1, next];
      continue;
    }
    at = skipBlanks(text, at + name.length, lineEnd);
    const separator = text[at];
    // `NAME: value` needs the blank after the colon, as dotenv does; anything else is no assignment.
    if (!(separator === '=' || (separator === ':' && /[ \t]/.test(text[at + 1] ?? '')))) {
      [line, lineStart] = [line + 1, next];
      continue;
    }
    const valueStart = skipBlanks(text, at + 1, lineEnd);
    const opening = text[valueStart];
    const quote = opening === '"' || opening === "'" || opening === '`' ? opening : undefined;
    const closing = quote === undefined ? -1 : closingQuote(text, quote, valueStart + 1, unclosedFrom);
    if (quote !== undefined && closing !== -1) {
      const raw = text.slice(valueStart + 1, closing).replace(/\r\n/g, '\n');
      const endLineBreak = text.indexOf('\n', closing);
      const end = endLineBreak === -1 ? text.length : endLineBreak + 1;
      const endLine = line + countLineBreaks(text, valueStart, closing);
      entries.push({
        name,
        value: quote === '"' ? raw.replace(/\\([nrt"\\])/g, (_, escaped: string) => ESCAPES[escaped]!) : raw,
        exported,
        quote,
        line,
        endLine,
        start: lineStart,
        end,
        valueStart,
        valueEnd: closing + 1,
      });
      [line, lineStart] = [endLine + 1, end];
      continue;
    }
    // Unquoted (or an unclosed quote, read as text): to a `#` after a blank, or the end of the line.
    let valueEnd = lineEnd;
    for (let index = valueStart; index < lineEnd; index++) {
      if (text[index] === '#' && (index === valueStart || /[ \t]/.test(text[index - 1]!))) {
        valueEnd = index;
        break;
      }
    }
    while (valueEnd > valueStart && /[ \t\r]/.test(text[valueEnd - 1]!)) valueEnd--;
    entries.push({
      name,
      value: text.slice(valueStart, valueEnd),
      exported,
      quote: undefined,
      line,
      endLine: line,
      start: lineStart,
      end: next,
      valueStart,
      valueEnd,
    });
    [line, lineStart] = [line + 1, next];
  }
  return entries;
}

/**
 * The offset of the quote that closes one opened before `from` (in double quotes, one not escaped by a
 * backslash), or -1. A search that found none is remembered, so a file of unclosed quotes is read once.
 */
function closingQuote(text: string, quote: string, from: number, unclosedFrom: Map<string, number>): number {
  if (from >= (unclosedFrom.get(quote) ?? Number.POSITIVE_INFINITY)) return -1;
  for (let index = from; index < text.length; index++) {
    const character = text[index];
    if (character === '\\' && quote === '"') {
      index++;
    } else if (character === quote) {
      return index;
    }
  }
  unclosedFrom.set(quote, from);
  return -1;
}

function skipBlanks(text: string, from: number, to: number): number {
  let at = from;
  while (at < to && (text[at] === ' ' || text[at] === '\t')) at++;
  return at;
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let index = text.indexOf('\n', from); index !== -1 && index < to; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

/** The environment a `.env` file's name says it is for: `.env.production`, `staging.env`; undefined when it says none. */
export function environmentOfFile(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop()?.toLowerCase() ?? '';
  const words = base.split(/[._-]+/).filter(Boolean);
  if (words.some((word) => word === 'production' || word === 'prod' || word === 'live')) return 'production';
  if (words.some((word) => word === 'staging' || word === 'stage' || word === 'preprod')) return 'staging';
  if (words.some((word) => ['development', 'dev', 'local', 'test'].includes(word))) return 'development';
  return undefined;
}

export type FileKind = 'dotenv' | 'yaml' | 'json';

/** The kind of file keys can move out of, by its language or name; undefined for any other. */
export function fileKindOf(languageId: string, fileName: string): FileKind | undefined {
  if (languageId === 'dotenv' || isDotenvFileName(fileName)) return 'dotenv';
  if (languageId === 'yaml' || languageId === 'dockercompose' || /\.ya?ml$/i.test(fileName)) return 'yaml';
  if (languageId === 'json' || languageId === 'jsonc' || languageId === 'json5' || /\.jsonc?$/i.test(fileName)) return 'json';
  return undefined;
}

/** Whether a file name is a `.env` file's: `.env`, `.env.local`, `prod.env`, `.envrc` excluded. */
export function isDotenvFileName(fileName: string): boolean {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return /^\.env(?:\.[^/\\]+)?$/i.test(base) || /^[^/\\]+\.env$/i.test(base);
}

/** `UPPZY_API_KEY` in production → `uppzy-api-key-production`: the name proposed for a moved key. */
export function proposedKeyName(variable: string, environment: string): string {
  const base = variable
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const suffix = environment
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return [base || 'api-key', suffix].filter(Boolean).join('-');
}

/** Names that say a variable holds a secret, for entries the scanner did not flag but the user may still want to move. */
export function looksLikeSecretName(name: string): boolean {
  return /(?:^|[_.-])(?:api[_.-]?)?(?:key|token|secret|password|passwd|pwd|credentials?)(?:$|[_.-])|apikey|secret/i.test(name);
}
