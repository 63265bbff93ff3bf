/**
 * Suppressions. Inline: `api-key-guard-ignore` anywhere on the line, or
 * `api-key-guard-ignore-next-line` on the line above, in whatever comment syntax the file uses;
 * rule ids after it (`api-key-guard-ignore generic-secret, url-password -- reason`) limit it to
 * those rules. File: `.apikeyguardignore`, one entry a line: `scrypt:<hex>` fingerprints of secret
 * values (see fingerprint.ts; old `sha256:<hex>` ones still count), or gitignore-style path patterns.
 */
import { Fingerprint, FINGERPRINT_PREFIX, LEGACY_PREFIX } from './fingerprint';

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
  /** `scrypt:` fingerprints and old `sha256:` ones, lowercase. */
  readonly fingerprints: readonly string[];
  readonly paths: readonly string[];
  /** Every entry, in file order, with its line and reason: what a review lists and a full scan checks for use. */
  readonly entries: readonly IgnoreEntry[];
}

const FINGERPRINT = /^(?:scrypt:[0-9a-f]{32}|sha256:[0-9a-f]{12,64})$/i;

/** Blank lines and `#` comments are skipped; an entry may carry its reason after ` #`. */
export function parseIgnoreFile(content: string): IgnoreList {
  const fingerprints: string[] = [];
  const paths: string[] = [];
  const entries: IgnoreEntry[] = [];
  content.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    // A note starts at the first `#` after whitespace (`\s+#.*$` would be quadratic on long runs of spaces).
    const note = line.search(/\s#/);
    const entry = note === -1 ? line : line.slice(0, note).trimEnd();
    const reason = note === -1 ? undefined : line.slice(note).replace(/^\s*#+\s*/, '') || undefined;
    const lower = entry.toLowerCase();
    if (lower.startsWith(FINGERPRINT_PREFIX) || lower.startsWith(LEGACY_PREFIX)) {
      if (!FINGERPRINT.test(entry)) return;
      fingerprints.push(lower);
      entries.push({ line: index + 1, kind: 'fingerprint', value: lower, reason });
    } else {
      paths.push(entry);
      entries.push({ line: index + 1, kind: 'path', value: entry, reason });
    }
  });
  return { fingerprints, paths, entries };
}

/** An ignore file's fingerprint entries, as the findings pipeline applies them. */
export class IgnoredFingerprints {
  private readonly current: ReadonlySet<string>;
  private readonly legacy: readonly string[];
  /** The old `sha256:` entries that hid a finding, each with the fingerprints of the secrets it hid: what replaces it. */
  readonly legacyMatches = new Map<string, Set<Fingerprint>>();
  /** Every entry that hid a finding: what a full scan reads to tell the entries that hide nothing. */
  readonly used = new Set<string>();

  constructor(entries: readonly string[]) {
    const normal = entries.map((entry) => entry.trim().toLowerCase());
    this.current = new Set(normal.filter((entry) => entry.startsWith(FINGERPRINT_PREFIX)));
    this.legacy = normal.filter((entry) => entry.startsWith(LEGACY_PREFIX) && entry.length >= LEGACY_PREFIX.length + 12);
  }

  /** Whether some entry can only be matched by deriving fingerprints. */
  get derivesFingerprints(): boolean {
    return this.current.size > 0;
  }

  get legacyEntries(): readonly string[] {
    return this.legacy;
  }

  /** Whether an entry hides the secret. With `underivedHideNothing`, a fingerprint not derived yet is compared with old entries only. */
  hides(fingerprint: Fingerprint, underivedHideNothing: boolean): boolean {
    if (this.legacy.length > 0) {
      const legacy = fingerprint.legacy();
      const entry = this.legacy.find((candidate) => legacy.startsWith(candidate));
      if (entry !== undefined) {
        let hidden = this.legacyMatches.get(entry);
        if (hidden === undefined) this.legacyMatches.set(entry, (hidden = new Set()));
        hidden.add(fingerprint);
        this.used.add(entry);
        return true;
      }
    }
    if (this.current.size === 0 || (underivedHideNothing && !fingerprint.derived)) return false;
    if (!this.current.has(fingerprint.value)) return false;
    this.used.add(fingerprint.value);
    return true;
  }
}
