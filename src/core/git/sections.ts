/**
 * What the staged and history scans share: one `git diff` or `git log -p` streamed through the
 * patch reader into batches of file sections (each section's new lines, context and added, hunks
 * apart by an empty line, with the file line and added flag of each), each section scanned as a
 * text of the file it belongs to and the findings on added lines kept. Git prints as many lines of
 * context around each change as the scanner reads around a hit (`SecretScanner.contextLines`, as
 * the linter does for an edit), so a name on the line before a value, or a suppression comment
 * above it, count as in a tree scan, and the cost follows the size of the change, not of the files
 * it touches. A section is at most MAX_FILE_BYTES (a larger one is skipped, as a tree scan skips a
 * larger file), and a section that adds no line is dropped as soon as it ends.
 *
 * The staged scan reads and scans on one thread, a batch per section; the history scan reads in a
 * worker (patchWorker.ts), whose batches hold many sections, so git, the reading and the
 * scanning overlap.
 */
import type { SecretScanner } from '../scanner/engine';
import { MAX_FILE_BYTES } from '../scanner/files';
import { isContentMode, scanAddedLines, type GitFinding, type LineMap } from './addedLines';
import { startGit, type GitOptions } from './git';
import { PatchReader, type CommitHeader, type PatchFile, type PatchSink } from './patch';

export interface GitScanOptions extends GitOptions {
  readonly scanner: SecretScanner;
  /** Whether a path (relative to the top of the work tree) is scanned; default every path. */
  readonly includes?: (path: string) => boolean;
}

/** Pinned for every diff the scans read, whatever the user's config says. */
const DIFF_ARGS = ['--no-color', '--no-ext-diff', '--no-textconv', '-M', '--src-prefix=a/', '--dst-prefix=b/'];

/** git's arguments for `command` (`diff …` or `log …`, its subcommand first), with `contextLines` of context and the pinned diff options. */
export function patchArgs(command: readonly string[], contextLines: number): string[] {
  const [subcommand = 'diff', ...rest] = command;
  return [subcommand, `-U${contextLines}`, ...DIFF_ARGS, ...rest];
}

/** What an entry of a batch's `index` is. */
const COMMIT = 0;
const SECTION = 1;
/** git printed no lines for it ("Binary files … differ"). */
const BINARY = 2;
/** It adds lines but is larger than MAX_FILE_BYTES: its content is not in the batch, it is only counted. */
const OVERSIZED = 3;
/** Numbers per entry of `index`: its kind; for a section, where its content `bytes[start, end)` and its first line in the line arrays are. */
const ENTRY = 4;

/**
 * Commits and file sections in the order git printed them, and the sections' content: arrays and
 * one string, which another thread receives for the cost of a copy of the string (a list of
 * objects would cost more than the scan of a small batch).
 */
export interface SectionBatch {
  /** ENTRY numbers per commit or section. */
  readonly index: Int32Array<ArrayBuffer>;
  /** The entries' fields, each ended by NUL (which no path and no field of a commit holds): a commit's sha, parents, author and date; a section's path, blob and mode. */
  readonly text: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** Per line of `bytes`: its 0-based line in the file (-1 for the empty line between hunks). */
  readonly fileLines: Int32Array<ArrayBuffer>;
  /** Per line of `bytes`: 1 if the change adds it. */
  readonly added: Uint8Array<ArrayBuffer>;
}

/** The arrays of a batch, as a consumer on another thread gives them back to be filled again. */
export type BatchArrays = Pick<SectionBatch, 'bytes' | 'fileLines' | 'added'>;

/**
 * The patch reader's sink that writes sections into batches and hands each on once it holds at
 * least `batchBytes` (0: every section as it ends). The arrays are reused, unless the consumer
 * transferred them to another thread (which detaches them); then the next batch is written into
 * arrays given back with `reuse`, or new ones.
 */
export class SectionWriter implements PatchSink {
  private index: number[] = [];
  private text = '';
  private bytes: Uint8Array<ArrayBuffer>;
  private fileLines: Int32Array<ArrayBuffer>;
  private added: Uint8Array<ArrayBuffer>;
  private readonly spare: BatchArrays[] = [];
  private length = 0;
  private lines = 0;
  /** The open section: its file (undefined when it has no content to scan), where it started, and what it holds so far. */
  private section: PatchFile | undefined;
  private binary = false;
  private start = 0;
  private firstLine = 0;
  private nextLine = 0;
  private hasAdded = false;
  private oversized = false;

  constructor(
    private readonly batchBytes: number,
    private readonly onBatch: (batch: SectionBatch) => void,
  ) {
    ({ bytes: this.bytes, fileLines: this.fileLines, added: this.added } = this.arrays());
  }

  /** The next batches are written into these: however long the patch, no more arrays exist than were ever in flight at once. */
  reuse(arrays: BatchArrays): void {
    this.spare.push(arrays);
  }

  /** Room for a batch and a line of the next section: a batch rarely grows its arrays. */
  private arrays(): BatchArrays {
    const bytes = this.batchBytes + 64 * 1024;
    return this.spare.pop() ?? { bytes: new Uint8Array(bytes), fileLines: new Int32Array(bytes >> 5), added: new Uint8Array(bytes >> 5) };
  }

  commit(header: CommitHeader): void {
    this.index.push(COMMIT, 0, 0, 0);
    this.text += `${header.sha}\0${header.parents.join(' ')}\0${header.author}\0${header.date}\0`;
  }

