/**
 * The findings pipeline: the matchers' candidates in one text become findings through passes that
 * each do one thing, in order, as secretlint's `cleanupMessages` treats its messages: overlaps
 * resolved, positions located, suppression comments honoured, fingerprints attached, the ignore list
 * applied, and the secret masked, which is the last the pipeline sees of it.
 */
import { maskSecret } from '../redaction';
import type { Candidate } from './matchers';
import { suppressionOf } from './suppression';
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
  readonly fingerprint: string;
}

/** The findings among `candidates` (offsets in `text`), in text order. */
export function report(text: string, candidates: Candidate[], ignored: readonly string[], onIgnored?: (entry: string) => void): Finding[] {
  if (candidates.length === 0) return [];
  const located = locate(text, resolveOverlaps(candidates));
  return dropIgnored(fingerprint(dropSuppressed(text, located)), ignored, onIgnored).map(mask);
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
function locate(text: string, candidates: readonly Candidate[]): Located[] {
  const cursor = new LineCursor(text);
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

function fingerprint(items: readonly Located[]): Fingerprinted[] {
  return items.map((item) => ({ ...item, fingerprint: fingerprintOf(item.secret) }));
}

/** `.apikeyguardignore` entries: a fingerprint, or a prefix of one at least 12 hex digits long. */
function dropIgnored(items: readonly Fingerprinted[], ignored: readonly string[], onIgnored?: (entry: string) => void): Fingerprinted[] {
  if (ignored.length === 0) return [...items];
  return items.filter((item) => {
    const entry = ignored.find((candidate) => candidate.length >= 'sha256:'.length + 12 && item.fingerprint.startsWith(candidate));
    if (entry !== undefined) onIgnored?.(entry);
    return entry === undefined;
  });
}

/** The finding as reported: the secret itself is left behind, only its masked preview goes on. */
function mask(item: Fingerprinted): Finding {
  return {
    line: item.line,
    column: item.column,
    endLine: item.endLine,
    endColumn: item.endColumn,
    ruleId: item.ruleId,
    severity: item.severity,
    message: item.message,
    preview: maskSecret(item.secret),
    fingerprint: item.fingerprint,
    ...(item.evidence === undefined ? {} : { evidence: item.evidence }),
  };
}

/** Loaded with the first finding: node:crypto brings node:stream along, start-up time a clean scan never needs. */
let crypto: typeof import('node:crypto') | undefined;

/** What `.apikeyguardignore` lists: a hash of the value, so the entry survives edits and never hides a different secret. */
export function fingerprintOf(secret: string): string {
  crypto ??= require('node:crypto') as typeof import('node:crypto');
  return `sha256:${crypto.createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
}

/** Converts increasing offsets to 0-based lines in one forward pass. */
class LineCursor {
  private line = 0;
  private lineStart = 0;
  private previousLineStart = -1;

  constructor(private readonly text: string) {}

  locate(offset: number): { line: number; lineStart: number; previousLineStart: number } {
    for (let next = this.text.indexOf('\n', this.lineStart); next !== -1 && next < offset; next = this.text.indexOf('\n', this.lineStart)) {
      this.previousLineStart = this.lineStart;
      this.lineStart = next + 1;
      this.line++;
    }
    return { line: this.line, lineStart: this.lineStart, previousLineStart: this.previousLineStart };
  }
}
