import * as assert from 'node:assert/strict';
import { SecretScanner } from '../../../src/core/scanner/engine';

/** A small deterministic generator, so a failure reproduces. */
function generator(seed: number): () => number {
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

function adversarial(random: () => number, size: number): string {
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

describe('scanner: fuzz', () => {
  const scanner = new SecretScanner({ extraSecrets: [{ value: 'AAAAAAAAAAAAAAAA', label: 'stored key' }] });

  it('survives random and adversarial input with work linear in its size', () => {
    const random = generator(7);
    for (let round = 0; round < 10; round++) {
      const text = adversarial(random, 10_000 + Math.floor(random() * 60_000));
      for (const fileName of ['a.ts', '.env', 'Dockerfile']) {
        const before = scanner.steps;
        const findings = scanner.scanText(text, { fileName });
        const work = scanner.steps - before;
        assert.ok(Array.isArray(findings));
        // Each character is read by the prefilter once and by a bounded number of rule windows.
        assert.ok(work <= text.length * 40, `round ${round} ${fileName}: ${work} steps for ${text.length} characters`);
      }
    }
  });

  it('survives invalid UTF-8, lone surrogates and a 1 MB line of key-like characters', () => {
    const bytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256));
    const texts = [bytes.toString('utf8'), '\ud800api_key="\udfff' + 'z'.repeat(5000), 'token="' + 'Ab1'.repeat(350_000), 'x-api-key:'.repeat(100_000)];
    for (const text of texts) {
      const before = scanner.steps;
      scanner.scanText(text, { fileName: 'min.js' });
      assert.ok(scanner.steps - before <= text.length * 40);
    }
  });
});
