/**
 * Masking of secrets in anything a person or a log can see. Servers echo keys back in error bodies, whole
 * or in part, glued to other text, percent-encoded in any of the ways clients encode, JSON- or
 * HTML-escaped, or inside base64 (a Basic credential). So the text is decoded and compared with the
 * secret, not searched for the encodings of it: every run of 8 or more of a secret's characters is masked
 * in the text itself, in the text with its escapes decoded (once and twice), and in its base64 runs decoded.
 * Each form is a sequence of bytes that remembers the span of the original text each byte came from, so
 * the mask covers exactly that span. Work is linear in the text's length for a given set of secrets.
 */

const MASK = '****';
/** Keys shorter than this show no characters at all: a few visible characters of a short key help guessing. */
const MIN_LENGTH_FOR_HINT = 12;
/** From this length the last 4 characters show; in between, the last 2. */
const MIN_LENGTH_FOR_FULL_HINT = 20;
/** Any run of this many characters of a secret is masked wherever it appears; shorter secrets are masked whole. */
export const MIN_FRAGMENT_LENGTH = 8;
/** Shorter secrets are not looked for inside base64, where a few bytes match by chance. */
const MIN_LENGTH_IN_BASE64 = 4;
/** Base64 runs shorter than this cannot hold a fragment. */
const MIN_BASE64_RUN = Math.ceil((MIN_FRAGMENT_LENGTH * 4) / 3);
/** Separates decoded base64 runs in one view; no secret's byte form contains it. */
const SENTINEL = 0x100;

/**
 * The form of a secret that may be shown: `****` plus at most its last 4 characters
 * (none under 12 characters, 2 under 20), so a person can tell two keys apart without learning them.
 */
export function maskSecret(secret: string): string {
  if (secret.length < MIN_LENGTH_FOR_HINT) {
    return MASK;
  }
  return MASK + secret.slice(secret.length >= MIN_LENGTH_FOR_FULL_HINT ? -4 : -2);
}

/** The longest value `quoteIfName` repeats. */
const MAX_NAME_LENGTH = 40;

/**
 * `'value'` when something a person typed may be repeated in a message because it cannot be a key: a
 * small number, or a short name (a variable, an id, an option, a format) made of words that are each
 * upper case, lower case or camel case letters (at most 4 humps) with at most 3 digits after them, e.g.
 * UPPZY_API_KEY, catalog, tenantId2. Random keys mix digits into letters and cases at random. Anything else may be a key pasted in the wrong place, and is undefined: the message
 * then names the option or field instead of repeating the value.
 */
export function quoteIfName(value: string): string | undefined {
  const nameLike =
    /^\d{1,6}$/.test(value) ||
    (value.length <= MAX_NAME_LENGTH &&
      /^[A-Za-z_]/.test(value) &&
      value
        .split(/[_-]/)
        .every((word) => word === '' || (word.length <= 24 && /^(?:[A-Z]+|[a-z]+|[A-Za-z][a-z]+(?:[A-Z][a-z]+){0,3})[0-9]{0,3}$/.test(word))) &&
      !/^[_-]*$/.test(value));
  return nameLike ? `'${value}'` : undefined;
}

/** A byte sequence read from a text: byte `i` came from `text.slice(from[i], to[i])`. */
class View {
  readonly codes: Uint16Array;
  readonly from: Int32Array;
  readonly to: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.codes = new Uint16Array(capacity);
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
  }

  push(code: number, from: number, to: number): void {
    this.codes[this.length] = code;
    this.from[this.length] = from;
    this.to[this.length] = to;
    this.length++;
  }

  pushCodePoint(codePoint: number, from: number, to: number): void {
    if (codePoint < 0x80) {
      this.push(codePoint, from, to);
      return;
    }
    for (const byte of Buffer.from(String.fromCodePoint(codePoint), 'utf8')) {
      this.push(byte, from, to);
    }
  }

  /** The bytes (or the sentinel) as a string of char codes, built in slices so a long view cannot overflow the stack. */
  toByteString(): string {
    let text = '';
    for (let start = 0; start < this.length; start += 4096) {
      text += String.fromCharCode(...this.codes.subarray(start, Math.min(start + 4096, this.length)));
    }
    return text;
  }
}

/**
 * Masks every occurrence of each secret, of each run of 8 or more of its characters, and of their encoded
 * forms. A masked span shows the mask of its secret (`maskSecret`), or `****` alone where two secrets' spans meet.
 */
