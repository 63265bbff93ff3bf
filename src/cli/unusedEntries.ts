/**
 * Which `.apikeyguardignore` entries hid nothing in a scan of the whole tree, so the file can be
 * kept clean: a fingerprint entry is used when it hid a finding, a path entry when it kept a path
 * out of the walk. Negated path entries (`!keep.me`) re-include rather than hide and are not judged;
 * old `sha256:` entries have a warning of their own, which counts those that hid nothing.
 */
import { LEGACY_PREFIX } from '../core/scanner/fingerprint';
import { compilePatterns, matchPatterns, type PathPattern } from '../core/scanner/globs';
import type { IgnoreEntry } from '../core/scanner/suppression';

export class UnusedEntries {
  private readonly unused: Set<IgnoreEntry>;
  private readonly paths: { readonly entry: IgnoreEntry; readonly patterns: PathPattern[] }[];

  constructor(entries: readonly IgnoreEntry[]) {
    this.unused = new Set(entries.filter((entry) => !(entry.kind === 'path' && entry.value.startsWith('!')) && !entry.value.startsWith(LEGACY_PREFIX)));
    this.paths = [...this.unused].filter((entry) => entry.kind === 'path').map((entry) => ({ entry, patterns: compilePatterns([entry.value]) }));
  }

  readonly fingerprintUsed = (value: string): void => {
    for (const entry of this.unused) if (entry.kind === 'fingerprint' && entry.value === value) this.unused.delete(entry);
  };

  readonly pathExcluded = (relative: string, isDirectory: boolean): void => {
    for (const { entry, patterns } of this.paths) {
      if (this.unused.has(entry) && matchPatterns(patterns, relative, isDirectory) === true) this.unused.delete(entry);
    }
  };

  report(warn: (entry: IgnoreEntry) => void): void {
    [...this.unused].sort((a, b) => a.line - b.line).forEach(warn);
  }
}
