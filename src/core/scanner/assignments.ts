/**
 * Reads `name <separator> value` around a keyword hit, in the syntaxes of code, config, shell,
 * HTTP and docs, without a regular expression over the whole line: the name is grown from the hit
 * outwards and the value read forwards, so the work is bounded by the line and never backtracks.
 */
import type { ValueStyle } from './fileKinds';

export interface Assignment {
  readonly name: string;
  readonly nameStart: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

const MAX_NAME = 96;
/** Inside a string every value is literal text. */
const IN_STRING: ValueStyle = { unquoted: true, dockerfile: false };
const MAX_VALUE = 4096;
const MAX_GAP = 64;

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
}

function isQuote(char: string): boolean {
  return char === '"' || char === "'" || char === '`';
}

function isSpace(char: string): boolean {
  return char === ' ' || char === '\t';
}

/** `key: "X-API-Key"` / `- name: API_KEY` / `"key": "apiKey",`: the name is itself the value of a name field. */
const NAME_FIELD_BEFORE = /(?:^|[\s{,[-])["']?(?:name|key)["']?\s*[:=]\s*["']?$/i;
/** The sibling field holding the value: `value: …`, `"value": …`. */
const VALUE_FIELD = /["']?value["']?[ \t]*[:=][ \t]*/y;
/** How many lines after a name field its value field may be. */
export const PAIR_LOOKAHEAD_LINES = 2;
/** TypeScript/Kotlin annotation between name and value: `apiKey: string = "…"`. */
const TYPE_ANNOTATION = /[ \t]*[A-Za-z_$][\w$.<>[\]|?]{0,60}[ \t]*=(?!=)[ \t]*/y;

export function readAssignment(text: string, hit: number, lineStart: number, lineEnd: number, style: ValueStyle): Assignment | undefined {
  let nameStart = hit;
  while (nameStart > lineStart && hit - nameStart < MAX_NAME && isNameChar(text.charCodeAt(nameStart - 1))) nameStart--;
  let nameEnd = hit;
  while (nameEnd < lineEnd && nameEnd - hit < MAX_NAME && isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
  while (nameEnd > nameStart && (text[nameEnd - 1] === '.' || text[nameEnd - 1] === '-')) nameEnd--;
  if (nameEnd <= nameStart) {
    return undefined;
  }
  const name = text.slice(nameStart, nameEnd);
  const before = text[nameStart - 1] ?? '';
  const escapedQuote = isQuote(before) && text[nameStart - 2] === '\\';
  const quote = isQuote(before) ? (escapedQuote ? `\\${before}` : before) : '';
  let p = nameEnd;

  if (quote !== '') {
    if (text.startsWith(quote, p)) {
      p += quote.length;
    } else {
      // The whole `Name: value` is one string: curl -H 'X-API-Key: …', "TOKEN=…" in a list, a notebook's source line.
      p = skipSpaces(text, p, lineEnd);
      if (text[p] !== ':' && text[p] !== '=') return undefined;
      return readValue(name, nameStart, text, skipSpaces(text, p + 1, lineEnd), lineEnd, IN_STRING);
    }
  } else if (before === '<' && text[p] === '>') {
    const end = text.indexOf('<', p + 1);
    return end > p + 1 && end <= lineEnd ? { name, nameStart, valueStart: p + 1, valueEnd: end } : undefined;
  }

  p = skipSpaces(text, p, lineEnd);
  if (text[p] === ']') {
    p = skipSpaces(text, p + 1, lineEnd);
  }
  const separator = readSeparator(text, p, lineEnd, quote !== '');
  if (separator === 0) {
    if (style.dockerfile && p > nameEnd && /^\s*(?:ENV|ARG)\s+$/i.test(text.slice(lineStart, nameStart))) {
      return readValue(name, nameStart, text, p, lineEnd, style);
    }
    return readPair(name, nameStart, text, nameEnd, lineStart, lineEnd, style);
  }
  if (text[p] === ',') {
    // `"key": "X-API-Key", "value": "…"` is a pair; `Set("X-API-Key", "…")` is a call.
    return (
      readPair(name, nameStart, text, nameEnd, lineStart, lineEnd, style) ?? readValue(name, nameStart, text, skipSpaces(text, p + 1, lineEnd), lineEnd, style)
    );
  }
  const separatorAt = p;
  p = skipSpaces(text, p + separator, lineEnd);
  if (!style.unquoted && separator === 1 && text[separatorAt] === ':' && !isQuote(text[p] ?? '')) {
    TYPE_ANNOTATION.lastIndex = p;
    if (TYPE_ANNOTATION.test(text) && TYPE_ANNOTATION.lastIndex <= lineEnd) p = TYPE_ANNOTATION.lastIndex;
  }
  return readValue(name, nameStart, text, p, lineEnd, style);
}

function skipSpaces(text: string, p: number, end: number): number {
  const limit = Math.min(end, p + MAX_GAP);
  while (p < limit && isSpace(text[p] ?? '')) p++;
  return p;
}

/** Length of the assignment operator at p, or 0. A comma counts only after a quoted name: `Set("X-API-Key", "…")`. */
function readSeparator(text: string, p: number, lineEnd: number, quotedName: boolean): number {
  if (p >= lineEnd) return 0;
  const c = text[p];
  const next = text[p + 1];
  if (c === ':' && next === '=') return 2;
  if (c === '=' && next === '>') return 2;
  if ((c === '?' || c === '|') && next === '=') return 2;
  if (c === '=' && next !== '=') return 1;
  if (c === ':' && next !== ':') return 1;
  if (c === ',' && quotedName) return 1;
  return 0;
}

function readValue(name: string, nameStart: number, text: string, p: number, lineEnd: number, style: ValueStyle): Assignment | undefined {
  // String prefixes: Python r"…" b"…", C# @"…"; interpolating ones (f"…", $"…") are judged by their content.
  if ('rbfuRBFU@$'.includes(text[p] ?? '\n') && isQuote(text[p + 1] ?? '')) p++;
  const c = text[p] ?? '';
  if (c === '\\' && isQuote(text[p + 1] ?? '')) {
    const close = `\\${text[p + 1]}`;
    const end = text.indexOf(close, p + 2);
    return end !== -1 && end <= lineEnd && end - p <= MAX_VALUE ? { name, nameStart, valueStart: p + 2, valueEnd: end } : undefined;
  }
  if (isQuote(c)) {
    const limit = Math.min(lineEnd, p + 1 + MAX_VALUE);
    for (let i = p + 1; i < limit; i++) {
      const char = text[i];
      if (char === '\\') i++;
      else if (char === c) return { name, nameStart, valueStart: p + 1, valueEnd: i };
    }
    return undefined;
  }
  if (!style.unquoted && !style.dockerfile) {
    return undefined;
  }
  return bareValue(name, nameStart, text, p, lineEnd);
}

/** An unquoted value: up to a space, a quote (the enclosing string's end), or punctuation that ends a config value. */
function bareValue(name: string, nameStart: number, text: string, p: number, lineEnd: number): Assignment | undefined {
  const limit = Math.min(lineEnd, p + MAX_VALUE);
  let end = p;
  while (end < limit) {
    const char = text[end] ?? '';
    if (
      char === ' ' ||
      char === '\t' ||
      char === '\r' ||
      char === '"' ||
      char === "'" ||
      char === '`' ||
      char === ',' ||
      char === ';' ||
      char === '}' ||
      char === ')'
    )
      break;
    end++;
  }
  if (end === p || PROSE_AFTER.test(text.slice(end, Math.min(lineEnd, end + 64)))) return undefined;
  return { name, nameStart, valueStart: p, valueEnd: end };
}

/** Two more words after a bare value: the line is prose about the name (`The Password= keyword sets the login password`), not an assignment. */
const PROSE_AFTER = /^[ \t]+[A-Za-z][a-z]*[ \t]+[A-Za-z][a-z]*(?:[ \t.,;:]|$)/;

/** Postman `{"key": "X-API-Key", "value": "…"}` and Kubernetes `- name: API_KEY` / `value: …`, on one line or the next two. */
function readPair(
  name: string,
  nameStart: number,
  text: string,
  nameEnd: number,
  lineStart: number,
  lineEnd: number,
  style: ValueStyle,
): Assignment | undefined {
  if (!NAME_FIELD_BEFORE.test(text.slice(Math.max(lineStart, nameStart - 40), nameStart))) {
    return undefined;
  }
  const pairStyle: ValueStyle = { unquoted: style.unquoted, dockerfile: false };
  const sameLine = text.slice(nameEnd, lineEnd).search(/[,{\s]["']?value["']?[ \t]*[:=]/);
  if (sameLine !== -1) {
    VALUE_FIELD.lastIndex = nameEnd + sameLine + 1;
    if (VALUE_FIELD.test(text)) return readValue(name, nameStart, text, VALUE_FIELD.lastIndex, lineEnd, pairStyle);
  }
  let start = lineEnd + 1;
  for (let line = 0; line < PAIR_LOOKAHEAD_LINES && start < text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const first = skipSpaces(text, start, end);
    VALUE_FIELD.lastIndex = first;
    if (VALUE_FIELD.test(text) && VALUE_FIELD.lastIndex <= end) {
      return readValue(name, nameStart, text, VALUE_FIELD.lastIndex, end, pairStyle);
    }
    start = end + 1;
  }
  return undefined;
}
