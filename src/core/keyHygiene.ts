/**
 * Copy-paste damage in a key, found before anything is sent. Sales Layer's own page lists these as
 * the usual causes of failed authentication: empty value, extra spaces, hidden characters, quotes.
 * Messages name the problem and where it is, never the key.
 */
import type { KeyPlacement } from './providers/types';

const INVISIBLE_NAMES: Readonly<Record<string, string>> = {
  '\u00a0': 'a non-breaking space',
  '\u2007': 'a non-breaking figure space',
  '\u202f': 'a narrow non-breaking space',
  '\u200b': 'a zero-width space',
  '\u200c': 'a zero-width non-joiner',
  '\u200d': 'a zero-width joiner',
  '\u2060': 'a word joiner',
  '\u180e': 'a Mongolian vowel separator',
  '\ufeff': 'a byte order mark (BOM)',
  '\u00ad': 'a soft hyphen',
};

const QUOTE_PAIRS: readonly (readonly [string, string])[] = [
  ['"', '"'],
  ["'", "'"],
  ['`', '`'],
  ['\u201c', '\u201d'],
  ['\u2018', '\u2019'],
  ['\u00ab', '\u00bb'],
];

type KeyContext = { readonly displayName: string; readonly auth: KeyPlacement };

/** The first copy-paste problem in `key`, as a sentence that says what to do, or undefined for a clean key. */
export function findKeyProblem(key: string, provider?: KeyContext): string | undefined {
  if (key.trim() === '') {
    return key === '' ? 'The key is empty: paste the key itself.' : 'The key contains only spaces: paste the key itself.';
  }
  const quote = QUOTE_PAIRS.find(([open, close]) => key.length >= 2 && key.startsWith(open) && key.endsWith(close));
  if (quote) {
    return `The key is wrapped in quotes (${quote[0]}…${quote[1]}): remove them, they are not part of the key.`;
  }
  if (/^[\r\n]|[\r\n]$/.test(key)) {
    return `The key ${/^[\r\n]/.test(key) ? 'starts' : 'ends'} with a line break: paste it again without the line ending.`;
  }
  if (/[\r\n]/.test(key)) {
    return 'The key contains a line break, so it was probably copied across two lines: paste it again as one line.';
  }
  const invisible = [...key].find((char) => INVISIBLE_NAMES[char] !== undefined || /[\p{Cc}\p{Cf}]/u.test(char));
  if (invisible !== undefined && invisible !== '\t') {
    const name = INVISIBLE_NAMES[invisible] ?? 'an invisible control character';
    return `The key contains ${name} (${codePoint(invisible)}) at ${describePosition(key, key.indexOf(invisible))}: type or paste it again from the original source.`;
  }
  if (/^\s/.test(key) || /\s$/.test(key)) {
    const where = /^\s/.test(key) ? 'starts' : 'ends';
    return `The key ${where} with ${key.includes('\t') ? 'a tab or space' : 'a space'}: remove it.`;
  }
  const prefixProblem = findPastedPrefix(key, provider);
  if (prefixProblem) {
    return prefixProblem;
  }
  if (/\s/.test(key)) {
    return 'The key contains a space in the middle, so it was probably copied with surrounding text: paste only the key.';
  }
  if (/\*{3,}|\u2026|\.\.\./.test(key)) {
    return 'The key contains "****" or "…", so it looks like a masked or shortened copy: paste the full key from the original source.';
  }
  const foreign = [...key].find((char) => char < '!' || char > '~');
  if (foreign !== undefined) {
    return `The key contains the character "${foreign}" (${codePoint(foreign)}), which API keys do not use: type or paste it again.`;
  }
  return undefined;
}

/** A header name, an auth scheme or a NAME= assignment copied along with the key. */
function findPastedPrefix(key: string, provider: KeyContext | undefined): string | undefined {
  const scheme = /^(bearer|basic|token)\s+/i.exec(key)?.[1];
  if (scheme) {
    const prefix = provider?.auth.in === 'header' ? provider.auth.prefix?.trim() : undefined;
    return prefix && prefix.toLowerCase() === scheme.toLowerCase()
      ? `The key starts with "${scheme} ", which ${provider?.displayName ?? 'the provider'} adds itself: paste only the key.`
      : `The key starts with "${scheme} ": paste only the key, without the authorization scheme.`;
  }
  const header = /^([A-Za-z][\w-]*)\s*:\s*\S/.exec(key)?.[1];
  if (header && (/key|auth|token/i.test(header) || (provider?.auth.in !== 'basic' && header.toLowerCase() === provider?.auth.name.toLowerCase()))) {
    return `The key starts with the header name "${header}:": paste only the value after it.`;
  }
  const variable = /^([A-Z][A-Z0-9_]{2,})=\S/.exec(key)?.[1];
  if (variable) {
    return `The key starts with "${variable}=", so it was copied from an environment file: paste only the value after "=".`;
  }
  return undefined;
}

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function describePosition(key: string, index: number): string {
  if (index === 0) {
    return 'the start';
  }
  return index === key.length - 1 ? 'the end' : `position ${index + 1} of ${key.length}`;
}
