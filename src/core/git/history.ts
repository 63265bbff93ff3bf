/**
 * The history scan: the lines every commit of a range added, read from one `git log -p` streamed
 * oldest first, so each secret is reported once, at the first commit that added it, however often
 * later commits move, copy or remove it. Each file section of a commit becomes one text: its hunks'
 * new lines (context and added, hunks apart by an empty line), scanned as the file it belongs to,
 * keeping the findings on added lines. Merges are read as dense combined diffs (`--cc`), so a
 * merge adds only lines that none of its parents had. Memory is one file section at a time
 * (at most MAX_FILE_BYTES of it; a larger one is skipped, as a tree scan skips a larger file)
 * and one entry per distinct secret found, whatever the length of the history.
 */
import { MAX_FILE_BYTES } from '../scanner/files';
import { isContentMode, scanAddedLines, type GitFinding, type LineMap } from './addedLines';
import { hasHead, startGit } from './git';
import { COMMIT_FORMAT, PatchReader, type CommitHeader, type PatchFile } from './patch';
import { DIFF_ARGS, type GitScanOptions } from './staged';
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

/** One secret, as a rule reports it: what the history scan reports once. Internal, never printed. */
export function secretKey(finding: Finding): string {
  return `${finding.ruleId}\0${finding.fingerprint}`;
}

export async function scanHistory(options: HistoryScanOptions): Promise<HistoryScan> {
  const revisions = options.revisions !== undefined && options.revisions.length > 0 ? options.revisions : ['HEAD'];
  // A repository without commits has no history; a range the user gave must name commits.
  if (options.revisions === undefined || options.revisions.length === 0) {
    if (!(await hasHead(options))) return { commits: 0, oversized: 0 };
  }
  const seen = options.seen ?? new Set<string>();
  const section = new Section();
  let commit: CommitHeader | undefined;
  let file: PatchFile | undefined;
  let commits = 0;
  let oversized = 0;
  const reader = new PatchReader({
    commit: (header) => {
      commit = header;
      commits++;
    },
    file: (next, binary) => {
      file = binary || !isContentMode(next.mode) || (options.includes !== undefined && !options.includes(next.path)) ? undefined : next;
      section.reset();
    },
    hunk: (newStart) => file !== undefined && section.hunk(newStart),
    line: (buffer, start, end, added) => file !== undefined && section.line(buffer, start, end, added),
    endFile: () => {
      if (file === undefined || !section.hasAdded) return;
      if (section.oversized) {
        oversized++;
        return;
      }
      for (const finding of scanAddedLines(options.scanner, file.path, section.content, section)) {
        const key = secretKey(finding);
        if (seen.has(key)) continue;
        seen.add(key);
        options.onFinding({ path: file.path, finding, ...(commit === undefined ? {} : { commit }) });
      }
    },
  });
  const { child, finished } = startGit(options, [
    'log',
    '--reverse',
    '--topo-order',
    '--cc',
    '-U3',
    ...DIFF_ARGS,
    COMMIT_FORMAT,
    '--end-of-options',
    ...revisions,
    '--',
  ]);
  child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
  child.stdin.end();
  await finished;
  reader.end();
  return { commits, oversized };
}

/** One file section's new lines, with the file line and added flag of each: a LineMap over its own text. */
class Section implements LineMap {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private length = 0;
  private fileLines = new Int32Array(1024);
  private added = new Uint8Array(1024);
  private lines = 0;
  private nextLine = 0;
  hasAdded = false;
  oversized = false;

  get content(): Buffer {
    return this.bytes.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
    this.lines = 0;
    this.hasAdded = false;
    this.oversized = false;
  }

  hunk(newStart: number): void {
    // An empty line between hunks, so no construct of the scanner reads across the lines left out.
    if (this.lines > 0) this.append(EMPTY_LINE, 0, 1, -1, false);
    this.nextLine = newStart - 1;
  }

  line(buffer: Buffer, start: number, end: number, added: boolean): void {
    this.append(buffer, start, end, this.nextLine++, added);
    if (added) this.hasAdded = true;
  }

  isAdded(line: number): boolean {
    return this.added[line] === 1;
  }

  fileLine(line: number): number {
    return this.fileLines[line] ?? 0;
  }

  private append(buffer: Buffer, start: number, end: number, fileLine: number, added: boolean): void {
    if (this.oversized) return;
    const size = end - start;
    if (this.length + size > MAX_FILE_BYTES) {
      this.oversized = true;
      return;
    }
    if (this.length + size > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.min(MAX_FILE_BYTES, Math.max(this.bytes.length * 2, this.length + size)));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    buffer.copy(this.bytes, this.length, start, end);
    this.length += size;
    if (this.lines === this.fileLines.length) {
      const lines = new Int32Array(this.lines * 2);
      lines.set(this.fileLines);
      this.fileLines = lines;
      const flags = new Uint8Array(this.lines * 2);
      flags.set(this.added);
      this.added = flags;
    }
    this.fileLines[this.lines] = fileLine;
    this.added[this.lines] = added ? 1 : 0;
    this.lines++;
  }
}

const EMPTY_LINE = Buffer.from('\n');