function createSecretRedactor(secrets: readonly string[]): (text: string) => string {
  const kept = [...new Set(secrets)].filter((secret) => secret.length > 0);
  if (kept.length === 0) {
    return (text) => text;
  }
  const masks = kept.map(maskSecret);
  /** Every window of MIN_FRAGMENT_LENGTH bytes of a long secret, case-folded, to the secret's number (from 1). */
  const windows = new Map<string, number>();
  /** The first two bytes of every window, so most positions of a text are passed over without a lookup. */
  const pairs = new Uint8Array(1 << 16);
  /** Secrets too short for windows, matched whole and exactly. */
  const shortSecrets: { bytes: string; owner: number }[] = [];
  kept.forEach((secret, index) => {
    const bytes = Buffer.from(secret, 'utf8').toString('latin1');
    if (bytes.length < MIN_FRAGMENT_LENGTH) {
      shortSecrets.push({ bytes, owner: index + 1 });
      return;
    }
    const folded = foldString(bytes);
    for (let start = 0; start + MIN_FRAGMENT_LENGTH <= folded.length; start++) {
      const window = folded.slice(start, start + MIN_FRAGMENT_LENGTH);
      pairs[pairOf(window, 0)] = 1;
      if (!windows.has(window)) {
        windows.set(window, index + 1);
      }
    }
  });
  return (text) => {
    const owners = new Int32Array(text.length);
    const match = (view: View, inBase64: boolean) => {
      const bytes = view.toByteString();
      markWindows(view, bytes, windows, pairs, owners);
      for (const secret of shortSecrets) {
        if (!inBase64 || secret.bytes.length >= MIN_LENGTH_IN_BASE64) {
          markExact(view, bytes, secret.bytes, secret.owner, owners);
        }
      }
    };
    const raw = readView(text);
    const decoded = decodeEscapes(raw);
    const twiceDecoded = decoded && decodeEscapes(decoded);
    for (const view of [raw, decoded, twiceDecoded]) {
      if (view) {
        match(view, false);
        match(decodeBase64Runs(view), true);
      }
    }
    return replaceMarked(text, owners, masks);
  };
}

/** Marks the original span of every window of the view that is a window of a secret. */
function markWindows(view: View, bytes: string, windows: ReadonlyMap<string, number>, pairs: Uint8Array, owners: Int32Array): void {
  if (windows.size === 0) {
    return;
  }
  const folded = foldString(bytes);
  for (let start = 0; start + MIN_FRAGMENT_LENGTH <= folded.length; start++) {
    if (pairs[pairOf(folded, start)] === 0) {
      continue;
    }
    const owner = windows.get(folded.slice(start, start + MIN_FRAGMENT_LENGTH));
    if (owner !== undefined) {
      mark(owners, view.from[start]!, view.to[start + MIN_FRAGMENT_LENGTH - 1]!, owner);
    }
  }
}

function markExact(view: View, bytes: string, secret: string, owner: number, owners: Int32Array): void {
  for (let at = bytes.indexOf(secret); at >= 0; at = bytes.indexOf(secret, at + 1)) {
    mark(owners, view.from[at]!, view.to[at + secret.length - 1]!, owner);
  }
}

/** Two characters as one table index (the sentinel shares its index with a byte; the lookup after tells them apart). */
function pairOf(text: string, at: number): number {
  return ((text.charCodeAt(at) & 0xff) << 8) | (text.charCodeAt(at + 1) & 0xff);
}

/** Owner numbers count from 1; -1 marks a span two secrets share. */
function mark(owners: Int32Array, start: number, end: number, owner: number): void {
  for (let at = start; at < end; at++) {
    owners[at] = owners[at] === 0 || owners[at] === owner ? owner : -1;
  }
}

function replaceMarked(text: string, owners: Int32Array, masks: readonly string[]): string {
  let result = '';
  let at = 0;
  while (at < text.length) {
    const start = at;
    if (owners[at] === 0) {
      while (at < text.length && owners[at] === 0) at++;
      result += text.slice(start, at);
      continue;
    }
    const owner = owners[at]!;
    let mixed = false;
    while (at < text.length && owners[at] !== 0) {
      mixed ||= owners[at] !== owner;
      at++;
    }
    result += mixed || owner < 0 ? MASK : masks[owner - 1]!;
  }
  return result;
}

