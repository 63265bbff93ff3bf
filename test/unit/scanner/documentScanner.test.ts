import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentScanner } from '../../../src/core/scanner/documentScanner';
import { SecretScanner } from '../../../src/core/scanner/engine';

const CORPUS = path.join(__dirname, '../../../../test/fixtures/corpus');

/** Runs a sliced scan to its end, with the steps each slice took. */
function sliced(scanner: SecretScanner, text: string, sliceChars: number): { document: DocumentScanner; slices: number[] } {
  const generator = DocumentScanner.sliced(scanner, { fileName: 'a.env' }, text, sliceChars);
  const slices: number[] = [];
  for (;;) {
    const before = scanner.steps;
    const step = generator.next();
    slices.push(scanner.steps - before);
    if (step.done === true) return { document: step.value, slices };
  }
}

describe('scanner: documents scanned in slices, for an editor', () => {
  const scanner = new SecretScanner();
  const labels = JSON.parse(fs.readFileSync(path.join(CORPUS, 'labels.json'), 'utf8')) as { files: Record<string, unknown> };
  const text = Object.keys(labels.files)
    .map((file) => fs.readFileSync(path.join(CORPUS, file), 'utf8'))
    .join('\n');

  it('finds what a whole scan finds, wherever the slices end', () => {
    const whole = scanner.scanText(text, { fileName: 'a.env' });
    assert.ok(whole.length > 40);
    for (const sliceChars of [500, 4_000, 50_000]) assert.deepEqual(sliced(scanner, text, sliceChars).document.findings, whole, `slices of ${sliceChars}`);
  });

  it('bounds the work of each slice by the slice, not the document, even for a hostile one', () => {
    const hostile = ['-----BEGIN RSA PRIVATE KEY-----', '{"key": "X-API-Key", '.repeat(20), 'token = "Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k"'];
    for (const lines of [2_000, 20_000]) {
      const document = Array.from({ length: lines }, (_, i) => hostile[i % hostile.length]).join('\n');
      const { slices } = sliced(scanner, document, 64 * 1024);
      // A slice reads its lines, the rules' context lines and a private key's reach after it: about 80 KB here.
      assert.ok(Math.max(...slices) <= 8 * 100 * 1024, `${Math.max(...slices)} steps in one slice of a ${document.length}-character document`);
    }
  });

  it('bounds the work of re-scanning an edit by the edit, not the document', () => {
    const line = '-----BEGIN RSA PRIVATE KEY----- {"key": "X-API-Key", token = "Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k"';
    for (const lines of [2_000, 20_000]) {
      const document = new DocumentScanner(scanner, { fileName: 'a.env' }, Array(lines).fill(line).join('\n'));
      const before = scanner.steps;
      document.replaceLines(lines / 2, lines / 2 + 1, ['-----END RSA PRIVATE KEY-----']);
      assert.ok(scanner.steps - before <= 8 * 64 * 1024, `${scanner.steps - before} steps to re-scan one line of ${lines}`);
    }
  });
});
