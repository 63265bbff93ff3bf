/**
 * The findings pipeline: the matchers' candidates in one text become findings through passes that
 * each do one thing, in order, as secretlint's `cleanupMessages` treats its messages: overlaps
 * resolved, positions located, suppression comments honoured, fingerprints attached, the ignore list
 * applied, and the secret masked, which is the last the pipeline sees of it.
 */
import { chooseVariable } from '../envLookup';
import { maskSecret } from '../redaction';
import type { Fingerprint, FingerprintCache } from './fingerprint';
import type { Candidate } from './matchers';
import { suppressionOf, type IgnoredFingerprints } from './suppression';
import type { TextReader } from './textReader';
import type { Finding } from './types';

interface Located extends Candidate {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** Where the finding's first line starts, and the line above it (-1 for none): what suppression reads. */
  readonly lineStart: number;
  readonly previousLineStart: number;
}

interface Fingerprinted extends Located {
  readonly fingerprint: Fingerprint;
}

/** What the passes after the matchers need besides the text. */
export interface FindingsOptions {
  readonly fingerprints: FingerprintCache;
  readonly ignored: IgnoredFingerprints;
  /** Compare a fingerprint not derived yet with old entries only: its caller derives it off its thread and scans again. */
  readonly deriveLater: boolean;
}

/** The findings among `candidates` (offsets in the reader's text), in text order. */
export function report(reader: TextReader, candidates: Candidate[], options: FindingsOptions): Finding[] {
  if (candidates.length === 0) return [];
  const located = locate(reader, resolveOverlaps(candidates));
  return dropIgnored(fingerprint(dropSuppressed(reader.text, located), options.fingerprints), options).map((item) => mask(reader.text, item));
}

/** How far before a secret its name is looked for: names are short, and a long line must not be read again per finding. */
const NAME_REACH = 256;

/** Where every finding says the key belongs instead: the user's program cannot read VS Code's SecretStorage. */
export function findingMessage(found: string, variable: string): string {
  return `${found} Read it from the environment variable ${variable} or a secret manager at run time.`;
}

/** Where two candidates overlap, the higher-priority rule reports. */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  candidates.sort((a, b) => a.start - b.start || a.priority - b.priority);
  const kept: Candidate[] = [];
  for (const next of candidates) {
    const last = kept[kept.length - 1];
    if (last !== undefined && next.start < last.end) {
      if (next.priority < last.priority) kept[kept.length - 1] = next;
      continue;
    }
    kept.push(next);
  }
  return kept;
}

/** Offsets to 0-based lines and UTF-16 columns, in one forward pass (the candidates no longer overlap). */
function locate(reader: TextReader, candidates: readonly Candidate[]): Located[] {
  const cursor = new LineCursor(reader);
  return candidates.map((item) => {
    const start = cursor.locate(item.start);
    const { line, lineStart, previousLineStart } = start;
    const end = cursor.locate(item.end);
    return { ...item, line, column: item.start - lineStart, endLine: end.line, endColumn: item.end - end.lineStart, lineStart, previousLineStart };
  });
}

/** `api-key-guard-ignore` comments, read once per line: a long line with many findings is read once. */
function dropSuppressed(text: string, items: readonly Located[]): Located[] {
  let checkedLine = -1;
  let suppresses: (ruleId: string) => boolean = () => false;
  return items.filter((item) => {
    if (item.lineStart !== checkedLine) {
      checkedLine = item.lineStart;
      suppresses = suppressionOf(text, item.lineStart, item.previousLineStart);
    }
    return !suppresses(item.ruleId);
  });
}

/** A fingerprint handle per finding, shared by every finding of the same secret and rule; nothing is derived here. */
function fingerprint(items: readonly Located[], fingerprints: FingerprintCache): Fingerprinted[] {
  return items.map((item) => ({ ...item, fingerprint: fingerprints.of(item.ruleId, item.secret) }));
}

/** `.apikeyguardignore` fingerprints: old entries by a cheap hash, current ones by deriving the fingerprint, once per secret. */
function dropIgnored(items: readonly Fingerprinted[], { ignored, deriveLater }: FindingsOptions): Fingerprinted[] {
  return items.filter((item) => !ignored.hides(item.fingerprint, deriveLater));
}

/** The finding as reported: the secret itself is left behind, only its masked preview goes on. */
function mask(text: string, item: Fingerprinted): Finding {
  const variable = chooseVariable(item.variables, text.slice(Math.max(item.lineStart, item.start - NAME_REACH), item.start));
  return {
    line: item.line,
    column: item.column,
    endLine: item.endLine,
    endColumn: item.endColumn,
    ruleId: item.ruleId,
    severity: item.severity,
    message: findingMessage(item.message, variable),
    variable,
    preview: maskSecret(item.secret),
    fingerprint: item.fingerprint,
    ...(item.evidence === undefined ? {} : { evidence: item.evidence }),
  };
}

/**
 * Converts increasing offsets to 0-based lines in one forward pass. The reader remembers where the
 * current line ends, so a thousand findings on one long line search it once, not once each.
 */
class LineCursor {
  private line = 0;
  private lineStart = 0;
  private previousLineStart = -1;

  constructor(private readonly reader: TextReader) {}

  locate(offset: number): { line: number; lineStart: number; previousLineStart: number } {
    for (let next = this.reader.indexOf('\n', this.lineStart); next !== -1 && next < offset; next = this.reader.indexOf('\n', this.lineStart)) {
      this.previousLineStart = this.lineStart;
      this.lineStart = next + 1;
      this.line++;
    }
    return { line: this.line, lineStart: this.lineStart, previousLineStart: this.previousLineStart };
  }
}
