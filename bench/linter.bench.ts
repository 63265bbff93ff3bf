/**
 * Linter bench (`npm run bench linter`): the scanning cost of typing in a 10,000-line file, as the
 * editor's linter pays it (the changed line re-scanned through `DocumentScanner`), next to the peer a
 * linter without incremental scanning would be (the whole document scanned on every keystroke), in the
 * same run. Typing a key character by character into a line is the worst case: findings appear and
 * change as it grows. Figures only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentScanner } from '../src/core/scanner/documentScanner';
import { SecretScanner } from '../src/core/scanner/engine';

const ROOT = path.resolve(__dirname, '../..');
// Real code, shipped with the project's own dev dependencies: no download needed.
const SOURCE = path.join(ROOT, 'node_modules/typescript/lib/typescript.js');
const TYPED = 'const UPPZY_API_KEY = "upz_live_8f3a9c2e7b1d4f6a0c5e9b2d7f1a3c8e";';

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? NaN;
}

/** Milliseconds per keystroke for `onKeystroke` over the typing of `TYPED` at `line`, repeated `rounds` times. */
function typeKey(onKeystroke: (line: number, text: string) => void, line: number, rounds: number): number[] {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let length = 1; length <= TYPED.length; length++) {
      const started = process.hrtime.bigint();
      onKeystroke(line, TYPED.slice(0, length));
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return times.sort((a, b) => a - b);
}

function report(name: string, times: readonly number[]): void {
  console.log(
    `${name.padEnd(44)} median ${percentile(times, 0.5).toFixed(3)} ms   p95 ${percentile(times, 0.95).toFixed(3)} ms   max ${(times.at(-1) ?? NaN).toFixed(3)} ms`,
  );
}

function main(): void {
  const lines = fs.readFileSync(SOURCE, 'utf8').split('\n').slice(0, 10_000);
  const scanner = new SecretScanner();
  const context = { fileName: 'big.ts', languageId: 'typescript' };
  const line = 5_000;
  console.log(
    `document: ${lines.length} lines, ${(lines.join('\n').length / 1024).toFixed(0)} KiB of real code; typing ${TYPED.length} characters into line ${line + 1}`,
  );

  const document = new DocumentScanner(scanner, context, lines.join('\n'));
  const incremental = typeKey((at, text) => document.replaceLines(at, at + 1, [text]), line, 20);
  const findings = document.findings.length;

  const full = [...lines];
  const wholeDocument = typeKey(
    (at, text) => {
      full[at] = text;
      scanner.scanText(full.join('\n'), context);
    },
    line,
    3,
  );

  report('incremental re-scan per keystroke (linter)', incremental);
  report('whole-document scan per keystroke (peer)', wholeDocument);
  console.log(`ratio peer / linter (median)                 ${(percentile(wholeDocument, 0.5) / percentile(incremental, 0.5)).toFixed(0)}x`);
  console.log(`findings once the key is typed              ${findings}`);
}

main();
