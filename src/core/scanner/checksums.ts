/**
 * The checksums and structures vendors build into their tokens, verified offline: a value that
 * passes is that vendor's token whatever name it is assigned to, and one that fails is not (a
 * typo, a truncation, or a made-up lookalike). Each verifier takes the whole matched token.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as zlib's `crc32`) of a string's UTF-16 code units, which for the ASCII tokens here are their bytes. */
export function crc32(text: string): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = (crcTable[(crc ^ text.charCodeAt(i)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** `value` in base 62 (digits, upper, lower), left-padded with `0` to `width`. */
export function base62(value: number, width: number): string {
  let out = '';
  for (let rest = value; rest > 0; rest = Math.floor(rest / 62)) out = BASE62[rest % 62] + out;
  return out.padStart(width, '0');
}

/**
 * GitHub's and npm's scheme: prefix, 30 base62 characters of entropy, then the CRC-32 of those 30
 * characters in base62, 6 characters (github.blog, "Behind GitHub's new authentication token
 * formats"; npm adopted the same format in 2021).
 */
export function hasBase62Crc32(token: string, prefixLength: number): boolean {
  const body = token.slice(prefixLength);
  if (body.length !== 36) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

/**
 * GitLab's routable tokens (GitLab 17.x and later): `<prefix><base64url payload>.<version>.<2 base36
 * digits: the payload's length><7 base36 digits: CRC-32 of everything before them>`. Legacy
 * tokens (prefix and 20 characters) have no checksum; their pattern alone decides.
 */
export function hasGitlabRoutableCrc(token: string): boolean {
  if (!/\.[0-9a-z]{9}$/.test(token)) return true;
  return crc32(token.slice(0, -7)).toString(36).padStart(7, '0') === token.slice(-7);
}

/** base64 or base64url text decoded as Latin-1, or undefined when it is not base64. */
export function decodeBase64(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
}

/** A JSON object, parsed from base64url text, or undefined. */
export function decodeJsonObject(text: string): Record<string, unknown> | undefined {
  const decoded = decodeBase64(text);
  if (decoded === undefined || !decoded.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(decoded);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A JSON Web Token (RFC 7519): three base64url segments whose first decodes to a JSON header
 * naming its algorithm. `alg: none` tokens are unsigned, so they grant nothing and are refused.
 * The token may carry a vendor prefix before the header (`<prefix>eyJ…`).
 */
export function isSignedJwt(token: string): boolean {
  const start = token.indexOf('eyJ');
  if (start === -1) return false;
  const segments = token.slice(start).split('.');
  if (segments.length !== 3) return false;
  const header = decodeJsonObject(segments[0] as string);
  return typeof header?.['alg'] === 'string' && header['alg'].toLowerCase() !== 'none';
}

/** Supabase's legacy `service_role` key: a signed JWT whose claims give it that role (the `anon` key, public by design, has another). */
export function isSupabaseServiceRoleJwt(token: string): boolean {
  return isSignedJwt(token) && decodeJsonObject(token.split('.')[1] ?? '')?.['role'] === 'service_role';
}

/**
 * A token whose body is a base64url JSON object after a vendor prefix (1Password's service account
 * tokens, Mapbox's tokens): a random string of the right characters does not decode to one.
 */
export function hasJsonBody(token: string): boolean {
  const start = token.indexOf('eyJ');
  if (start === -1) return false;
  const body = token.slice(start).split('.')[0] as string;
  // Sentry puts `_<secret>` after the body; 1Password's base64url body may itself hold `_`.
  const lastUnderscore = body.lastIndexOf('_');
  return decodeJsonObject(body) !== undefined || (lastUnderscore !== -1 && decodeJsonObject(body.slice(0, lastUnderscore)) !== undefined);
}

/** A Discord bot token's first segment is the bot's user id (a snowflake: 17 to 20 digits) in base64. */
export function hasDiscordUserId(token: string): boolean {
  const id = decodeBase64(token.slice(0, token.indexOf('.')));
  return id !== undefined && /^\d{17,20}$/.test(id);
}

export const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/** BIP 173's checksum function over a human-readable part and 5-bit data values; a valid string's is 1. */
export function bech32Polymod(hrp: string, data: readonly number[]): number {
  const values = [...Array.from(hrp, (char) => char.charCodeAt(0) >> 5), 0, ...Array.from(hrp, (char) => char.charCodeAt(0) & 31), ...data];
  let check = 1;
  for (const value of values) {
    const top = check >>> 25;
    check = ((check & 0x1ffffff) << 5) ^ value;
    BECH32_GENERATORS.forEach((generator, bit) => {
      if ((top >>> bit) & 1) check ^= generator;
    });
  }
  return check;
}

/** A Bech32 string (BIP 173: human-readable part, `1`, data ending in a 6-character checksum), as age writes its identities. */
export function hasBech32Checksum(token: string): boolean {
  const text = token.toLowerCase();
  const separator = text.lastIndexOf('1');
  if (separator < 1 || text.length - separator < 7) return false;
  const data = Array.from(text.slice(separator + 1), (char) => BECH32.indexOf(char));
  return !data.includes(-1) && bech32Polymod(text.slice(0, separator), data) === 1;
}

/** The verifiers the catalogue names, by id. */
export const CHECKSUMS = {
  /** GitHub classic tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`): the fine-grained `github_pat_` format has no public checksum. */
  'github-crc32': (token: string): boolean => token.startsWith('github_pat_') || hasBase62Crc32(token, 4),
  'npm-crc32': (token: string): boolean => hasBase62Crc32(token, 4),
  'gitlab-routable-crc32': hasGitlabRoutableCrc,
  jwt: isSignedJwt,
  'supabase-service-role-jwt': isSupabaseServiceRoleJwt,
  'json-body': hasJsonBody,
  'discord-user-id': hasDiscordUserId,
  bech32: hasBech32Checksum,
} as const satisfies Record<string, (token: string) => boolean>;

export type ChecksumId = keyof typeof CHECKSUMS;
