/** The staged and history scans as `scan --staged` and `scan --history` run them: paths as a tree scan prints them, provenance for SARIF. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GitFinding } from '../core/git/addedLines';
import { runGit, topLevel, type GitOptions } from '../core/git/git';
import { scanHistory } from '../core/git/history';
import { fromTop, pathFilter } from '../core/git/paths';
import { scanStaged } from '../core/git/staged';
import type { SecretScanner } from '../core/scanner/engine';
import { DEFAULT_EXCLUDES, MAX_FILE_BYTES } from '../core/scanner/files';
import type { FileFinding, Provenance } from '../core/scanner/report';
import { warn, type ScanResult } from './scanCommand';
import { UsageError } from './usageError';

export interface GitScanRequest {
  readonly cwd: string;
  /** `.apikeyguardignore` paths and `--exclude` globs, relative to `cwd`. */
  readonly excludes: readonly string[];
  /** Revision arguments of a history scan; undefined for the staged scan. */
  readonly history: readonly string[] | undefined;
}

export async function scanGit(scanner: SecretScanner, request: GitScanRequest): Promise<ScanResult> {
  const { cwd, history } = request;
  let top: string;
  try {
    top = await workTreeTop(cwd);
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const includes = pathFilter([...DEFAULT_EXCLUDES, ...request.excludes], cwd, top);
  const toFileFinding = ({ path, finding, commit }: GitFinding): FileFinding => ({
    file: fromTop(cwd, top, path),
    finding,
    ...(commit === undefined ? {} : { commit }),
  });
  const options = { cwd, scanner, includes };
  if (history === undefined) {
    const staged = await scanStaged(options);
    warnOversized(staged.oversized, 'staged file');
    return { findings: staged.findings.map(toFileFinding), errors: 0, rules: undefined };
  }
  for (const revision of history) if (revision.startsWith('-')) throw new UsageError(`'${revision}' is not a revision range; give ranges such as main..HEAD.`);
  const findings: FileFinding[] = [];
  const scanned = await scanHistory({ ...options, revisions: history, onFinding: (found) => findings.push(toFileFinding(found)) });
  warnOversized(scanned.oversized, 'changed file');
  return { findings, errors: 0, rules: undefined, provenance: await provenance({ cwd }) };
}

/**
 * The top of the work tree: the current folder when it holds `.git` and no GIT_DIR or
 * GIT_WORK_TREE points git elsewhere, as where git runs a hook (so the pre-commit hook starts no
 * git process for it); else as git says.
 */
async function workTreeTop(cwd: string): Promise<string> {
  if (process.env.GIT_DIR === undefined && process.env.GIT_WORK_TREE === undefined && fs.existsSync(path.join(cwd, '.git'))) return cwd;
  return topLevel({ cwd });
}

function warnOversized(count: number, what: string): void {
  if (count > 0) warn(`skipped ${count} ${what}(s) over ${MAX_FILE_BYTES / 1024 / 1024} MB`);
}

/** The repository (its `origin` remote, without any credentials in it) and the commit checked out; undefined without a remote. */
async function provenance(options: GitOptions): Promise<Provenance | undefined> {
  const quiet = (args: string[]) =>
    runGit(options, args).then(
      (out) => out.trim() || undefined,
      () => undefined,
    );
  const remote = await quiet(['remote', 'get-url', 'origin']);
  const repositoryUri = remote === undefined ? undefined : publicUri(remote);
  if (repositoryUri === undefined) return undefined;
  const revisionId = await quiet(['rev-parse', '--verify', '--quiet', 'HEAD']);
  const branch = await quiet(['symbolic-ref', '--short', '--quiet', 'HEAD']);
  return { repositoryUri, ...(revisionId === undefined ? {} : { revisionId }), ...(branch === undefined ? {} : { branch }) };
}

/** A remote as an absolute URI without user name or password (`https://token@host/…` keeps only the host); scp-like `git@host:path` becomes `ssh://host/path`. */
export function publicUri(remote: string): string | undefined {
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(remote);
  const candidate = scp ? `ssh://${scp[1]}/${scp[2]}` : remote;
  try {
    const url = new URL(candidate);
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return undefined;
  }
}
