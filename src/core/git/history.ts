/**
 * The history scan: the lines every commit of a range added, read from one `git log -p` streamed
 * oldest first, so each secret is reported once, at the first commit that added it, however often
 * later commits move, copy or remove it. Each file section is scanned as `scanPatches` says. Merges
 * are read as dense combined diffs (`--cc`), so a merge adds only lines that none of its parents
 * had. Memory is one file section at a time and one entry per distinct secret found, whatever the
 * length of the history.
 */
import type { GitFinding } from './addedLines';
import { hasHead } from './git';
import { COMMIT_FORMAT } from './patch';
import { scanPatches, type GitScanOptions } from './sections';
import type { Finding } from '../scanner/types';

export interface HistoryScanOptions extends GitScanOptions {
  /** Revision arguments as `git log` takes them (`main..HEAD`, `v1.0..`, a commit); default HEAD. */
  readonly revisions?: readonly string[];
  /** Called for each secret found, at the first commit that added it, as the scan goes. */
  readonly onFinding: (finding: GitFinding) => void;
  /** Secrets not to report again: a key per secret and rule (see `secretKey`); the scan adds to it. */
  readonly seen?: Set<string>;
}

export interface HistoryScan {
  readonly commits: number;
  /** File sections skipped for their size. */
  readonly oversized: number;
}

/**
 * One secret, as a rule reports it: what the history scan reports once. A fast hash of the value,
 * held in memory only and never printed: the scrypt fingerprint would cost tens of milliseconds a secret.
 */
export function secretKey(finding: Finding): string {
  return `${finding.ruleId}\0${finding.fingerprint.legacy()}`;
}

export async function scanHistory(options: HistoryScanOptions): Promise<HistoryScan> {
  const revisions = options.revisions !== undefined && options.revisions.length > 0 ? options.revisions : ['HEAD'];
  // A repository without commits has no history; a range the user gave must name commits.
  if (options.revisions === undefined || options.revisions.length === 0) {
    if (!(await hasHead(options))) return { commits: 0, oversized: 0 };
  }
  const seen = options.seen ?? new Set<string>();
  let commits = 0;
  const oversized = await scanPatches(options, ['log', '--reverse', '--topo-order', '--cc', COMMIT_FORMAT, '--end-of-options', ...revisions, '--'], {
    commit: () => commits++,
    finding: (found) => {
      const key = secretKey(found.finding);
      if (seen.has(key)) return;
      seen.add(key);
      options.onFinding(found);
    },
  });
  return { commits, oversized };
}
