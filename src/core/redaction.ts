/**
 * Masking of secrets in anything a person or a log can see. Servers echo keys back in error bodies,
 * sometimes percent-encoded, JSON-escaped or base64-encoded, so every such form is masked.
 */
import { escapeRegExp } from './regExp';

const MASK = '****';
/** Keys shorter than this show no characters at all: a few visible characters of a short key help guessing. */
const MIN_LENGTH_FOR_HINT = 12;
/** From this length the last 4 characters show; in between, the last 2. */
const MIN_LENGTH_FOR_FULL_HINT = 20;
/** Echoed fragments at least this long that appear inside a secret are masked too. */
const MIN_FRAGMENT_LENGTH = 8;

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

/** Replaces every occurrence of each secret, and of its encoded forms, by its masked form. */
export function redact(text: string, secrets: readonly string[]): string {
  return createSecretRedactor(secrets)(text);
}

/** `redact` with the patterns built once, for code that masks many texts with the same secrets. */
export function createSecretRedactor(secrets: readonly string[]): (text: string) => string {
  const maskers = [...secrets]
    .filter((secret) => secret.length > 0)
    .sort((a, b) => b.length - a.length)
    .map((secret) => ({ secret, mask: maskSecret(secret), pattern: variantsPattern(secret) }));
  return (text) => {
    let result = text;
    for (const { secret, mask, pattern } of maskers) {
      result = result.replace(pattern, mask);
      if (secret.length >= MIN_FRAGMENT_LENGTH) {
        result = result.replace(/[A-Za-z0-9+/=_-]{8,}/g, (token) => (secret.includes(token) ? mask : token));
      }
    }
    return result;
  };
}

/** The forms a server may echo a secret in: raw, percent-encoded (either hex case), form-encoded, JSON-escaped, base64. */
function variantsPattern(secret: string): RegExp {
  const percent = encodeURIComponent(secret);
  const variants = new Set([
    secret,
    percent,
    percent.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64').replace(/=+$/, ''),
    Buffer.from(secret).toString('base64url'),
  ]);
  const alternatives = [...variants].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(alternatives.join('|'), 'g');
}

/**
 * Masks values that look like credentials whatever they are: authorization and key headers, key-like
 * query parameters, passwords in URLs. For log lines where the secrets themselves are not at hand.
 */
export function redactCredentials(text: string): string {
  return text
    .replace(
      /\b(authorization|proxy-authorization)(\s*[:=]\s*)(?:(bearer|basic|token)\s+)?([^\s,;"']+)/gi,
      (_m, name: string, sep: string, scheme: string | undefined, value: string) => `${name}${sep}${scheme ? `${scheme} ` : ''}${maskSecret(value)}`,
    )
    .replace(
      /\b([\w-]*(?:api[_-]?key|secret|token|password|filerobot-key)[\w-]*)(["']?\s*[:=]\s*["']?)([^\s,;&"']+)/gi,
      (_m, name: string, sep: string, value: string) => `${name}${sep}${maskSecret(value)}`,
    )
    .replace(/(\/\/[^/\s:@]+:)([^@\s/]+)@/g, (_m, user: string, password: string) => `${user}${maskSecret(password)}@`);
}

/** A redactor for everything a check or a log prints: the given secrets first, then anything credential-shaped. */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const redactSecrets = createSecretRedactor(secrets);
  return (text) => redactCredentials(redactSecrets(text));
}
