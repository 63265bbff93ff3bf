/**
 * Reads `name <separator> value` around a keyword hit, in the syntaxes of code, config, shell,
 * HTTP and docs, without a regular expression over the whole line: the name is grown from the hit
 * outwards and the value read forwards, so the work is bounded by the line and never backtracks.
 */
import type { ValueStyle } from './fileKinds';
import type { TextReader } from './textReader';

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

function isQuote(char: string): boolean {
  return char === '"' || char === "'" || char === '`';
}

function isSpace(char: string): boolean {
  return char === ' ' || char === '\t';
}

/** `key: "X-API-Key"` / `- name: API_KEY` / `"key": "apiKey",`: the name is itself the value of a name field. */
const NAME_FIELD_BEFORE = /(?:^|[\s{,[-])["']?(?:name|key)["']?\s*[:=]\s*["']?$/i;
/** The sibling field holding the value: `value: …`, `"value": …`. Gaps are bounded, so a test reads a bounded stretch. */
const VALUE_FIELD = /["']?value["']?[ \t]{0,64}[:=][ \t]{0,64}/y;
/** The same field later on the name's line, after a separator: searched for, then read where it was found. */
const VALUE_FIELD_AFTER_SOURCE = /[,{\s]["']?value["']?[ \t]{0,64}[:=]/.source;
const VALUE_FIELD_AFTER = new RegExp(VALUE_FIELD_AFTER_SOURCE, 'g');
const VALUE_FIELD_AT = new RegExp(VALUE_FIELD_AFTER_SOURCE, 'y');
/** What ends a URL parameter's value: the next parameter, the fragment, the URL's end. */
const QUERY_VALUE_END = /[&#\s"'`)<>\]\\]/g;
/** What ends an unquoted value: a space, a quote (the enclosing string's end), or punctuation that ends a config value. */
const BARE_VALUE_END = /[ \t\r"'`,;})]/g;
/** How many lines after a name field its value field may be. */
export const PAIR_LOOKAHEAD_LINES = 2;
/** TypeScript/Kotlin annotation between name and value: `apiKey: string = "…"`. */
const TYPE_ANNOTATION = /[ \t]{0,64}[A-Za-z_$][\w$.<>[\]|?]{0,60}[ \t]{0,64}=(?!=)[ \t]{0,64}/y;

export function readAssignment(reader: TextReader, hit: number, lineStart: number, lineEnd: number, style: ValueStyle): Assignment | undefined {
  const text = reader.text;
  // The name is the run of name characters around the hit, at most MAX_NAME each way, within the window.
  const [runStart, runEnd] = reader.nameRunAround(hit);
  const nameStart = Math.max(runStart, lineStart, hit - MAX_NAME);
  let nameEnd = Math.min(runEnd, lineEnd, hit + MAX_NAME);
  while (nameEnd > nameStart && (text[nameEnd - 1] === '.' || text[nameEnd - 1] === '-')) nameEnd--;
  if (nameEnd <= nameStart) {
    return undefined;
  }
  const name = text.slice(nameStart, nameEnd);
  const before = text[nameStart - 1] ?? '';
  const escapedQuote = isQuote(before) && text[nameStart - 2] === '\\';
  const quote = isQuote(before) ? (escapedQuote ? `\\${before}` : before) : '';
  let p = nameEnd;

  // A URL's query or fragment parameter (`?private_token=…&ref=main`, `#access_token=…`), in a string or not: its value ends where the parameter does.
  if ((before === '?' || before === '&' || before === '#') && text[p] === '=') {
    const end = reader.indexOf(QUERY_VALUE_END, p + 1);
    const valueEnd = end === -1 || end > lineEnd ? lineEnd : end;
    // `?secret=$Base32String`, `&token=:token`: a URL template's variable.
    const variable = text[p + 1] === '$' || text[p + 1] === ':';
    return valueEnd > p + 1 && valueEnd - p <= MAX_VALUE && !variable ? { name, nameStart, valueStart: p + 1, valueEnd } : undefined;
  }
  if (quote !== '') {
    if (text.startsWith(quote, p)) {
      p += quote.length;
    } else {
      // The whole `Name: value` is one string: curl -H 'X-API-Key: …', "TOKEN=…" in a list, a notebook's source line.
      p = skipSpaces(text, p, lineEnd);
      if (text[p] !== ':' && text[p] !== '=') return undefined;
      return readValue(name, nameStart, reader, skipSpaces(text, p + 1, lineEnd), lineEnd, IN_STRING);
    }
  } else if (before === '<' && text[p] === '>') {
    const end = reader.indexOf('<', p + 1);
    return end > p + 1 && end <= lineEnd ? { name, nameStart, valueStart: p + 1, valueEnd: end } : undefined;
  }

  p = skipSpaces(text, p, lineEnd);
  if (text[p] === ']') {
    p = skipSpaces(text, p + 1, lineEnd);
  }
  const separator = readSeparator(text, p, lineEnd, quote !== '');
  if (separator === 0) {
    const call = text[p] === '(' ? readSetterCall(name, nameStart, reader, p, lineEnd) : undefined;
    if (call !== undefined) return call;
    // A command line's option and its argument: `--password hunter2`, PowerShell's `-Password …`; not `--password --user`.
    if (
      p > nameEnd &&
      text[nameStart] === '-' &&
      (nameStart === lineStart || isSpace(text[nameStart - 1] ?? '')) &&
      text[p] !== '-' &&
      !NEGATED_OPTION.test(name)
    ) {
      const argument = readValue(name, nameStart, reader, p, lineEnd, style);
      return argument && !NOT_A_SECRET_ARGUMENT.test(text.slice(argument.valueStart, argument.valueEnd)) ? argument : undefined;
    }
    if (style.dockerfile && p > nameEnd && isDockerfileVariable(reader, lineStart, nameStart)) {
      return readValue(name, nameStart, reader, p, lineEnd, style);
    }
    return readPair(name, nameStart, reader, nameEnd, lineStart, lineEnd, style);
  }
  if (text[p] === ',') {
    // `"key": "X-API-Key", "value": "…"` is a pair; `Set("X-API-Key", "…")` is a call.
    return (
      readPair(name, nameStart, reader, nameEnd, lineStart, lineEnd, style) ??
      readValue(name, nameStart, reader, skipSpaces(text, p + 1, lineEnd), lineEnd, style)
    );
  }
  const separatorAt = p;
  p = skipSpaces(text, p + separator, lineEnd);
  if (!style.unquoted && separator === 1 && text[separatorAt] === ':' && !isQuote(text[p] ?? '')) {
    TYPE_ANNOTATION.lastIndex = p;
    if (TYPE_ANNOTATION.test(text) && TYPE_ANNOTATION.lastIndex <= lineEnd) p = TYPE_ANNOTATION.lastIndex;
  }
  return readValue(name, nameStart, reader, p, lineEnd, style);
}

const WHITESPACE = /\s/;
/** `--no-password`, `-no-pass`: a switch, and the word after it is the next argument. */
const NEGATED_OPTION = /^--?no-/i;
/** An option's argument that names where the secret is, not the secret: a path or file (`-key server.pem`), openssl's `file:`/`env:`/`fd:`/`stdin`. */
const NOT_A_SECRET_ARGUMENT = /[/\\]|\.[A-Za-z]{2,4}$|^(?:file|env|fd):|^stdin$/i;

/** Dockerfile `ENV NAME value` / `ARG NAME value`: only spaces, the instruction and spaces before the name on its line. */
function isDockerfileVariable(reader: TextReader, lineStart: number, nameStart: number): boolean {
  const text = reader.text;
  let p = nameStart;
  while (p > lineStart && WHITESPACE.test(text[p - 1] ?? '')) p--;
  const instruction = text.slice(p - 3, p).toUpperCase();
  if (p === nameStart || p - 3 < lineStart || (instruction !== 'ENV' && instruction !== 'ARG')) {
    reader.meter.steps += nameStart - p;
    return false;
  }
  let q = p - 3;
  while (q > lineStart && WHITESPACE.test(text[q - 1] ?? '')) q--;
  reader.meter.steps += nameStart - q;
  return q === lineStart;
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
  // A comparison with a literal holds the secret as much as an assignment: `if password == "hunter2"`, `token !== '…'`.
  if ((c === '=' || c === '!') && next === '=') return text[p + 2] === '=' ? 3 : 2;
  if (c === '=' && next !== '=') return 1;
  if (c === ':' && next !== ':') return 1;
  if (c === ',' && quotedName) return 1;
  return 0;
}

/** A setter's or builder's name before its secret's (`SetAuthToken`, `set_password`, `withApiKey`), in the last segment of a dotted name. */
const SETTER_PREFIX = /(?:^|[.>:])(?:set|Set|with|With)(?=[A-Z])|(?:^|[.>:])set_(?=[a-z])/g;

/**
 * A setter called with a literal: `client.SetAuthToken("…")`, `config.setPassword('…')`,
 * `builder.withApiKey("…")`. The name judged is what the setter sets (`AuthToken`), and only a
 * string literal first argument is read: `setToken(token)` passes a variable.
 */
function readSetterCall(name: string, nameStart: number, reader: TextReader, paren: number, lineEnd: number): Assignment | undefined {
  SETTER_PREFIX.lastIndex = 0;
  let setName: RegExpExecArray | null = null;
  for (let match = SETTER_PREFIX.exec(name); match !== null; match = SETTER_PREFIX.exec(name)) setName = match;
  if (setName === null) return undefined;
  const setsStart = setName.index + setName[0].length;
  // Only the setter's own segment: `config.setPassword` sets a password, `setConfig.password(` is not a setter of it.
  if (/[.>:]/.test(name.slice(setsStart))) return undefined;
  return readValue(name.slice(setsStart), nameStart + setsStart, reader, skipSpaces(reader.text, paren + 1, lineEnd), lineEnd, IN_CODE);
}

/** A literal in code: only a quoted value counts. */
const IN_CODE: ValueStyle = { unquoted: false, dockerfile: false };

/**
 * Calls that turn a literal into the bytes or the key it holds, so the literal is the secret:
 * `[]byte("…")`, `Buffer.from('…', 'hex')`, `bytes.fromhex("…")`, `base64.b64decode("…")`,
 * `Encoding.UTF8.GetBytes("…")`, `createSecretKey(Buffer.from(…))`. A closed list: any other call
 * (`getenv("TOKEN")`, `config.get("api_key")`) takes a literal that names where the secret is.
 */
const CONVERSION_CALL = new RegExp(
  String.raw`(?:\[\]byte|(?:new )?Buffer(?:\.from)?|new TextEncoder\(\)\.encode|(?:crypto\.)?createSecretKey|atob|bytes\.fromhex|bytes|bytearray|` +
    String.raw`(?:base64\.)?(?:urlsafe_|standard_)?b64decode|(?:binascii\.)?unhexlify|Base64\.(?:getDecoder\(\)\.decode|(?:strict_|urlsafe_)?decode64)|` +
    String.raw`Convert\.FromBase64String|Encoding\.(?:UTF8|ASCII|Default|Unicode)\.GetBytes|base64_decode|hex2bin|String::from|new SecretKeySpec)[ \t]{0,8}\([ \t]{0,8}`,
  'y',
);
/** `createSecretKey(Buffer.from("…"))`: conversions read through, at most this deep. */
const MAX_CONVERSIONS = 2;

/** Where the literal a conversion call wraps, or a list holds first, starts; `p` when there is neither. */
function wrappedLiteralStart(text: string, p: number, lineEnd: number): number {
  // Most values are a literal already: no conversion or list starts with a quote, and this runs at every name read.
  if (isQuote(text[p] ?? '')) return p;
  let at = p;
  for (let depth = 0; depth < MAX_CONVERSIONS; depth++) {
    CONVERSION_CALL.lastIndex = at;
    if (!CONVERSION_CALL.test(text) || CONVERSION_CALL.lastIndex > lineEnd) break;
    at = CONVERSION_CALL.lastIndex;
  }
  if (at > p && isQuote(text[at + stringPrefixLength(text, at)] ?? '')) return at;
  // A list of secrets (`"tokens": ["…", "…"]`, `API_KEYS = ['…']`): its first literal is read.
  if (text[p] === '[') {
    const first = skipSpaces(text, p + 1, lineEnd);
    if (isQuote(text[first] ?? '')) return first;
  }
  return p;
}

/** A string prefix before a quote at p (Python r"…" b"…", C# @"…"; interpolating ones, f"…" $"…", are judged by their content): 1, else 0. */
function stringPrefixLength(text: string, p: number): number {
  return 'rbfuRBFU@$'.includes(text[p] ?? '\n') && isQuote(text[p + 1] ?? '') ? 1 : 0;
}

function readValue(name: string, nameStart: number, reader: TextReader, p: number, lineEnd: number, style: ValueStyle): Assignment | undefined {
  const text = reader.text;
  p = wrappedLiteralStart(text, p, lineEnd);
  p += stringPrefixLength(text, p);
  const c = text[p] ?? '';
  if (c === '\\' && isQuote(text[p + 1] ?? '')) {
    const end = reader.indexOf(`\\${text[p + 1]}`, p + 2);
    return end !== -1 && end <= lineEnd && end - p <= MAX_VALUE ? { name, nameStart, valueStart: p + 2, valueEnd: end } : undefined;
  }
  if (isQuote(c)) {
    const limit = Math.min(lineEnd, p + 1 + MAX_VALUE);
    let i = p + 1;
    for (; i < limit; i++) {
      const char = text[i];
      if (char === '\\') i++;
      else if (char === c) break;
    }
    reader.meter.steps += i - p;
    return i < limit ? { name, nameStart, valueStart: p + 1, valueEnd: i } : undefined;
  }
  if (!style.unquoted && !style.dockerfile) {
    return undefined;
  }
  // An unquoted value, up to where BARE_VALUE_END says.
  const limit = Math.min(lineEnd, p + MAX_VALUE);
  const found = reader.indexOf(BARE_VALUE_END, p);
  const end = found === -1 || found > limit ? limit : found;
  if (end === p || PROSE_AFTER.test(text.slice(end, Math.min(lineEnd, end + 64)))) return undefined;
  return { name, nameStart, valueStart: p, valueEnd: end };
}

/** Two more words after a bare value: the line is prose about the name (`The Password= keyword sets the login password`), not an assignment. */
const PROSE_AFTER = /^[ \t]+[A-Za-z][a-z]*[ \t]+[A-Za-z][a-z]*(?:[ \t.,;:]|$)/;

/** Postman `{"key": "X-API-Key", "value": "…"}` and Kubernetes `- name: API_KEY` / `value: …`, on one line or the next two. */
function readPair(
  name: string,
  nameStart: number,
  reader: TextReader,
  nameEnd: number,
  lineStart: number,
  lineEnd: number,
  style: ValueStyle,
): Assignment | undefined {
  const text = reader.text;
  if (!NAME_FIELD_BEFORE.test(text.slice(Math.max(lineStart, nameStart - 40), nameStart))) {
    return undefined;
  }
  const pairStyle: ValueStyle = { unquoted: style.unquoted, dockerfile: false };
  // The next value field, wherever it is: many name fields on a line share one search.
  const field = reader.indexOf(VALUE_FIELD_AFTER, nameEnd);
  if (field !== -1 && field < lineEnd) {
    VALUE_FIELD_AT.lastIndex = field;
    VALUE_FIELD.lastIndex = field + 1;
    if (VALUE_FIELD_AT.test(text) && VALUE_FIELD_AT.lastIndex <= lineEnd && VALUE_FIELD.test(text)) {
      return readValue(name, nameStart, reader, VALUE_FIELD.lastIndex, lineEnd, pairStyle);
    }
  }
  let start = lineEnd + 1;
  for (let line = 0; line < PAIR_LOOKAHEAD_LINES && start < text.length; line++) {
    let end = reader.indexOf('\n', start);
    if (end === -1) end = text.length;
    const first = skipSpaces(text, start, end);
    VALUE_FIELD.lastIndex = first;
    if (VALUE_FIELD.test(text) && VALUE_FIELD.lastIndex <= end) {
      return readValue(name, nameStart, reader, VALUE_FIELD.lastIndex, end, pairStyle);
    }
    start = end + 1;
  }
  return undefined;
}
