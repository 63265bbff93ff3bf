/**
 * Which paths of a staged or history scan are scanned: the tree scan's excludes (the default
 * ones, `.apikeyguardignore` paths, `--exclude`) applied to each path as the walker would meet it,
 * every folder on the way included, relative to the same base. `.gitignore` is not applied:
 * a file in the index or in a commit is one git already tracks.
 */
import * as path from 'node:path';
import { compilePatterns, matchPatterns } from '../scanner/globs';

/** `includes` for a git scan: `patterns` relative to `base`; paths relative to the top of the work tree `top`. */
export function pathFilter(patterns: readonly string[], base: string, top: string): (repoPath: string) => boolean {
  const compiled = compilePatterns(patterns);
  return (repoPath) => !isExcludedPath(compiled, fromTop(base, top, repoPath));
}

/** A path relative to the top of the work tree `top`, as the CLI prints it: relative to `base`, forward slashes. */
export function fromTop(base: string, top: string, repoPath: string): string {
  if (base === top) return repoPath;
  return path.relative(base, path.join(top, repoPath)).split(path.sep).join('/');
}

function isExcludedPath(patterns: ReturnType<typeof compilePatterns>, relative: string): boolean {
  let from = 0;
  for (let slash = relative.indexOf('/', from); slash !== -1; slash = relative.indexOf('/', from)) {
    const folder = relative.slice(0, slash);
    from = slash + 1;
    if (folder === '..' || folder.endsWith('/..')) continue;
    if (matchPatterns(patterns, folder, true) === true) return true;
  }
  return matchPatterns(patterns, relative, false) === true;
}
