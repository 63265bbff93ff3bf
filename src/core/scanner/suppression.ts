/**
 * Suppressions. Inline: `api-key-guard-ignore` anywhere on the line, or
 * `api-key-guard-ignore-next-line` on the line above, in whatever comment syntax the file uses.
 * File: `.apikeyguardignore`, one entry a line: `sha256:<hex>` fingerprints of secret values
 * (so an entry survives edits and never hides a different secret), or gitignore-style path patterns.
 */

export const IGNORE_FILE_NAME = '.apikeyguardignore';

const SAME_LINE = /api-key-guard-ignore(?!-next-line)/;
const NEXT_LINE = 'api-key-guard-ignore-next-line';

export function isSuppressed(text: string, lineStart: number, previousLineStart: number): boolean {
  const lineEnd = text.indexOf('\n', lineStart);
  if (SAME_LINE.test(text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd))) return true;
  return previousLineStart >= 0 && text.slice(previousLineStart, lineStart).includes(NEXT_LINE);
}

export interface IgnoreList {
  readonly fingerprints: readonly string[];
  readonly paths: readonly string[];
}

const FINGERPRINT = /^sha256:[0-9a-f]{12,64}$/i;

/** Blank lines and `#` comments are skipped; a fingerprint may carry a trailing `# note`. */
export function parseIgnoreFile(content: string): IgnoreList {
  const fingerprints: string[] = [];
  const paths: string[] = [];
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const entry = line.replace(/\s+#.*$/, '');
    if (entry.toLowerCase().startsWith('sha256:')) {
      if (FINGERPRINT.test(entry)) fingerprints.push(entry.toLowerCase());
    } else {
      paths.push(entry);
    }
  }
  return { fingerprints, paths };
}
