/**
 * Fake tokens of each catalogue format, made fresh for every run from the format's example
 * template: random characters of the documented sets, and valid checksums where the format has one.
 * No real token is ever written down.
 */
import { BECH32, bech32Polymod, base62, crc32 } from '../../../src/core/scanner/checksums';

const SETS: Record<string, string> = {
  A: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  a: 'abcdefghijklmnopqrstuvwxyz0123456789',
  U: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  h: '0123456789abcdef',
  H: '0123456789ABCDEF',
  d: '0123456789',
  u: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-',
  b: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  m: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  Z: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
};

/** A small seeded generator, so a failing case can be reproduced from its seed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

/** `length` characters of `set` that, written after `before`, make no run of four equal characters: the scanner refuses those as fillers (xxxx, 0000). */
function pick(set: string, length: number, random: () => number, before = ''): string {
  let out = '';
  while (out.length < length) {
    const char = set[Math.floor(random() * set.length)] as string;
    if ((before + out).endsWith(char.repeat(3))) continue;
    out += char;
  }
  return out;
}

function base64(text: string, url: boolean): string {
  const encoded = Buffer.from(text, 'latin1').toString('base64').replace(/=+$/, '');
  return url ? encoded.replace(/\+/g, '-').replace(/\//g, '_') : encoded;
}

/** A JSON object in base64 that starts `eyJrIjoi` (`{"k":"`), as Grafana's and 1Password's bodies do. */
function jsonBody(length: number, url: boolean, random: () => number): string {
  return base64(JSON.stringify({ k: pick(SETS['A'] as string, length, random), n: 'ci', id: 1 }), url);
}

/** A JWT signed with HS256 (a random signature: nothing checks it offline) whose claims hold `role`. */
function jwt(role: string, random: () => number): string {
  const header = base64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }), true);
  const claims = base64(JSON.stringify({ iss: 'supabase', ref: pick(SETS['a'] as string, 20, random), role, iat: 1700000000 }), true);
  return `${header}.${claims}.${pick(SETS['u'] as string, 43, random)}`;
}

function gitlabPayload(random: () => number): string {
  const randomBytes = Array.from({ length: 16 }, () => String.fromCharCode(Math.floor(random() * 256))).join('');
  const payload = base64(`c:1\no:${pick(SETS['a'] as string, 3, random)}\nu:${pick(SETS['a'] as string, 4, random)}${randomBytes}\x10`, true);
  return `${payload}.01.${payload.length.toString(36).padStart(2, '0')}`;
}

function ageKey(random: () => number): string {
  const hrp = 'age-secret-key-';
  const data = Array.from({ length: 52 }, () => Math.floor(random() * 32));
  const polymod = bech32Polymod(hrp, [...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (polymod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...checksum].map((value) => BECH32[value]).join('')}`.toUpperCase();
}

/**
 * Fills a template: `{A30}` is 30 characters of set A (see SETS); `{b62crc}` the base62 CRC-32 of
 * the 30 characters before it (GitHub, npm); `{glpayload}` a GitLab routing payload with its
 * length and `{glcrc}` the CRC-32 of everything before it in base36; `{json}`/`{json64}` a base64url
 * or base64 JSON body (`{json:300}` with a longer value); `{jwt:role}` a JWT with that role claim; `{discordid}` a base64 user id; `{agekey}` an age identity.
 */
export function sample(template: string, random: () => number): string {
  let out = '';
  for (const part of template.split(/(\{[^}]+\})/)) {
    const field = /^\{(.+)\}$/.exec(part)?.[1];
    if (field === undefined) out += part;
    else if (field === 'b62crc') out += base62(crc32(out.slice(-30)), 6);
    else if (field === 'glpayload') out += gitlabPayload(random);
    else if (field === 'glcrc') out += crc32(out).toString(36).padStart(7, '0');
    else if (field.startsWith('json')) out += jsonBody(Number(field.split(':')[1] ?? 40), !field.startsWith('json64'), random);
    else if (field.startsWith('jwt:')) out += jwt(field.slice(4), random);
    else if (field === 'discordid') out += base64(pick(SETS['d'] as string, 18, random).replace(/^0/, '1'), true);
    else if (field === 'agekey') out += ageKey(random);
    else {
      const set = SETS[field[0] as string];
      if (set === undefined) throw new Error(`unknown set in ${template}`);
      out += pick(set, Number(field.slice(1)), random, out);
    }
  }
  return out;
}