  file(file: PatchFile, binary: boolean): void {
    this.section = isContentMode(file.mode) ? file : undefined;
    this.binary = binary;
    this.start = this.length;
    this.firstLine = this.lines;
    this.hasAdded = false;
    this.oversized = false;
  }

  hunk(newStart: number): void {
    if (this.section === undefined) return;
    // An empty line between hunks, so no construct of the scanner reads across the lines left out.
    if (this.lines > this.firstLine) this.append(EMPTY_LINE, 0, 1, -1, false);
    this.nextLine = newStart - 1;
  }

  line(buffer: Buffer, start: number, end: number, added: boolean): void {
    if (this.section === undefined) return;
    this.append(buffer, start, end, this.nextLine++, added);
    if (added) this.hasAdded = true;
  }

  endFile(): void {
    const file = this.section;
    this.section = undefined;
    if (file === undefined || (!this.hasAdded && !this.binary) || this.oversized) {
      // Nothing of it is scanned: its content goes, and an oversized section is only counted.
      this.length = this.start;
      this.lines = this.firstLine;
      if (file === undefined || !this.oversized || !this.hasAdded) return;
    }
    this.index.push(this.binary ? BINARY : this.oversized ? OVERSIZED : SECTION, this.start, this.length, this.firstLine);
    this.text += `${file.path}\0${file.blob ?? ''}\0${file.mode ?? ''}\0`;
    if (this.length >= this.batchBytes) this.flush();
  }

  /** Hands on what is left, at the end of the patch. */
  flush(): void {
    if (this.index.length === 0) return;
    const batch: SectionBatch = {
      index: Int32Array.from(this.index),
      text: this.text,
      bytes: this.bytes.subarray(0, this.length),
      fileLines: this.fileLines.subarray(0, this.lines),
      added: this.added.subarray(0, this.lines),
    };
    this.index = [];
    this.text = '';
    this.length = 0;
    this.lines = 0;
    this.onBatch(batch);
    // Transferred to another thread: the arrays are empty now, and the next batch needs others.
    if (this.bytes.byteLength === 0) ({ bytes: this.bytes, fileLines: this.fileLines, added: this.added } = this.arrays());
  }

  private append(buffer: Buffer, start: number, end: number, fileLine: number, added: boolean): void {
    if (this.oversized) return;
    const size = end - start;
    if (this.length - this.start + size > MAX_FILE_BYTES) {
      this.oversized = true;
      return;
    }
    if (this.length + size > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + size));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    // Most lines are short: a loop copies them for less than Buffer#copy's checks cost per call.
    if (size < LONG_LINE) {
      const bytes = this.bytes;
      let at = this.length;
      for (let i = start; i < end; i++) bytes[at++] = buffer[i] as number;
    } else {
      this.bytes.set(buffer.subarray(start, end), this.length);
    }
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
/** From this length on, a line is copied by one call. */
const LONG_LINE = 256;

export interface PatchScanSink {
  commit?(header: CommitHeader): void;
  /** A finding on a line the section adds, at its line in the file. */
  finding(found: GitFinding): void;
  /** A section git printed no lines for ("Binary files … differ") of an included file with content. */
  binary?(file: PatchFile): void;
}

/** Scans a batch's sections of included files, in order; returns how many were too large to scan. */
export class BatchScanner {
  private commit: CommitHeader | undefined;
  oversized = 0;

  constructor(
    private readonly options: GitScanOptions,
    private readonly sink: PatchScanSink,
  ) {}

  scan(batch: SectionBatch): void {
    const { includes } = this.options;
    const { index } = batch;
    const fields = batch.text.split('\0');
    let field = 0;
    for (let entry = 0; entry < index.length; entry += ENTRY) {
      const kind = index[entry] as number;
      if (kind === COMMIT) {
        const [sha = '', parents = '', author = '', date = ''] = fields.slice(field, (field += 4));
        this.commit = { sha, parents: parents === '' ? [] : parents.split(' '), author, date };
        this.sink.commit?.(this.commit);
        continue;
      }
      const [path = '', blob = '', mode = ''] = fields.slice(field, (field += 3));
      if (includes !== undefined && !includes(path)) continue;
      if (kind === BINARY) this.sink.binary?.({ path, blob: blob || undefined, mode: mode || undefined });
      else if (kind === OVERSIZED) this.oversized++;
      else this.scanSection(batch, path, entry);
    }
  }

  private scanSection(batch: SectionBatch, path: string, entry: number): void {
    const { index } = batch;
    const firstLine = index[entry + 3] as number;
    const lines: LineMap = {
      isAdded: (line) => batch.added[firstLine + line] === 1,
      fileLine: (line) => batch.fileLines[firstLine + line] ?? 0,
    };
    for (const finding of scanAddedLines(this.options.scanner, path, batch.bytes.subarray(index[entry + 1], index[entry + 2]), lines)) {
      this.sink.finding({ path, finding, ...(this.commit === undefined ? {} : { commit: this.commit }) });
    }
  }
}

/**
 * Runs git's `command` (`diff …` or `log …`, its subcommand first) with the pinned diff options and
 * scans what each section adds as it ends, on this thread; resolves with the number of sections too
 * large to scan.
 */
export async function scanPatches(options: GitScanOptions, command: readonly string[], sink: PatchScanSink): Promise<number> {
  const scanner = new BatchScanner(options, sink);
  const writer = new SectionWriter(0, (batch) => scanner.scan(batch));
  const reader = new PatchReader(writer);
  const { child, finished } = startGit(options, patchArgs(command, options.scanner.contextLines));
  child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
  child.stdin.end();
  await finished;
  reader.end();
  writer.flush();
  return scanner.oversized;
}
