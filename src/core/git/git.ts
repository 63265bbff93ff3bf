/**
 * Running git for the staged and history scans and the hook installer. Every call pins the
 * settings that would change what git prints (colour, path quoting, prefixes, external diff and
 * textconv drivers, which a repository's config could point at a program), and inherits the rest
 * of the environment: a pre-commit hook gets `GIT_INDEX_FILE` from `git commit` (a temporary index
 * for `git commit -a` or `git commit <paths>`), and that is the index the scan must read.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';

/** `-c` settings for every call: the output stays parseable, and no repository config runs a program of its choosing. */
const PINNED = [
  '-c',
  'core.quotePath=false',
  '-c',
  'color.ui=false',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'diff.noprefix=false',
  '-c',
  'diff.mnemonicPrefix=false',
];

/** git failed or is not there; the message is git's own first line, or says git could not be started. */
export class GitError extends Error {
  override readonly name = 'GitError';
}

export interface GitOptions {
  /** Where git runs: any folder inside the work tree. */
  readonly cwd: string;
  /** The git executable (VS Code's git extension knows the user's); default `git` on PATH. */
  readonly gitPath?: string;
}

/**
 * coreutils' stdbuf library (what `stdbuf -o` preloads), where a Linux system has it: glibc gives
 * git's output to a pipe a 4 KiB buffer, so a history of 170 MB of patches arrives in 40,000 writes,
 * each waking the thread that reads it; with a 64 KiB buffer, some 3,000.
 */
let stdbufLibrary: string | null | undefined;
function findStdbufLibrary(): string | null {
  stdbufLibrary ??=
    process.platform === 'linux'
      ? (['/usr/libexec/coreutils/libstdbuf.so', '/usr/lib/coreutils/libstdbuf.so'].find((file) => fs.existsSync(file)) ?? null)
      : null;
  return stdbufLibrary;
}
const LARGE_OUTPUT_BUFFER = String(64 * 1024);
/**
 * glibc's allocator settings for a patch stream: git allocates and frees a buffer per blob it
 * inflates, and by default each one of 128 KiB or more is a fresh mmap, its pages faulted in again
 * every time (a quarter of git's time on the bench's history). Kept on the heap and not trimmed,
 * they are reused: 2.00 s -> 1.63 s for 170 MB of patches, the same peak memory. Other C libraries
 * ignore the variable.
 */
export const LARGE_OUTPUT_TUNABLES = 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456';

/**
 * Starts git with `args`; the caller reads stdout as a stream and must call `finished`. With
 * `largeOutput` (a patch stream of any length), git writes its output in larger pieces where it can.
 */
export function startGit(
  options: GitOptions,
  args: readonly string[],
  { largeOutput = false } = {},
): { child: ChildProcessWithoutNullStreams; finished: Promise<void> } {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' };
  const library = largeOutput ? findStdbufLibrary() : null;
  if (library !== null) {
    env.LD_PRELOAD = [library, process.env.LD_PRELOAD].filter(Boolean).join(' ');
    env._STDBUF_O = LARGE_OUTPUT_BUFFER;
  }
  // The user's own tunables come last, so theirs win.
  if (largeOutput) env.GLIBC_TUNABLES = [LARGE_OUTPUT_TUNABLES, process.env.GLIBC_TUNABLES].filter(Boolean).join(':');
  const child = spawn(options.gitPath ?? 'git', [...PINNED, ...args], { cwd: options.cwd, env, windowsHide: true });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 4096) stderr += chunk;
  });
  const finished = new Promise<void>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(new GitError(error.code === 'ENOENT' ? `cannot run git (${options.gitPath ?? 'git'}): is it installed and on PATH?` : error.message)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new GitError(firstLine(stderr) ?? `git ${args[0] ?? ''} ${signal === null ? `exited with ${code}` : `was stopped by ${signal}`}`));
    });
  });
  return { child, finished };
}

function firstLine(text: string): string | undefined {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^(?:fatal|error): /, '').trim())
    .find((line) => line !== '');
}

/** Runs git to its end and returns what it printed (for small outputs: paths, a config value). */
export async function runGit(options: GitOptions, args: readonly string[], input?: string): Promise<string> {
  const { child, finished } = startGit(options, args);
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stdin.end(input);
  await finished;
  return Buffer.concat(chunks).toString('utf8');
}

/** The work tree's top folder, or a GitError saying the folder is not in one. */
export async function topLevel(options: GitOptions): Promise<string> {
  try {
    return (await runGit(options, ['rev-parse', '--show-toplevel'])).replace(/\r?\n$/, '');
  } catch (error) {
    throw new GitError(`${options.cwd} is not inside a git work tree (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}

/** Whether HEAD names a commit (false in a repository without commits). */
export async function hasHead(options: GitOptions): Promise<boolean> {
  try {
    await runGit(options, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
    return true;
  } catch {
    return false;
  }
}
