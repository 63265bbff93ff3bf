/**
 * The staged scan: what the next commit would contain, read from the index, not the work tree
 * (which may differ). One `git diff --cached` gives the lines each staged file adds, with the
 * lines around them, as `scanPatches` scans them (renames detected, so a moved file adds nothing;
 * deletions add nothing). A file git calls binary is read from the index through one
 * `git cat-file --batch` and scanned whole, every line counted as added (the scanner judges binary
 * content itself, as in a tree scan, so a text file that a `.gitattributes` marks `-diff` is still
 * read). Symbolic links and submodules have no content.
 */
import { MAX_FILE_BYTES } from '../scanner/files';
import { scanAddedLines, type GitFinding, type LineMap } from './addedLines';
import { startGit, type GitOptions } from './git';
import type { PatchFile } from './patch';
import { scanPatches, type GitScanOptions } from './sections';

export interface StagedScan {
  /** In path order, then by line. */
  readonly findings: GitFinding[];
  /** Staged files skipped for their size. */
  readonly oversized: number;
}

/** Every line of a file read whole. */
const EVERY_LINE: LineMap = { isAdded: () => true, fileLine: (line) => line };

export async function scanStaged(options: GitScanOptions): Promise<StagedScan> {
  const findings: GitFinding[] = [];
  const whole: (PatchFile & { readonly blob: string })[] = [];
  let oversized = await scanPatches(options, ['diff', '--cached', '--full-index'], {
    finding: (found) => findings.push(found),
    binary: (file) => file.blob !== undefined && whole.push({ ...file, blob: file.blob }),
  });
  await readBlobs(
    options,
    whole.map((file) => file.blob),
    (index, content) => {
      const { path } = whole[index] as (typeof whole)[number];
      if (content === undefined) {
        oversized++;
        return;
      }
      for (const finding of scanAddedLines(options.scanner, path, content, EVERY_LINE)) findings.push({ path, finding });
    },
  );
  findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.finding.line - b.finding.line || a.finding.column - b.finding.column));
  return { findings, oversized };
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
