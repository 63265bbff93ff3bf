import * as assert from 'node:assert/strict';
import { SecretScanner } from '../../../src/core/scanner/engine';
import { RULES } from '../../../src/core/scanner/rules';
import { adversarial, everyKeyword, generator, HOSTILE_INPUTS } from './hostileInputs';

describe('scanner: fuzz', () => {
  const scanner = new SecretScanner({ extraSecrets: [{ value: 'AAAAAAAAAAAAAAAA', label: 'stored key', variable: 'STORED_KEY' }] });

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

  it('reads a long line holding every keyword of every rule at most once per pattern rule, however long it grows', () => {
    const unit = everyKeyword(RULES.flatMap((rule) => rule.keywords));
    const patternRules = RULES.filter((rule) => rule.kind === 'pattern').length;
    const perCharacter = (size: number): number => {
      const text = unit.repeat(Math.ceil(size / unit.length));
      const before = scanner.steps;
      scanner.scanText(text, { fileName: 'a.ts' });
      return (scanner.steps - before) / text.length;
    };
    const small = perCharacter(40_000);
    const large = perCharacter(400_000);
    // Each rule a window's hits trigger reads the window once; the other stages add a few steps.
    assert.ok(large <= patternRules + 8, `${large.toFixed(1)} steps per character for ${patternRules} pattern rules`);
    assert.ok(large <= small * 1.5, `${small.toFixed(1)} steps per character at 40 kB, ${large.toFixed(1)} at 400 kB`);
  });

  // Steps per character must not grow with the input, and stay small.
  for (const [label, unit] of HOSTILE_INPUTS) {
    it(`reads ${label} in steps linear in their size`, () => {
      const perCharacter = (size: number, fileName: string): number => {
        const text = unit.repeat(Math.ceil(size / unit.length));
        const before = scanner.steps;
        scanner.scanText(text, { fileName });
        const viaBytes = scanner.steps;
        scanner.scanBytes(Buffer.from(text), { fileName });
        // The byte path reads the same text again; both are bounded the same way.
        assert.ok(scanner.steps - viaBytes <= (viaBytes - before) * 1.5, `${label}, bytes of ${fileName}`);
        return (viaBytes - before) / text.length;
      };
      for (const fileName of ['a.ts', '.env', 'Dockerfile']) {
        const small = perCharacter(20_000, fileName);
        const large = perCharacter(200_000, fileName);
        assert.ok(large <= 8, `${label} in ${fileName}: ${large.toFixed(1)} steps per character`);
        assert.ok(large <= small * 1.5, `${label} in ${fileName}: ${small.toFixed(1)} steps per character at 20 kB, ${large.toFixed(1)} at 200 kB`);
      }
    });
  }
});
