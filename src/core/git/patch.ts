/**
 * A streaming reader of what `git diff -p` and `git log -p` print: commits, file sections and the
 * lines of each hunk's new version, handed to a sink as they arrive, so a history of any length
 * is read in memory the size of one line. Hunk lines are consumed by the counts in their hunk
 * header, so file content is never taken for a header whatever it holds. Paths come from the
 * `+++ b/…` line (or the `diff --cc` line of a merge), unquoted as git quotes them.
 *
 * Combined diffs of merges (`--cc`) have one prefix column per parent: a line is in the merge's
 * result unless a column says `-`, and it is new in the merge only when every column says `+`
 * (a line no parent had: a conflict resolved with new text, or an "evil merge").
 */

import { MAX_FILE_BYTES } from '../scanner/files';

/** A file section that changes content. */
export interface PatchFile {
  /** The path in the new version, relative to the top of the work tree, forward slashes. */
  readonly path: string;
  /** The new blob's id from the `index` line (full with `--full-index`). */
  readonly blob: string | undefined;
  /** The new mode (`100644`, `100755`, `120000` symbolic link, `160000` submodule), when git printed it. */
  readonly mode: string | undefined;
}

export interface CommitHeader {
  readonly sha: string;
  readonly parents: readonly string[];
  /** `Name <email>`. */
  readonly author: string;
  /** Author date, strict ISO 8601. */
  readonly date: string;
}

/** `git log --format=` that the reader recognises as a commit: one line, fields apart by NUL, starting with \x01. */
export const COMMIT_FORMAT = '--format=%x01%H%x00%P%x00%an <%ae>%x00%aI';

export interface PatchSink {
  commit?(header: CommitHeader): void;
  /** A file section's first hunk is next (or, with `binary`, git printed no lines for it: "Binary files … differ"). */
  file(file: PatchFile, binary: boolean): void;
  /** A hunk starts whose new version begins at 1-based line `newStart`. */
  hunk(newStart: number): void;
  /** A line of the new version, bytes [start, end) of `buffer` (valid during the call only) after the prefix columns, its line break included; `added` if the hunk adds it. */
  line(buffer: Buffer, start: number, end: number, added: boolean): void;
  /** The current file section (started by `file`) is over. */
  endFile(): void;
}

const NEWLINE = 0x0a;
const PLUS = 0x2b;
const MINUS = 0x2d;
const BACKSLASH = 0x5c;
const COMMIT_MARK = 0x01;
/**
 * The most of one line the reader keeps, prefix columns included: more than the largest file
 * section a scan reads, so a longer line still makes its section too large, and memory stays
 * bounded whatever git prints.
 */
const MAX_LINE_BYTES = MAX_FILE_BYTES + 1024;

export class PatchReader {
  /** The start of a line whose end has not arrived yet, up to MAX_LINE_BYTES of it; reused, so a line over many chunks costs its length once. */
  private carry = Buffer.allocUnsafe(0);
  private carried = 0;
  private inHunk = false;
  /** Prefix columns: 1, or the number of parents in a combined diff. */
  private columns = 1;
  private newLeft = 0;
  private readonly oldLeft: number[] = [0];
  /** The section being read: the path its `diff` line names, and what its other headers said so far. */
  private headerPath: string | undefined;
  /** From `+++`: null for `/dev/null` (a deletion). */
  private newPath: string | null | undefined;
  private blob: string | undefined;
  private mode: string | undefined;
  private fileOpen = false;
  /** The hunk being read belongs to a file the sink hears of (not a deletion). */
  private emitting = false;

  constructor(private readonly sink: PatchSink) {}

  push(chunk: Buffer): void {
    let start = 0;
    if (this.carried > 0) {
      const end = chunk.indexOf(NEWLINE);
      this.keep(chunk, 0, end === -1 ? chunk.length : end + 1);
      if (end === -1) return;
      this.readCarry();
      start = end + 1;
    }
    for (let end = chunk.indexOf(NEWLINE, start); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      this.readLine(chunk, start, end + 1);
      start = end + 1;
    }
    if (start < chunk.length) this.keep(chunk, start, chunk.length);
  }

