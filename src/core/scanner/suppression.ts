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
  /** `scrypt:` fingerprints and old `sha256:` ones, lowercase. */
  readonly fingerprints: readonly string[];
  readonly paths: readonly string[];
}

const FINGERPRINT = /^(?:scrypt:[0-9a-f]{32}|sha256:[0-9a-f]{12,64})$/i;

/** Blank lines and `#` comments are skipped; a fingerprint may carry a trailing `# note`. */
export function parseIgnoreFile(content: string): IgnoreList {
  const fingerprints: string[] = [];
  const paths: string[] = [];
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    // A note starts at the first `#` after whitespace (`\s+#.*$` would be quadratic on long runs of spaces).
    const note = line.search(/\s#/);
    const entry = note === -1 ? line : line.slice(0, note).trimEnd();
    const lower = entry.toLowerCase();
    if (lower.startsWith(FINGERPRINT_PREFIX) || lower.startsWith(LEGACY_PREFIX)) {
      if (FINGERPRINT.test(entry)) fingerprints.push(lower);
    } else {
      paths.push(entry);
    }
  }
  return { fingerprints, paths };
}

/** An ignore file's fingerprint entries, as the findings pipeline applies them. */
export class IgnoredFingerprints {
  private readonly current: ReadonlySet<string>;
  private readonly legacy: readonly string[];
  /** The old `sha256:` entries that hid a finding, each with the fingerprints of the secrets it hid: what replaces it. */
  readonly legacyMatches = new Map<string, Set<Fingerprint>>();

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
        return true;
      }
    }
    if (this.current.size === 0 || (underivedHideNothing && !fingerprint.derived)) return false;
    return this.current.has(fingerprint.value);
  }
}
