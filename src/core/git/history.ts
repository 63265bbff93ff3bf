/**
 * The history scan: the lines every commit of a range added, read from one `git log -p` streamed
 * oldest first, so each secret is reported once, at the first commit that added it, however often
 * later commits move, copy or remove it. Each file section is scanned as `scanPatches` says. Merges
 * are read as dense combined diffs (`--cc`), so a merge adds only lines that none of its parents
 * had. Memory is one file section at a time and one entry per distinct secret found, whatever the
 * length of the history.
 */
import * as path from 'node:path';
import type { GitFinding } from './addedLines';
import { GitError, hasHead } from './git';
import { COMMIT_FORMAT } from './patch';
import type { PatchWorkerData, PatchWorkerMessage } from './patchWorker';
import { BatchScanner, patchArgs, type GitScanOptions, type PatchScanSink } from './sections';
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
  const oversized = await scanPatchesConcurrently(
    options,
    ['log', '--reverse', '--topo-order', '--cc', COMMIT_FORMAT, '--end-of-options', ...revisions, '--'],
    {
      commit: () => commits++,
      finding: (found) => {
        const key = secretKey(found.finding);
        if (seen.has(key)) return;
        seen.add(key);
        options.onFinding(found);
      },
    },
  );
  return { commits, oversized };
}

/**
 * `scanPatches` with git's output read on another thread (patchWorker.ts, beside this module in
 * the build and in the bundle): git, the reading and the scanning run at once, which on a long
 * history is the difference between the sum of their times and the longest of them.
 */
function scanPatchesConcurrently(options: GitScanOptions, command: readonly string[], sink: PatchScanSink): Promise<number> {
  const scanner = new BatchScanner(options, sink);
  const workerData: PatchWorkerData = {
    cwd: options.cwd,
    args: patchArgs(command, options.scanner.contextLines),
    ...(options.gitPath === undefined ? {} : { gitPath: options.gitPath }),
  };
  // Loaded here, not at the top: the staged scan (the pre-commit hook) imports this module and never starts a thread.
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  const worker = new Worker(path.join(__dirname, 'patchWorker.js'), { workerData });
  return new Promise<number>((resolve, reject) => {
    let outcome: { error: Error } | { oversized: number } | undefined;
    worker.on('message', (message: PatchWorkerMessage) => {
      if (outcome !== undefined) return;
      try {
        if ('batch' in message) {
          scanner.scan(message.batch);
          const { bytes, fileLines, added } = message.batch;
          // The arrays go back whole to be filled again, so the reading allocates nothing once it runs.
          const arrays = { bytes: new Uint8Array(bytes.buffer), fileLines: new Int32Array(fileLines.buffer), added: new Uint8Array(added.buffer) };
          worker.postMessage(arrays, [arrays.bytes.buffer, arrays.fileLines.buffer, arrays.added.buffer]);
        } else outcome = 'error' in message ? { error: new GitError(message.error) } : { oversized: scanner.oversized };
      } catch (error) {
        outcome = { error: error instanceof Error ? error : new Error(String(error)) };
        void worker.terminate();
      }
    });
    worker.on('error', (error) => (outcome ??= { error }));
    worker.on('exit', (code) => {
      outcome ??= { error: new Error(`the history scan's reader thread stopped (exit code ${code})`) };
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.oversized);
    });
  });
}