  /** Carries bytes [start, end) of `chunk`, up to MAX_LINE_BYTES of a line: a longer line makes its file section too large to scan anyway. */
  private keep(chunk: Buffer, start: number, end: number): void {
    const size = Math.min(end - start, MAX_LINE_BYTES - this.carried);
    if (size <= 0) return;
    if (this.carried + size > this.carry.length) {
      const grown = Buffer.allocUnsafe(Math.min(MAX_LINE_BYTES, Math.max(4096, this.carry.length * 2, this.carried + size)));
      this.carry.copy(grown, 0, 0, this.carried);
      this.carry = grown;
    }
    chunk.copy(this.carry, this.carried, start, start + size);
    this.carried += size;
  }

  end(): void {
    if (this.carried > 0) this.readCarry();
    this.closeFile();
  }

  private readCarry(): void {
    const length = this.carried;
    this.carried = 0;
    this.readLine(this.carry, 0, length);
  }

  private readLine(buffer: Buffer, start: number, end: number): void {
    if (this.inHunk) this.hunkLine(buffer, start, end);
    else this.headerLine(buffer.toString('utf8', start, lineEnd(buffer, start, end)));
  }

  private hunkLine(buffer: Buffer, start: number, end: number): void {
    const first = buffer[start];
    if (first === BACKSLASH) return; // "\ No newline at end of file": about the line before, not counted
    if (this.columns === 1) {
      if (first === PLUS) {
        this.newLeft--;
        if (this.emitting) this.sink.line(buffer, start + 1, end, true);
      } else if (first === MINUS) {
        (this.oldLeft[0] as number)--;
      } else {
        this.newLeft--;
        (this.oldLeft[0] as number)--;
        if (this.emitting) this.sink.line(buffer, start + 1, end, false);
      }
      if (this.newLeft <= 0 && (this.oldLeft[0] as number) <= 0) this.inHunk = false;
      return;
    }
    let inResult = true;
    let added = true;
    for (let column = 0; column < this.columns; column++) {
      const mark = buffer[start + column];
      if (mark === MINUS) inResult = false;
      if (mark !== PLUS) added = false;
      if (mark !== PLUS) (this.oldLeft[column] as number)--;
    }
    if (inResult) {
      this.newLeft--;
      if (this.emitting) this.sink.line(buffer, start + this.columns, end, added);
    }
    if (this.newLeft <= 0 && this.oldLeft.every((left) => left <= 0)) this.inHunk = false;
  }

  private headerLine(line: string): void {
    if (line.charCodeAt(0) === COMMIT_MARK) {
      this.closeFile();
      const [sha = '', parents = '', author = '', date = ''] = line.slice(1).split('\0');
      this.sink.commit?.({ sha, parents: parents === '' ? [] : parents.split(' '), author, date });
    } else if (line.startsWith('diff --git ')) {
      this.startSection(headerPath(line.slice('diff --git '.length)));
    } else if (line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
      this.startSection(unquote(line.slice(line.indexOf(' ', 5) + 1)));
    } else if (line.startsWith('@@')) {
      this.startHunk(line);
    } else if (line.startsWith('+++ ')) {
      const target = line.slice(4);
      this.newPath = target === '/dev/null' ? null : stripPrefix(target.startsWith('"') ? unquote(target) : target.replace(/\t$/, ''));
    } else if (line.startsWith('index ')) {
      const match = /\.\.([0-9a-f]+)(?: (\d+))?$/.exec(line);
      if (match) {
        this.blob = match[1];
        this.mode ??= match[2];
      }
    } else if (line.startsWith('rename to ') || line.startsWith('copy to ')) {
      this.newPath = unquote(line.slice(line.indexOf(' to ') + 4));
    } else if (line.startsWith('deleted file mode ')) {
      this.newPath = null;
    } else if (line.startsWith('new file mode ') || line.startsWith('new mode ')) {
      this.mode = line.slice(line.lastIndexOf(' ') + 1);
    } else if (line.startsWith('mode ')) {
      this.mode = line.slice(line.lastIndexOf('..') + 2);
    } else if (line.startsWith('Binary files ')) {
      const file = this.currentFile();
      if (file !== undefined && !this.fileOpen) {
        this.fileOpen = true;
        this.sink.file(file, true);
      }
    }
  }

