/**
 * `--baseline <report>`: the fingerprints of an earlier report's findings, which a scan then does
 * not report again. A fingerprint is of the secret itself, so a finding stays known through line
 * moves, renames, rebases and squash merges, and a new secret on the same line is still reported.
 * Reads the JSON report (`--format json`), and SARIF too (its `partialFingerprints`).
 */
import * as fs from 'node:fs';
import { UsageError } from './usageError';

export function readBaseline(file: string): ReadonlySet<string> {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the baseline ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const fingerprints = new Set<string>();
  const add = (value: unknown) => typeof value === 'string' && fingerprints.add(value.toLowerCase());
  if (Array.isArray(json)) {
    for (const item of json as unknown[]) add((item as { fingerprint?: unknown } | null)?.fingerprint);
  } else if (isSarif(json)) {
    for (const run of json.runs) for (const result of run.results ?? []) for (const value of Object.values(result.partialFingerprints ?? {})) add(value);
  } else {
    throw new UsageError(`the baseline ${file} is not a report of 'api-key-guard scan --format json' (or sarif)`);
  }
  return fingerprints;
}

function isSarif(json: unknown): json is { runs: { results?: { partialFingerprints?: Record<string, unknown> }[] }[] } {
  return typeof json === 'object' && json !== null && Array.isArray((json as { runs?: unknown }).runs);
}
