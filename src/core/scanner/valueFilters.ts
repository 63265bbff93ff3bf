/**
 * Whether a candidate value is a secret rather than a placeholder, a reference, an id or a word.
 * These filters are where precision comes from; every one answers a false-positive class that users
 * of other scanners report.
 */
import type { ValueCheck } from './types';

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) {
    counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Fillers that no generated key contains: xxxx, ****, 000000, ..., <...>, EXAMPLE (AWS's documented examples end so). */
const FILLER = /x{4}|X{4}|\*{3}|0{6}|\.\.\.|[<>]|EXAMPLE|example/;

/** Placeholder and stop words (gitleaks and detect-secrets keep similar lists): a real key is random, not English. */
const PLACEHOLDER =
  /example|sample|placeholder|dummy|fake|mock|changeme|change[_-]me|replace|redacted|insert|your[_-]?|[_-]here$|todo|fixme|xxx|\bnone\b|null|undefined|secret|password|passwd|test|1234|abcd|qwerty|letmein|default/i;

/** References to a value kept elsewhere: environment, templates, secret managers. */
const INDIRECTION =
  /^[$%@&*]|\$\{|\$\(|\{\{|\}\}|#\{|<%|%\(|\{[A-Za-z_][\w.]*\}|process\.env|getenv|environ|ENV\[|env\(|Environment\.|secrets\.|vault:|^arn:|^ref\+|^projects\//;

/** Shapes that are never secrets: URLs, paths, data URIs, SRI hashes, colours, version strings, numbers, dates. */
const NOT_A_SECRET_SHAPE =
  /^(?:[a-z][a-z0-9+.-]*:\/\/|\.{0,2}\/[\w.-]*(?:\/[\w.-]*)*$|~\/|[A-Za-z]:\\|data:|sha(?:1|256|384|512)-|#[0-9A-Fa-f]{3,8}$|rgba?\(|hsla?\(|v?\d+(?:\.\d+){1,3}(?:-[\w.]+)?$|[\d.,:_ -]+$)/;

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const WHITESPACE = /\s/;

export function isPlausibleSecret(value: string, check: ValueCheck): boolean {
  if (value.length < check.minLength || value.length > check.maxLength) {
    return false;
  }
  if (FILLER.test(value) || hasLongRun(value)) {
    return false;
  }
  if (check.filter === 'strict') {
    if (PLACEHOLDER.test(value) || INDIRECTION.test(value) || NOT_A_SECRET_SHAPE.test(value) || WHITESPACE.test(value)) {
      return false;
    }
    if (!check.allowIds && UUID.test(value)) {
      return false;
    }
    if (isWordLike(value) || characterClasses(value) < 2) {
      return false;
    }
  }
  return shannonEntropy(value) >= requiredEntropy(value.length, check.minEntropy);
}

/** A string of n distinct characters has log2(n) bits per character at most, so short values get a lower bar. */
function requiredEntropy(length: number, minEntropy: number): number {
  return Math.min(minEntropy, Math.log2(length) * 0.8);
}

/** Four equal characters in a row: rare in random keys, common in fillers (aaaa, ----, 1111). */
function hasLongRun(value: string): boolean {
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) ? run + 1 : 1;
    if (run >= 4) {
      return true;
    }
  }
  return false;
}

function characterClasses(value: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

/**
 * Identifiers, i18n keys, enum members and prose: letters and separators only, in words of
 * 3+ letters on average (`someTokenName`, `auth.password.label`, `X-Api-Key`). Random letters
 * change case every character or two, so their "words" are shorter.
 */
export function isWordLike(value: string): boolean {
  let words = 0;
  let letters = 0;
  let previousLower = false;
  let inWord = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const isUpper = c >= 65 && c <= 90;
    const isLower = c >= 97 && c <= 122;
    if (!isUpper && !isLower) {
      if (c >= 48 && c <= 57) {
        return false;
      }
      inWord = false;
      previousLower = false;
      continue;
    }
    if (!inWord || (isUpper && previousLower)) {
      words++;
    }
    inWord = true;
    previousLower = isLower;
    letters++;
  }
  return words > 0 && letters / words >= 3;
}