  private startSection(headerPath: string | undefined): void {
    this.closeFile();
    this.headerPath = headerPath;
    this.newPath = undefined;
    this.blob = undefined;
    this.mode = undefined;
  }

  /** `@@ -a,b +c,d @@` or, with one column per parent, `@@@ -a,b -c,d +e,f @@@`. */
  private startHunk(line: string): void {
    let marks = 0;
    while (line.charCodeAt(marks) === 0x40) marks++;
    const ranges = line.slice(marks, line.indexOf(' @@', marks)).trim().split(' ');
    const counts = ranges.map((range) => {
      const comma = range.indexOf(',');
      return comma === -1 ? 1 : Number(range.slice(comma + 1));
    });
    const newRange = ranges[ranges.length - 1] ?? '+1';
    const comma = newRange.indexOf(',');
    const newStart = Number(newRange.slice(1, comma === -1 ? undefined : comma));
    this.columns = marks - 1;
    this.oldLeft.length = 0;
    for (let parent = 0; parent < this.columns; parent++) this.oldLeft.push(counts[parent] ?? 0);
    this.newLeft = counts[counts.length - 1] ?? 0;
    this.inHunk = this.newLeft > 0 || this.oldLeft.some((left) => left > 0);
    // A deletion's lines are read past: they belong to no file of the new version.
    const file = this.currentFile();
    this.emitting = file !== undefined;
    if (file === undefined) return;
    if (!this.fileOpen) {
      this.fileOpen = true;
      this.sink.file(file, false);
    }
    this.sink.hunk(newStart);
  }

  private currentFile(): PatchFile | undefined {
    if (this.newPath === null) return undefined;
    const path = this.newPath ?? this.headerPath;
    return path === undefined ? undefined : { path, blob: this.blob, mode: this.mode };
  }

  private closeFile(): void {
    this.inHunk = false;
    if (!this.fileOpen) return;
    this.fileOpen = false;
    this.sink.endFile();
  }
}

/** Where a line's text ends: before its `\n` (and a `\r` before it). */
function lineEnd(buffer: Buffer, start: number, end: number): number {
  let stop = end;
  if (stop > start && buffer[stop - 1] === NEWLINE) stop--;
  if (stop > start && buffer[stop - 1] === 0x0d) stop--;
  return stop;
}

/**
 * The path of `diff --git a/P b/P`, where it can be told: quoted, or the same on both sides (a
 * rename says its new path in `rename to`, a text change in `+++`).
 */
function headerPath(rest: string): string | undefined {
  if (rest.startsWith('"')) {
    const second = rest.lastIndexOf(' "');
    return second > 0 ? stripPrefix(unquote(rest.slice(second + 1))) : undefined;
  }
  const half = (rest.length - 1) / 2;
  if (!Number.isInteger(half) || !rest.startsWith('a/')) return undefined;
  const path = rest.slice(2, half);
  return rest.slice(half) === ` b/${path}` ? path : undefined;
}

function stripPrefix(target: string): string {
  return target.startsWith('b/') ? target.slice(2) : target;
}

const ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 0x22, '\\': 0x5c };

/** A path as git quotes it (`"a/\303\274 \"x\""`: C escapes and octal bytes); an unquoted path as it is. */
export function unquote(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) return text;
  const bytes: number[] = [];
  for (let i = 1; i < text.length - 1; i++) {
    const char = text[i] as string;
    if (char !== '\\') {
      for (const byte of Buffer.from(char, 'utf8')) bytes.push(byte);
      continue;
    }
    const next = text[++i] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(text.slice(i, i + 3), 8));
      i += 2;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
