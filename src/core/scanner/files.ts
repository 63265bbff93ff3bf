/**
 * The file walker of the CLI and the workspace scan, and the CLI's file reader: `.gitignore` files
 * (nested, with negation) respected unless told not to, default and user excludes, oversized files
 * left unread (binary content is the scanner's to judge, see `scanFile`). Symbolic links are
 * never followed, so a link loop cannot trap the walk nor a link lead it out of the tree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compilePatterns, matchPatterns, PathPattern } from './globs';

/** Build output, dependencies and tool caches; `test/fixtures` is deliberately scanned (fixtures hold real keys too). */
export const DEFAULT_EXCLUDES: readonly string[] = [
  '.git/',
  '.hg/',
  '.svn/',
  'node_modules/',
  'bower_components/',
  'dist/',
  'out/',
  'coverage/',
  '.next/',
  '.nuxt/',
  '.svelte-kit/',
  '.vscode-test/',
  '__pycache__/',
  '.venv/',
  'venv/',
  '.tox/',
  '.terraform/',
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'npm-shrinkwrap.json',
  '*.map',
  '*.png',
  '*.jpg',
  '*.jpeg',
  '*.gif',
  '*.ico',
  '*.webp',
  '*.bmp',
  '*.pdf',
  '*.zip',
  '*.gz',
  '*.tgz',
  '*.jar',
  '*.woff',
  '*.woff2',
  '*.ttf',
  '*.otf',
  '*.eot',
  '*.mp3',
  '*.mp4',
  '*.mov',
  '*.wasm',
  '*.so',
  '*.dll',
  '*.exe',
];

/** Files over this size are skipped: generated data, not hand-written code. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface WalkOptions {
  readonly gitignore: boolean;
  /** gitignore-style patterns relative to `base`. */
  readonly excludes: readonly string[];
  readonly base: string;
  /** Told each path (relative to `base`) that `excludes` or the default excludes keep out: how a scan finds the entries that match nothing. */
  readonly onExcluded?: (relative: string, isDirectory: boolean) => void;
  /**
   * Told of what the walk leaves out that a user would want to know of: a `.gitignore` or exclude
   * line git would never match with (`where` names the file and line), and each path that is not
   * a regular file or directory (`where` is the path; symbolic links are never followed).
   */
  readonly onSkipped?: (where: string, why: string) => void;
}

interface IgnoreScope {
  /** The scope's directory relative to the walk's base, with a trailing slash unless it is the base. */
  readonly prefix: string;
  readonly patterns: readonly PathPattern[];
}

/** A path with forward slashes, as patterns and reports write it. */
export function toSlash(relative: string): string {
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}

/**
 * Every file under `root` (a file or a directory) that is not ignored, as absolute paths. A file
 * named explicitly is always scanned; one that is not a regular file (a symbolic link, a FIFO, a
 * socket, a device) is not, even named: reading a FIFO waits forever, and a link may lead out of the tree.
 */
export function* walkFiles(root: string, options: WalkOptions): Generator<string> {
  const stat = fs.lstatSync(root);
  if (stat.isFile()) {
    yield root;
    return;
  }
  if (!stat.isDirectory()) {
    options.onSkipped?.(toSlash(path.relative(options.base, root)), notRegular(stat));
    return;
  }
  const excludes = compilePatterns([...DEFAULT_EXCLUDES, ...options.excludes], ({ text, problem }) =>
    options.onSkipped?.(`exclude pattern '${text}'`, `skipped: ${problem}`),
  );
  yield* walkDirectory(path.resolve(root), toSlash(path.relative(options.base, root)), [], excludes, options);
}

function notRegular(stat: fs.Stats | fs.Dirent): string {
  return stat.isSymbolicLink() ? 'skipped: a symbolic link, not followed' : 'skipped: not a regular file (a FIFO, socket or device)';
}

/**
 * `relative` is the directory relative to the walk's base; paths below it are built from it, since
 * `path.relative` for every entry costs more than matching the patterns.
 */
function* walkDirectory(
  directory: string,
  relative: string,
  scopes: readonly IgnoreScope[],
  excludes: readonly PathPattern[],
  options: WalkOptions,
): Generator<string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch {
    return;
  }
  const prefix = relative === '' ? '' : `${relative}/`;
  // `directory` is already normal (resolved by walkFiles): joining by hand skips path.join's normalisation of every entry.
  const directoryPrefix = directory.endsWith(path.sep) ? directory : directory + path.sep;
  // Looked up among the entries: trying to read a missing .gitignore in every directory throws as often.
  const here = options.gitignore && entries.some((entry) => entry.name === '.gitignore') ? withGitignore(directory, prefix, scopes, options) : scopes;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const isDirectory = entry.isDirectory();
    const entryRelative = prefix + entry.name;
    if (matchPatterns(excludes, entryRelative, isDirectory) === true) {
      options.onExcluded?.(entryRelative, isDirectory);
      continue;
    }
    if (isIgnored(entryRelative, isDirectory, here)) continue;
    if (!isDirectory && !entry.isFile()) {
      options.onSkipped?.(entryRelative, notRegular(entry));
      continue;
    }
    const full = directoryPrefix + entry.name;
    if (isDirectory) yield* walkDirectory(full, entryRelative, here, excludes, options);
    else yield full;
  }
}

function withGitignore(directory: string, prefix: string, scopes: readonly IgnoreScope[], options: WalkOptions): readonly IgnoreScope[] {
  let content: string;
  try {
    content = fs.readFileSync(path.join(directory, '.gitignore'), 'utf8');
  } catch {
    return scopes;
  }
  const patterns = compilePatterns(content.split(/\r?\n/), ({ line, problem }) =>
    options.onSkipped?.(`${prefix}.gitignore:${line}`, `line skipped: ${problem}`),
  );
  return [...scopes, { prefix, patterns }];
}

function isIgnored(relative: string, isDirectory: boolean, scopes: readonly IgnoreScope[]): boolean {
  let ignored = false;
  for (const scope of scopes) {
    const verdict = matchPatterns(scope.patterns, relative.slice(scope.prefix.length), isDirectory);
    if (verdict !== undefined) ignored = verdict;
  }
  return ignored;
}

/**
 * Should a file become a link or a FIFO after the walk saw a regular file: a link is refused (ELOOP)
 * rather than followed, and opening a FIFO does not wait for a writer.
 */
const OPEN_FLAGS = process.platform === 'win32' ? 'r' : fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;

/**
 * Reads files one after another into one buffer: a scan keeps only the text it decodes, so a whole
 * tree leaves nothing per file for the garbage collector. Only a file that fills the buffer is
 * stat'ed (a stat result object costs more than reading a small file to its end).
 */
export class FileReader {
  private buffer = Buffer.allocUnsafe(1024 * 1024);

  /** The file's bytes, valid until the next read; undefined for a file over MAX_FILE_BYTES. */
  read(file: string): Buffer | undefined {
    const fd = fs.openSync(file, OPEN_FLAGS);
    try {
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          const size = fs.fstatSync(fd).size;
          if (size > MAX_FILE_BYTES) return undefined;
          // One byte more than the file, so the read that finds its end has room.
          const grown = Buffer.allocUnsafe(Math.max(size + 1, Math.min(MAX_FILE_BYTES + 1, length * 2)));
          this.buffer.copy(grown, 0, 0, length);
          this.buffer = grown;
        }
        const read = fs.readSync(fd, this.buffer, length, this.buffer.length - length, null);
        if (read === 0) return this.buffer.subarray(0, length);
        length += read;
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}