/** The text's UTF-8 bytes (at most 3 per UTF-16 unit), each remembering the character it came from. */
function readView(text: string): View {
  const view = new View(3 * text.length);
  for (let at = 0; at < text.length;) {
    const codePoint = text.codePointAt(at)!;
    const width = codePoint > 0xffff ? 2 : 1;
    view.pushCodePoint(codePoint, at, at + width);
    at += width;
  }
  return view;
}

const JSON_ESCAPES: Readonly<Record<string, number>> = { '/': 0x2f, '\\': 0x5c, '"': 0x22, "'": 0x27, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09 };
const HTML_ENTITIES: Readonly<Record<string, number>> = { amp: 0x26, lt: 0x3c, gt: 0x3e, quot: 0x22, apos: 0x27, sol: 0x2f, plus: 0x2b, equals: 0x3d };

/**
 * The view with its escapes decoded, each into the bytes it stands for, or undefined when it has none:
 * percent-escapes (either hex case, wherever they are), JSON and JavaScript escapes (`\uXXXX`, `\xXX`,
 * `\/`) and HTML character references (`&#47;`, `&#x2F;`, `&amp;`).
 */
function decodeEscapes(view: View): View | undefined {
  const { codes, from, to } = view;
  // No escape decodes to more bytes than it is long.
  const decoded = new View(view.length);
  let changed = false;
  for (let at = 0; at < view.length;) {
    const escape = readEscape(codes, at, view.length);
    if (escape === undefined) {
      decoded.push(codes[at]!, from[at]!, to[at]!);
      at++;
      continue;
    }
    changed = true;
    const end = to[at + escape.length - 1]!;
    if (escape.isByte) {
      decoded.push(escape.value, from[at]!, end);
    } else {
      decoded.pushCodePoint(escape.value, from[at]!, end);
    }
    at += escape.length;
  }
  return changed ? decoded : undefined;
}

/** The escape starting at `at`: its value, whether that is a byte or a code point, and how many bytes it spans. */
function readEscape(codes: Uint16Array, at: number, length: number): { value: number; isByte: boolean; length: number } | undefined {
  const code = codes[at];
  if (code === 0x25 /* % */) {
    const value = readHex(codes, at + 1, 2);
    return value < 0 ? undefined : { value, isByte: true, length: 3 };
  }
  if (code === 0x5c /* \ */) {
    const next = String.fromCharCode(codes[at + 1] ?? 0);
    if (next === 'u') {
      const unit = readHex(codes, at + 2, 4);
      if (unit < 0) {
        return undefined;
      }
      const low = codes[at + 6] === 0x5c && codes[at + 7] === 0x75 ? readHex(codes, at + 8, 4) : -1;
      if (unit >= 0xd800 && unit < 0xdc00 && low >= 0xdc00 && low < 0xe000) {
        return { value: 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00), isByte: false, length: 12 };
      }
      return { value: unit, isByte: false, length: 6 };
    }
    if (next === 'x') {
      const value = readHex(codes, at + 2, 2);
      return value < 0 ? undefined : { value, isByte: false, length: 4 };
    }
    const value = JSON_ESCAPES[next];
    return value === undefined ? undefined : { value, isByte: true, length: 2 };
  }
  if (code === 0x26 /* & */) {
    return readCharacterReference(codes, at, length);
  }
  return undefined;
}

/** The longest character reference read, `&#x10FFFF;`, bounds the search for its `;`. */
const MAX_REFERENCE_LENGTH = 10;

function readCharacterReference(codes: Uint16Array, at: number, length: number): { value: number; isByte: boolean; length: number } | undefined {
  let end = at + 2;
  while (end < length && end - at < MAX_REFERENCE_LENGTH && codes[end] !== 0x3b /* ; */) end++;
  if (end >= length || codes[end] !== 0x3b) {
    return undefined;
  }
  const body = String.fromCharCode(...codes.subarray(at + 1, end));
  const number = /^#(?:x([0-9a-f]{1,6})|([0-9]{1,7}))$/i.exec(body);
  const value = number ? parseInt(number[1] ?? number[2]!, number[1] ? 16 : 10) : HTML_ENTITIES[body];
  return value === undefined || value > 0x10ffff ? undefined : { value, isByte: false, length: end - at + 1 };
}

