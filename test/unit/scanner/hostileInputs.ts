/** Text that tries to make the scanner slow: shared by the fuzz tests and the reliability bench. */

/** A small deterministic generator, so a failure reproduces. */
export function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const KEYWORDS = [
  'api_key=',
  ';Password=',
  '&pwd={',
  'X-API-Key: ',
  'Bearer ',
  'token: "',
  'sk-proj-',
  'ghp_',
  '-----BEGIN PRIVATE KEY-----',
  '://u:',
  'filerobot',
  'AKIA',
  '- name: API_KEY\n',
  '"key": "X-API-Key",',
  'password: ',
  '--password ',
  'DB_PASS=',
  'eyJhbGciOiJIUzI1NiJ9.',
  'Authorization: Basic ',
  'Authorization: ApiKey ',
  'NTLM TlRMTVNTUAAD',
  'nkey: SU',
  '"kty": "oct", "k": "',
  'otpauth://totp/a?b=c&secret=',
  'TOTP.new("',
];
const ALPHABET = 'abcXYZ0189_-+/=.:"\'`{}[]()$#&?\\ \t\n';

export function adversarial(random: () => number, size: number): string {
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    const pick = random();
    const part =
      pick < 0.3
        ? (KEYWORDS[Math.floor(random() * KEYWORDS.length)] as string)
        : pick < 0.5
          ? 'A'.repeat(Math.floor(random() * 3000))
          : pick < 0.6
            ? '{['.repeat(Math.floor(random() * 500))
            : pick < 0.7
              ? '"' + 'k9'.repeat(Math.floor(random() * 2000))
              : Array.from({ length: 64 }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]).join('');
    parts.push(part);
    length += part.length;
  }
  return parts.join('');
}

/**
 * Inputs that made a stage quadratic: each hit searched to the end of the text for something that
 * never came. Each is a unit to repeat, with what it is.
 */
export const HOSTILE_INPUTS: readonly (readonly [string, string])[] = [
  ['private key headers without an END line', '-----BEGIN RSA PRIVATE KEY-----\n'],
  ['private key headers on one line', '-----BEGIN PRIVATE KEY----- '],
  ['name fields without values on one line', '{"key": "X-API-Key", '],
  ['Kubernetes names without values on one line', '- name: API_KEY '],
  ['XML elements that never close', '<api_key>'],
  ['escaped quotes that never close', 'token=\\"Zq8vL2mN4p '],
  ['keywords inside one bare value', 'AAtoken='],
  ['keywords packed into one long name', 'token'],
  ['Dockerfile variables with long names', `ENV ${'token'.repeat(20)} x\n`],
  // The formats' and the catalogue's matchers.
  ['JWT header segments chained by dots', 'eyJhbGciOiJIUzI1NiJ9.'],
  ['a JWT start before a long run without its dots', ` eyJ${'x9'.repeat(3000)}`],
  ['Basic credentials longer than any value', ` Authorization: Basic ${'QWxh'.repeat(300)}`],
  ['Authorization schemes without a token', 'Authorization: Token Authorization: ApiKey '],
  ['NTLM messages longer than any value', ` NTLM TlRMTVNTUAAD${'Qk'.repeat(2500)}`],
  ['nkey seeds beside their context on one line', 'nkey: SUABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWX '],
  ['JWK members with kty on one line', '"kty": "oct", "k": "'],
  ['kty far apart on one long line', `"kty": ${' '.repeat(9000)}`],
  ['otpauth URIs with many parameters and no secret', `otpauth://totp/a?${'b=c&'.repeat(9)} `],
  ['catalogue tokens with a wrong checksum', 'ghp_Zq8vL2mN4pR7tX1yB5cD9fG3hJ6kAbCdEfGh npm_Zq8vL2mN4pR7tX1yB5cD9fG3hJ6kAbCdEfGh '],
];

/** Every keyword of the rules, once each: one window that triggers every pattern rule. */
export function everyKeyword(keywords: readonly string[]): string {
  return `${[...new Set(keywords)].join(' = "Zq8vL2mN4pR7" ')} `;
}

/** gitignore patterns a backtracking regular expression never finishes with, and a path of a given length for each. */
export const HOSTILE_GLOBS: readonly (readonly [string, string, (size: number) => string])[] = [
  ['*a*a*a…*b against a long name', `${'*a'.repeat(30)}*b`, (size: number) => 'a'.repeat(size)],
  ['*a*a*a…*b against a long name of a and b', `${'*a'.repeat(30)}*b*c`, (size: number) => 'ab'.repeat(size / 2)],
  ['twelve **/ against a deep path', `${'**/'.repeat(12)}x/y`, (size: number) => 'd/'.repeat(size / 2) + 'x/z'],
  ['** segments between literal ones against a deep path', `${'**/a/'.repeat(12)}b`, (size: number) => 'a/'.repeat(size / 2) + 'c'],
];
