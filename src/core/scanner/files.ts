/**
 * The CLI's file walker: `.gitignore` files (nested, with negation) respected unless told not to,
 * default and user excludes, binary and oversized files skipped. Symbolic links to directories are
 * not followed, so a link loop cannot trap the walk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compilePattern, matchPatterns, PathPattern } from './globs';

/** Build output, dependencies and tool caches; `test/fixtures` is deliberately scanned (fixtures hold real keys too). */
export const DEFAULT_EXCLUDES: readonly string[] = [
  '.git/', '.hg/', '.svn/', 'node_modules/', 'bower_components/', 'dist/', 'out/', 'coverage/', '.next/', '.nuxt/',
  '.svelte-kit/', '.vscode-test/', '__pycache__/', '.venv/', 'venv/', '.tox/', '.terraform/',
  'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'npm-shrinkwrap.json', '*.map',
  '*.png', '*.jpg', '*.jpeg', '*.gif', '*.ico', '*.webp', '*.bmp', '*.pdf', '*.zip', '*.gz', '*.tgz', '*.jar',
  '*.woff', '*.woff2', '*.ttf', '*.otf', '*.eot', '*.mp3', '*.mp4', '*.mov', '*.wasm', '*.so', '*.dll', '*.exe',
];

/** Files over this size are skipped: generated data, not hand-written code. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8192;

export interface WalkOptions {
  readonly gitignore: boolean;
  /** gitignore-style patterns relative to `base`. */
  readonly excludes: readonly string[];
  readonly base: string;
}

interface IgnoreScope {
  readonly directory: string;
  readonly patterns: readonly PathPattern[];
}

export function compilePatterns(lines: readonly string[]): PathPattern[] {
  return lines.map(compilePattern).filter((pattern): pattern is PathPattern => pattern !== undefined);
}

function toSlash(relative: string): string {
  return relative.split(path.sep).join('/');
}

/** Every file under `root` (a file or a directory) that is not ignored, as absolute paths. A file named explicitly is always scanned. */
export function* walkFiles(root: string, options: WalkOptions): Generator<string> {
  const stat = fs.statSync(root);
  if (!stat.isDirectory()) {
    yield root;
    return;
  }
  const excludes = compilePatterns([...DEFAULT_EXCLUDES, ...options.excludes]);
  yield* walkDirectory(root, [], excludes, options);
}

function* walkDirectory(directory: string, scopes: readonly IgnoreScope[], excludes: readonly PathPattern[], options: WalkOptions): Generator<string> {
  const here = options.gitignore ? withGitignore(directory, scopes) : scopes;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    const isDirectory = entry.isDirectory();
    if (!isDirectory && !entry.isFile()) continue;
    if (isExcluded(full, isDirectory, here, excludes, options.base)) continue;
    if (isDirectory) yield* walkDirectory(full, here, excludes, options);
    else yield full;
  }
}

function withGitignore(directory: string, scopes: readonly IgnoreScope[]): readonly IgnoreScope[] {
  let content: string;
  try {
    content = fs.readFileSync(path.join(directory, '.gitignore'), 'utf8');
  } catch {
    return scopes;
  }
  return [...scopes, { directory, patterns: compilePatterns(content.split(/\r?\n/)) }];
}

function isExcluded(full: string, isDirectory: boolean, scopes: readonly IgnoreScope[], excludes: readonly PathPattern[], base: string): boolean {
  if (matchPatterns(excludes, toSlash(path.relative(base, full)), isDirectory) === true) return true;
  let ignored = false;
  for (const scope of scopes) {
    const verdict = matchPatterns(scope.patterns, toSlash(path.relative(scope.directory, full)), isDirectory);
    if (verdict !== undefined) ignored = verdict;
  }
  return ignored;
}

/** A NUL byte in the first 8 KiB, or more than 1% of it not decodable as UTF-8. */
export function isBinary(content: Buffer): boolean {
  const head = content.subarray(0, BINARY_SNIFF_BYTES);
  if (head.includes(0)) return true;
  const text = head.toString('utf8');
  let invalid = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) invalid++;
  return invalid > text.length / 100;
}
