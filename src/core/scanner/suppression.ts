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
  return suppressionDirectives(line)
    .filter((directive) => directive.nextLine === nextLine)
    .map((directive) => directive.ruleIds);
}

export interface SuppressionDirective {
  /** `api-key-guard-ignore-next-line`: it covers the line below. */
  readonly nextLine: boolean;
  /** Lowercase; empty: every rule. */
  readonly ruleIds: string[];
  /** What follows ` -- `, up to a comment's end. */
  readonly reason: string | undefined;
}

/** Every suppression comment on one line, with the rules it names and its reason: what a finding's suppression and a review read. */
export function suppressionDirectives(line: string): SuppressionDirective[] {
  const directives: SuppressionDirective[] = [];
  DIRECTIVE.lastIndex = 0;
  for (let directive = DIRECTIVE.exec(line); directive !== null; directive = DIRECTIVE.exec(line)) {
    const ruleIds: string[] = [];
    RULE_ID.lastIndex = DIRECTIVE.lastIndex;
    let end = DIRECTIVE.lastIndex;
    for (let id = RULE_ID.exec(line); id !== null; id = RULE_ID.exec(line)) {
      ruleIds.push((id[1] as string).toLowerCase());
      end = RULE_ID.lastIndex;
    }
    REASON.lastIndex = end;
    const reason = REASON.exec(line)?.[1]?.trim();
    directives.push({ nextLine: directive[1] !== undefined, ruleIds, reason: reason === '' ? undefined : reason });
  }
  return directives;
}

/** ` -- reason`, up to where a comment closes (HTML, C, Handlebars, Jinja) or the next directive. */
const REASON = /[ \t]{0,16}--[ \t]([^\n]*?)(?=-->|\*\/|--\}\}|#\}|api-key-guard-ignore|$)/y;

export interface IgnoreEntry {
  /** 1-based line in the ignore file. */
  readonly line: number;
  readonly kind: 'fingerprint' | 'path';
  /** The fingerprint (lowercase) or the path pattern. */
  readonly value: string;
  /** The text after `#`, when the entry has one. */
  readonly reason: string | undefined;
}

export interface IgnoreList {
  readonly fingerprints: readonly string[];
  readonly paths: readonly string[];
  /** Every entry, in file order, with its line and reason: what a review lists and a full scan checks for use. */
  readonly entries: readonly IgnoreEntry[];
}

const FINGERPRINT = /^sha256:[0-9a-f]{12,64}$/i;

/** Blank lines and `#` comments are skipped; an entry may carry its reason after ` #`. */
export function parseIgnoreFile(content: string): IgnoreList {
  const fingerprints: string[] = [];
  const paths: string[] = [];
  const entries: IgnoreEntry[] = [];
  content.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const note = line.search(/\s#/);
    const entry = note === -1 ? line : line.slice(0, note).trimEnd();
    const reason = note === -1 ? undefined : line.slice(note).replace(/^\s*#+\s*/, '') || undefined;
    if (entry.toLowerCase().startsWith('sha256:')) {
      if (!FINGERPRINT.test(entry)) return;
      fingerprints.push(entry.toLowerCase());
      entries.push({ line: index + 1, kind: 'fingerprint', value: entry.toLowerCase(), reason });
    } else {
      paths.push(entry);
      entries.push({ line: index + 1, kind: 'path', value: entry, reason });
    }
  });
  return { fingerprints, paths, entries };
}
