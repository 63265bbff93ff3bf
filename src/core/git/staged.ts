/**
 * The staged scan: what the next commit would contain, read from the index, not the work tree
 * (which may differ). One `git diff --cached` lists the staged files and the lines each adds
 * (renames detected, so a moved file adds nothing; deletions add nothing), and one
 * `git cat-file --batch` reads every staged blob; each is scanned whole and its findings on added
 * lines are kept. A file git calls binary is scanned whole, with every line counted as added
 * (the scanner judges binary content itself, as in a tree scan, so a text file that a
 * `.gitattributes` marks `-diff` is still read). Symbolic links and submodules have no content.
 */
import { MAX_FILE_BYTES } from '../scanner/files';
import type { SecretScanner } from '../scanner/engine';
import { isContentMode, scanAddedLines, type GitFinding } from './addedLines';
import { startGit, type GitOptions } from './git';
import { PatchReader, type PatchFile } from './patch';

export interface GitScanOptions extends GitOptions {
  readonly scanner: SecretScanner;
  /** Whether a path (relative to the top of the work tree) is scanned; default every path. */
  readonly includes?: (path: string) => boolean;
}

export interface StagedScan {
  readonly findings: GitFinding[];
  /** Staged files scanned, and those skipped for their size. */
  readonly files: number;
  readonly oversized: number;
}

/** Pinned for every diff the scans read, whatever the user's config says. */
export const DIFF_ARGS = ['--no-color', '--no-ext-diff', '--no-textconv', '-M', '--src-prefix=a/', '--dst-prefix=b/'];

interface StagedFile {
  readonly path: string;
  readonly blob: string;
  /** 1-based [first, last] ranges of added lines; undefined: every line (a file git diffs as binary). */
  readonly ranges: [number, number][] | undefined;
}

export async function scanStaged(options: GitScanOptions): Promise<StagedScan> {
  const staged = await stagedFiles(options);
  const findings: GitFinding[] = [];
  let oversized = 0;
  await readBlobs(
    options,
    staged.map((file) => file.blob),
    (index, content) => {
      const file = staged[index] as StagedFile;
      if (content === undefined) {
        oversized++;
        return;
      }
      const ranges = file.ranges;
      const lines = {
        isAdded: (line: number) => ranges === undefined || ranges.some(([first, last]) => line + 1 >= first && line + 1 <= last),
        fileLine: (line: number) => line,
      };
      for (const finding of scanAddedLines(options.scanner, file.path, content, lines)) findings.push({ path: file.path, finding });
    },
  );
  return { findings, files: staged.length, oversized };
}

/** The staged files with content whose paths are included, each with the lines it adds. */
async function stagedFiles(options: GitScanOptions): Promise<StagedFile[]> {
  const files: StagedFile[] = [];
  let current: { file: PatchFile; ranges: [number, number][] | undefined } | undefined;
  let range: [number, number] = [0, 0];
  const reader = new PatchReader({
    file: (file, binary) => {
      current = { file, ranges: binary ? undefined : [] };
    },
    // -U0: every line of a hunk's new side is an added line, so the hunks' new ranges are the added lines.
    hunk: (newStart) => {
      range = [newStart, newStart - 1];
      current?.ranges?.push(range);
    },
    line: (_buffer, _start, _end, added) => {
      if (added) range[1]++;
    },
    endFile: () => {
      const { file, ranges } = current as NonNullable<typeof current>;
      current = undefined;
      if (file.blob === undefined || !isContentMode(file.mode) || (ranges !== undefined && ranges.length === 0)) return;
      if (options.includes !== undefined && !options.includes(file.path)) return;
      files.push({ path: file.path, blob: file.blob, ranges });
    },
  });
  const { child, finished } = startGit(options, ['diff', '--cached', '-U0', '--full-index', ...DIFF_ARGS]);
  child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
  child.stdin.end();
  await finished;
  reader.end();
  return files;
}

const NEWLINE = 0x0a;

/**
 * Reads blobs through one `git cat-file --batch`: for each id in order, `fn` gets its content, or
 * undefined for one over MAX_FILE_BYTES (read past, never held).
 */
export async function readBlobs(options: GitOptions, ids: readonly string[], fn: (index: number, content: Buffer | undefined) => void): Promise<void> {
  if (ids.length === 0) return;
  const { child, finished } = startGit(options, ['cat-file', '--batch']);
  let index = 0;
  let header = Buffer.alloc(0);
  let body: Buffer | undefined;
  let left = -1;
  let size = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    let at = 0;
    while (at < chunk.length) {
      if (left < 0) {
        const end = chunk.indexOf(NEWLINE, at);
        header = Buffer.concat([header, chunk.subarray(at, end === -1 ? chunk.length : end)]);
        if (end === -1) return;
        at = end + 1;
        const fields = header.toString('latin1').split(' ');
        header = Buffer.alloc(0);
        if (fields[1] === 'missing' || fields.length < 3) {
          fn(index++, Buffer.alloc(0));
          continue;
        }
        size = Number(fields[2]);
        body = size > MAX_FILE_BYTES ? undefined : Buffer.allocUnsafe(size);
        left = size + 1; // the content, then a newline
        continue;
      }
      const take = Math.min(left, chunk.length - at);
      const written = size + 1 - left;
      if (body !== undefined && written < size) chunk.copy(body, written, at, at + Math.min(take, size - written));
      left -= take;
      at += take;
      if (left === 0) {
        left = -1;
        fn(index++, body);
        body = undefined;
      }
    }
  });
  child.stdin.end(ids.map((id) => `${id}\n`).join(''));
  await finished;
}
