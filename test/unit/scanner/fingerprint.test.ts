import * as assert from 'node:assert/strict';
import { createHash, scryptSync } from 'node:crypto';
import { SecretScanner } from '../../../src/core/scanner/engine';
import { fingerprintOf, legacyFingerprintOf } from '../../../src/core/scanner/fingerprint';
import { formatSarif, formatText, toJson } from '../../../src/core/scanner/report';

const PASSWORD = 'sunshine9';
const KEY = 'Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k';

describe('scanner: fingerprints', () => {
  it('is scrypt (N 2^14, r 8, p 1) of the value, salted with a version and the rule id', () => {
    const expected = scryptSync(PASSWORD, 'api-key-guard fingerprint v2\0url-password', 16, { N: 2 ** 14, r: 8, p: 1 }).toString('hex');
    assert.equal(fingerprintOf(PASSWORD, 'url-password'), `scrypt:${expected}`);
    assert.notEqual(fingerprintOf(PASSWORD, 'url-password'), fingerprintOf(PASSWORD, 'generic-secret'));
  });

  it('is not found by the fast guessing that recovered a 9-character password from the old one', () => {
    const fingerprint = fingerprintOf(PASSWORD, 'url-password').slice('scrypt:'.length);
    // The review's attack: 10,000 candidates hashed with SHA-256, compared with the fingerprint.
    const guesses = Array.from({ length: 9_999 }, (_, i) => `sunshine${i}`).concat(PASSWORD);
    const hashes = guesses.map((guess) => createHash('sha256').update(guess).digest('hex'));
    assert.ok(!hashes.some((hash) => hash.startsWith(fingerprint.slice(0, 12)) || fingerprint.startsWith(hash.slice(0, 12))));
    assert.ok(legacyFingerprintOf(PASSWORD).endsWith(hashes[hashes.length - 1]?.slice(0, 16) ?? '-'));
  });

  it('stays the same across files, lines, edits around the secret and scanners', () => {
    const a = new SecretScanner().scanText(`const apiKey = "${KEY}";`, { fileName: 'a.ts' });
    const b = new SecretScanner().scanText(`\n\n// moved\n  let apiKey = '${KEY}' // edited\n`, { fileName: 'b/c.js' });
    assert.equal(a[0]?.fingerprint.value, b[0]?.fingerprint.value);
    assert.equal(a[0]?.fingerprint.value, fingerprintOf(KEY, 'named-api-key'));
  });

  it('is derived only when an output or an ignore entry needs it, once per secret and rule', () => {
    const text = `const apiKey = "${KEY}";\nconst again = { apiKey: "${KEY}" };\nconst token = "Hq2Lm9Pz4Rt8Vw1Xy5Bc3Dn6Fh7";\n`;
    for (const entries of [[], [legacyFingerprintOf('something else')]]) {
      const scanner = new SecretScanner({ ignoredFingerprints: entries });
      const findings = scanner.scanText(text, { fileName: 'a.ts' }).map((finding) => ({ file: 'a.ts', finding }));
      formatText(findings);
      assert.equal(scanner.fingerprints.derivations, 0, 'text output and old entries need no fingerprint');
      JSON.stringify(toJson(findings));
      assert.equal(scanner.fingerprints.derivations, 2, 'JSON, which a later scan reads as its baseline, derives one per distinct secret');
      formatSarif(findings, { version: '0', homepage: 'https://x.test/' });
      assert.equal(scanner.fingerprints.derivations, 2, 'SARIF derives none again');
    }
    const ignoring = new SecretScanner({ ignoredFingerprints: [fingerprintOf(KEY, 'named-api-key')] });
    assert.deepEqual(
      ignoring.scanText(text, { fileName: 'a.ts' }).map((finding) => finding.line),
      [2],
    );
    ignoring.scanText(text, { fileName: 'b.ts' });
    assert.equal(ignoring.fingerprints.derivations, 2, 'a second scan derives nothing again');
  });

  it('never shows the secret when a finding is serialised or inspected', () => {
    const [finding] = new SecretScanner().scanText(`const apiKey = "${KEY}";`, { fileName: 'a.ts' });
    assert.ok(finding);
    assert.ok(!JSON.stringify(finding).includes(KEY));
    assert.ok(!require('node:util').inspect(finding, { depth: 5, showHidden: true }).includes(KEY));
  });

  it('for a caller that derives later, hides nothing until derived, then what the ignore file lists', async () => {
    const scanner = new SecretScanner({ ignoredFingerprints: [fingerprintOf(KEY, 'named-api-key')], deriveFingerprintsLater: true });
    const [pending] = scanner.scanText(`const apiKey = "${KEY}";`, { fileName: 'a.ts' });
    assert.ok(pending && !pending.fingerprint.derived && scanner.ignored.derivesFingerprints);
    assert.equal(await pending.fingerprint.derive(), fingerprintOf(KEY, 'named-api-key'));
    assert.deepEqual(scanner.scanText(`const apiKey = "${KEY}";`, { fileName: 'a.ts' }), []);
  });
});