function readHex(codes: Uint16Array, start: number, count: number): number {
  let value = 0;
  for (let at = start; at < start + count; at++) {
    const digit = HEX_DIGITS[codes[at] ?? 0] ?? -1;
    if (digit < 0) {
      return -1;
    }
    value = value * 16 + digit;
  }
  return value;
}

const HEX_DIGITS = digitTable('0123456789abcdef', 'ABCDEF', 10);
/** Standard and URL-safe base64 together: `+` and `-` are 62, `/` and `_` are 63. */
const SEXTETS = digitTable('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', '-_', 62);

/** Byte to digit value (-1 for none): `digits` in order, then `more` from `moreValue` on. */
function digitTable(digits: string, more: string, moreValue: number): Int8Array {
  const table = new Int8Array(256).fill(-1);
  [...digits].forEach((char, value) => (table[char.charCodeAt(0)] = value));
  [...more].forEach((char, offset) => (table[char.charCodeAt(0)] = moreValue + offset));
  return table;
}

/**
 * The bytes of every base64 (or base64url) run of the view long enough to hold a fragment, decoded at each
 * of the four alignments, since a run glued to other letters need not start where its encoding does.
 * Each decoded byte spans the characters of its 4-character group.
 */
function decodeBase64Runs(view: View): View {
  const { codes, from, to } = view;
  // Four alignments of 3 bytes per 4 characters, and a sentinel after each run of at least MIN_BASE64_RUN.
  const decoded = new View(4 * view.length + 4);
  for (let start = 0; start < view.length;) {
    let end = start;
    while (end < view.length && (SEXTETS[codes[end]!] ?? -1) >= 0) end++;
    // The padding belongs to the last group: masked with it, it cannot hint at the length of what was encoded.
    let padded = end;
    while (padded < Math.min(end + 2, view.length) && codes[padded] === 0x3d /* = */) padded++;
    for (let offset = 0; offset < 4 && end - start - offset >= MIN_BASE64_RUN; offset++) {
      for (let group = start + offset; end - group >= 2; group += 4) {
        const size = Math.min(4, end - group);
        let bits = 0;
        for (let index = 0; index < 4; index++) {
          bits = (bits << 6) | (index < size ? SEXTETS[codes[group + index]!]! : 0);
        }
        const groupFrom = from[group]!;
        const groupTo = to[(group + size === end ? padded : group + size) - 1]!;
        for (let index = 0; index < size - 1; index++) {
          decoded.push((bits >> (16 - 8 * index)) & 0xff, groupFrom, groupTo);
        }
      }
      decoded.push(SENTINEL, 0, 0);
    }
    start = end + 1;
  }
  return decoded;
}

/** ASCII letters in one case, and a space as `+` (form encoding writes one for the other). */
function foldString(bytes: string): string {
  return bytes.toLowerCase().replace(/ /g, '+');
}

/**
 * Masks values that look like credentials whatever they are: authorization and key headers, key-like
 * query parameters, passwords in URLs. For log lines where the secrets themselves are not at hand. The
 * value may be only part of a key, so no character of it is shown; a value already masked is left as is.
 */
function redactCredentials(text: string): string {
  const hide = (value: string): string => (value.startsWith(MASK) ? value : MASK);
  return text
    .replace(
      /\b(authorization|proxy-authorization)(\s*[:=]\s*)(?:(bearer|basic|token)\s+)?([^\s,;"']+)/gi,
      (_m, name: string, sep: string, scheme: string | undefined, value: string) => `${name}${sep}${scheme ? `${scheme} ` : ''}${hide(value)}`,
    )
    .replace(
      /\b([\w-]*(?:api[_-]?key|secret|token|password|filerobot-key)[\w-]*)(["']?\s*[:=]\s*["']?)([^\s,;&"']+)/gi,
      (_m, name: string, sep: string, value: string) => `${name}${sep}${hide(value)}`,
    )
    .replace(/(\/\/[^/\s:@]+:)([^@\s/]+)@/g, (_m, user: string, password: string) => `${user}${hide(password)}@`);
}

/**
 * The one redactor for everything a person or a log can see (check results, and so the notifications and
 * the stored last check; the log; the CLI's output; storage errors): the given secrets, their fragments and
 * their encodings first, then anything credential-shaped. Built once per set of secrets, used for many texts.
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const redactSecrets = createSecretRedactor(secrets);
  return (text) => redactCredentials(redactSecrets(text));
}
