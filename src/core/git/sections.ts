/**
 * What the staged and history scans share: one `git diff` or `git log -p` streamed through the
 * patch reader, each file section's new lines (context and added, hunks apart by an empty line)
 * scanned as a text of the file it belongs to, and the findings on added lines kept. Git prints
 * as many lines of context around each change as the scanner reads around a hit
 * (`SecretScanner.contextLines`, as the linter does for an edit), so a name on the line before a
 * value, or a suppression comment above it, count as in a tree scan, and the cost follows the
 * size of the change, not of the files it touches. Memory is one file section at a time (at most
 * MAX_FILE_BYTES of it; a larger one is skipped, as a tree scan skips a larger file).
 */
import type { SecretScanner } from '../scanner/engine';
import { MAX_FILE_BYTES } from '../scanner/files';
import { isContentMode, scanAddedLines, type GitFinding, type LineMap } from './addedLines';
import { startGit, type GitOptions } from './git';
import { PatchReader, type CommitHeader, type PatchFile } from './patch';

export interface GitScanOptions extends GitOptions {
  readonly scanner: SecretScanner;
  /** Whether a path (relative to the top of the work tree) is scanned; default every path. */
  readonly includes?: (path: string) => boolean;
}

/** Pinned for every diff the scans read, whatever the user's config says. */
const DIFF_ARGS = ['--no-color', '--no-ext-diff', '--no-textconv', '-M', '--src-prefix=a/', '--dst-prefix=b/'];

export interface PatchScanSink {
  commit?(header: CommitHeader): void;
  /** A finding on a line the section adds, at its line in the file. */
  finding(found: GitFinding): void;
  /** A section git printed no lines for ("Binary files … differ") of an included file with content. */
  binary?(file: PatchFile): void;
}

/**
 * Runs git's `command` (`diff …` or `log …`, its subcommand first) with the pinned diff options and
 * scans what each section adds; resolves with the number of sections too large to scan.
 */
export async function scanPatches(options: GitScanOptions, command: readonly string[], sink: PatchScanSink): Promise<number> {
  const section = new Section();
  let commit: CommitHeader | undefined;
  let file: PatchFile | undefined;
  let oversized = 0;
  const reader = new PatchReader({
    commit: (header) => {
      commit = header;
      sink.commit?.(header);
    },
    file: (next, binary) => {
      section.reset();
      const wanted = isContentMode(next.mode) && (options.includes === undefined || options.includes(next.path));
      file = wanted && !binary ? next : undefined;
      if (wanted && binary) sink.binary?.(next);
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
        sink.finding({ path: file.path, finding, ...(commit === undefined ? {} : { commit }) });
      }
    },
  });
  const [subcommand = 'diff', ...rest] = command;
  const { child, finished } = startGit(options, [subcommand, `-U${options.scanner.contextLines}`, ...DIFF_ARGS, ...rest]);
  child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
  child.stdin.end();
  await finished;
  reader.end();
  return oversized;
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
