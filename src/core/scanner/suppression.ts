/**
 * Suppressions. Inline: `api-key-guard-ignore` anywhere on the line, or
 * `api-key-guard-ignore-next-line` on the line above, in whatever comment syntax the file uses;
 * rule ids after it (`api-key-guard-ignore generic-secret, url-password -- reason`) limit it to
 * those rules. File: `.apikeyguardignore`, one entry a line: `sha256:<hex>` fingerprints of secret
 * values (so an entry survives edits and never hides a different secret), or gitignore-style path patterns.
 */

export const IGNORE_FILE_NAME = '.apikeyguardignore';

const DIRECTIVE = /api-key-guard-ignore(-next-line)?/g;
/**
 * One rule id after the directive or the previous id, set off by spaces and/or a comma. The first
 * thing that is not one (the `--` before a reason, a comment's closing `-->`) ends the list.
 */
const RULE_ID = /(?:[ \t]{0,16},[ \t]{0,16}|[ \t]{1,16})([a-z0-9]{1,64}(?:-[a-z0-9]{1,64}){0,16})(?!\w|-\w)/iy;

/** Which findings on the line at `lineStart` its comments, or a next-line comment on the line above, suppress: by rule id. */
export function suppressionOf(text: string, lineStart: number, previousLineStart: number): (ruleId: string) => boolean {
  const lineEnd = text.indexOf('\n', lineStart);
  const directives = directivesIn(text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd), false);
  if (previousLineStart >= 0) directives.push(...directivesIn(text.slice(previousLineStart, lineStart), true));
  return (ruleId) => directives.some((ids) => ids.length === 0 || ids.includes(ruleId.toLowerCase()));
}

/** The rule ids each same-line (or next-line) directive on the line names; an empty list covers every rule. */
function directivesIn(line: string, nextLine: boolean): string[][] {
  const directives: string[][] = [];
  DIRECTIVE.lastIndex = 0;
  for (let directive = DIRECTIVE.exec(line); directive !== null; directive = DIRECTIVE.exec(line)) {
    if ((directive[1] !== undefined) !== nextLine) continue;
    const ids: string[] = [];
    RULE_ID.lastIndex = DIRECTIVE.lastIndex;
    for (let id = RULE_ID.exec(line); id !== null; id = RULE_ID.exec(line)) ids.push((id[1] as string).toLowerCase());
    directives.push(ids);
  }
  return directives;
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
