/**
 * Reliability bench (`npm run bench reliability`): what the fuzz and hostile-input tests prove, as
 * figures. The fuzz input's throughput in bytes per step; each hostile input's steps and time per
 * byte at 1 MB beside a plain source file's; the path matcher's comparisons per character on
 * patterns that hang a backtracking matcher; the linter's steps per slice; and what a fingerprint
 * costs to derive, which is what each guess at a secret from its fingerprint costs too.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentScanner } from '../src/core/scanner/documentScanner';
import { SecretScanner } from '../src/core/scanner/engine';
import { fingerprintOf } from '../src/core/scanner/fingerprint';
import { compilePatterns, globMeter, matchPatterns } from '../src/core/scanner/globs';
import { RULES } from '../src/core/scanner/rules';
import { adversarial, everyKeyword, generator, HOSTILE_GLOBS, HOSTILE_INPUTS } from '../test/unit/scanner/hostileInputs';

const ROOT = path.resolve(__dirname, '../..');
const MB = 1024 * 1024;

function milliseconds(run: () => void): number {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Steps and the best of three times per byte for one scan of `text`. */
function cost(scanner: SecretScanner, text: string, fileName: string): { steps: number; msPerMb: number } {
  const before = scanner.steps;
  scanner.scanText(text, { fileName });
  const steps = (scanner.steps - before) / text.length;
  const ms = Math.min(...[0, 1, 2].map(() => milliseconds(() => scanner.scanText(text, { fileName }))));
  return { steps, msPerMb: (ms * MB) / text.length };
}

/** A plain source file of this project, repeated to 1 MB: what ordinary code costs. */
function plainText(): string {
  const source = fs.readFileSync(path.join(ROOT, 'src/core/checkEngine.ts'), 'utf8');
  return source.repeat(Math.ceil(MB / source.length)).slice(0, MB);
}

function fuzz(scanner: SecretScanner): void {
  const random = generator(7);
  let bytes = 0;
  const before = scanner.steps;
  for (let round = 0; round < 40; round++) {
    const text = adversarial(random, 10_000 + Math.floor(random() * 60_000));
    for (const fileName of ['a.ts', '.env', 'Dockerfile']) {
      scanner.scanText(text, { fileName });
      bytes += text.length;
    }
  }
  console.log(`fuzz: ${(bytes / 1024 / 1024).toFixed(1)} MB of adversarial text, ${(bytes / (scanner.steps - before)).toFixed(3)} bytes per step`);
}

function hostileInputs(scanner: SecretScanner): void {
  console.log('\n-- steps and time per byte, 1 MB of each (steps per byte stay flat from 20 kB to 200 kB: see fuzz.test.ts)');
  const plain = cost(scanner, plainText(), 'checkEngine.ts');
  console.log(`${'plain source file (checkEngine.ts repeated)'.padEnd(50)} ${plain.steps.toFixed(2)} steps/byte  ${plain.msPerMb.toFixed(1)} ms/MB`);
  const everyRule: [string, string] = [`every rule's keyword on one line (${RULES.length} rules)`, everyKeyword(RULES.flatMap((rule) => rule.keywords))];
  for (const [label, unit] of [...HOSTILE_INPUTS, everyRule]) {
    const text = unit.repeat(Math.ceil(MB / unit.length));
    const worst = ['a.ts', '.env', 'Dockerfile'].map((fileName) => cost(scanner, text, fileName)).sort((a, b) => b.steps - a.steps)[0];
    if (worst === undefined) continue;
    console.log(
      `${label.padEnd(50)} ${worst.steps.toFixed(2)} steps/byte  ${worst.msPerMb.toFixed(1)} ms/MB  (${(worst.msPerMb / plain.msPerMb).toFixed(1)}x the plain file's time)`,
    );
  }
}

function globs(): void {
  console.log('\n-- path patterns: comparisons per path character, 20,000-character paths');
  for (const [label, pattern, subject] of HOSTILE_GLOBS) {
    const patterns = compilePatterns([pattern]);
    const text = subject(20_000);
    const before = globMeter.steps;
    const ms = milliseconds(() => matchPatterns(patterns, text, false));
    console.log(`${label.padEnd(55)} ${((globMeter.steps - before) / text.length).toFixed(2)} comparisons/character  ${ms.toFixed(2)} ms`);
  }
}

function linterSlices(scanner: SecretScanner): void {
  // Lines of about 400 characters or one unit, of each hostile input in turn, to 16 MB.
  const lines = HOSTILE_INPUTS.map(([, unit]) => unit.repeat(Math.ceil(400 / unit.length)));
  const perRound = lines.reduce((total, line) => total + line.length + 1, 0);
  const text = Array.from({ length: Math.ceil((16 * MB) / perRound) }, () => lines.join('\n')).join('\n');
  const slices = DocumentScanner.sliced(scanner, { fileName: 'a.env' }, text, 256 * 1024);
  const steps: number[] = [];
  for (let done = false; !done;) {
    const before = scanner.steps;
    done = slices.next().done === true;
    steps.push(scanner.steps - before);
  }
  console.log(
    `\n-- linter: a ${(text.length / MB).toFixed(1)} MB hostile document in ${steps.length} slices of 256 KB; the largest took ${Math.max(...steps)} steps (${(Math.max(...steps) / (256 * 1024)).toFixed(2)} per slice byte)`,
  );
}

function fingerprints(): void {
  const runs = 15;
  const times = Array.from({ length: runs }, (_, i) => milliseconds(() => fingerprintOf(`guess-${i}`, 'password'))).sort((a, b) => a - b);
  const scrypt = times[runs >> 1] as number;
  const sha = milliseconds(() => {
    for (let i = 0; i < 100_000; i++) createHash('sha256').update(`guess-${i}`).digest('hex');
  });
  const perSha = sha / 100_000;
  console.log(`\n-- fingerprints (scrypt N 2^14, r 8, p 1: 16 MiB per derivation)`);
  console.log(`derivation: ${scrypt.toFixed(1)} ms, median of ${runs}; the old sha256: ${(perSha * 1000).toFixed(2)} µs`);
  const guesses = (count: number): string => {
    const seconds = (count * scrypt) / 1000;
    return seconds < 3600
      ? `${(seconds / 60).toFixed(1)} min`
      : seconds < 86400 * 2
        ? `${(seconds / 3600).toFixed(1)} h`
        : `${(seconds / 86400).toFixed(0)} days`;
  };
  console.log(
    `guessing one secret from its fingerprint, on one core: 10,000 guesses ${guesses(10_000)} (old: ${((10_000 * perSha) / 1000).toFixed(2)} s), ` +
      `a 14-million-word list ${guesses(14_000_000)} (old: ${((14_000_000 * perSha) / 1000).toFixed(0)} s); ${(scrypt / perSha).toFixed(0)}x the old cost per guess`,
  );
}

function main(): void {
  const scanner = new SecretScanner({ extraSecrets: [{ value: 'AAAAAAAAAAAAAAAA', label: 'stored key', variable: 'STORED_KEY' }] });
  fuzz(scanner);
  hostileInputs(scanner);
  globs();
  linterSlices(scanner);
  fingerprints();
}

main();
