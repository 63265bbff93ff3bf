/**
 * The byte-run stage: the prefilter searches a file's bytes, and only the runs of lines around its
 * hits are decoded and handed on as texts of their own. Content without keywords is never decoded,
 * ASCII is decoded without a second search, and binary content is judged only once a keyword is found.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import type { CompiledRules } from './compile';
import { BLOCK } from './compile';
import type { Finding, Meter } from './types';
import { LINE_CAP } from './windows';

/** Scans the hits of a text: `ends[i] - offset` is where a keyword ends in `text`, `states[i]` the prefilter's state there. */
export type HitScan = (text: string, ends: Int32Array, states: Int32Array, offset: number) => Finding[];

/** A text as one run: the prefilter's search of the text, then its hits. */
export function scanDecoded(compiled: CompiledRules, meter: Meter, text: string, scanHits: HitScan): Finding[] {
  meter.steps += text.length;
  const automaton = compiled.automaton;
  const count = automaton.searchText(text);
  return scanHits(text, automaton.hitEnds.subarray(0, count), automaton.hitStates.subarray(0, count), 0);
}

/**
 * UTF-8 content, with the same findings as `scanDecoded` on the decoded text. With `binaryHasNone`
 * (a file as read from disk), binary content (see `isBinary`) has no findings.
 */
export function scanContent(compiled: CompiledRules, meter: Meter, content: Uint8Array, binaryHasNone: boolean, scanHits: HitScan): Finding[] {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const automaton = compiled.automaton;
  if (!automaton.asciiKeywords) return binaryHasNone && isBinary(bytes) ? [] : scanDecoded(compiled, meter, bytes.toString('utf8'), scanHits);
  meter.steps += bytes.length;
  const count = automaton.searchBytes(bytes);
  if (count === 0 || (binaryHasNone && isBinary(bytes))) return [];
  // Invalid UTF-8 decodes to replacement characters that make byte and text positions disagree.
  if (!isAscii(bytes) && !isUtf8(bytes)) return scanDecoded(compiled, meter, bytes.toString('utf8'), scanHits);
  return scanRuns(compiled, bytes, automaton.hitEnds.subarray(0, count), automaton.hitStates.subarray(0, count), scanHits);
}

/**
 * Scans each run of lines around the hits as a text of its own. A run reaches `contextLines`
 * lines beyond each hit's line (to the end of the file after a private key header), more than
 * any rule, pair lookahead or suppression comment looks, so each sees what it would see in the
 * whole text. Runs start at a line, and '\n' is never part of a multi-byte character, so each
 * decodes to exactly its part of the text and only line numbers need shifting. Every run keeps
 * the byte search's hits: in an ASCII run they are where the text has them (Latin-1 decoding is
 * a plain copy, and for ASCII it is UTF-8's); in another they are moved to their characters.
 */
function scanRuns(compiled: CompiledRules, bytes: Buffer, ends: Int32Array, states: Int32Array, scanHits: HitScan): Finding[] {
  const findings: Finding[] = [];
  let line = 0;
  let counted = 0;
  const scanRun = (start: number, end: number, firstHit: number, nextHit: number): void => {
    // Hits left out after the run (see cannotMatch) are not its hits.
    let lastHit = nextHit;
    while ((ends[lastHit - 1] as number) >= end) lastHit--;
    const run = bytes.subarray(start, end);
    const runEnds = ends.subarray(firstHit, lastHit);
    const runStates = states.subarray(firstHit, lastHit);
    const found = isAscii(run)
      ? scanHits(run.toString('latin1'), runEnds, runStates, start)
      : scanHits(run.toString('utf8'), charOffsets(run, runEnds, start), runStates, 0);
    if (found.length === 0) return;
    // Lines are counted only up to runs with findings: most runs have none.
    for (let p = bytes.indexOf(10, counted); p !== -1 && p < start; p = bytes.indexOf(10, p + 1)) line++;
    counted = start;
    for (const finding of found) findings.push(line === 0 ? finding : { ...finding, line: finding.line + line, endLine: finding.endLine + line });
  };
  let start = -1;
  let end = -1;
  let first = 0;
  let coveredLineStart = -1;
  let coveredLineEnd = -1;
  const next = new Int32Array(compiled.patterns.length).fill(-1);
  for (let i = 0; i < ends.length; i++) {
    const hit = ends[i] as number;
    const state = states[i] as number;
    const block = ((compiled.triggers[state] as number) & BLOCK) !== 0;
    const covered = hit < coveredLineEnd;
    // Another hit on a line already in a run needs the same lines, unless it starts a private key block.
    if (covered && !block) continue;
    // The covered line's bounds are this hit's too: a line of a thousand headers is searched once.
    const lineStart = covered ? coveredLineStart : bytes.lastIndexOf(10, hit) + 1;
    const lineEnd = covered ? coveredLineEnd : endOfBytesLine(bytes, hit);
    if (cannotMatch(compiled, bytes, state, lineStart, lineEnd, next)) continue;
    coveredLineStart = lineStart;
    coveredLineEnd = lineEnd;
    const hitStart = linesBack(bytes, lineStart, compiled.contextLines);
    const hitEnd = block ? bytes.length : linesForward(bytes, lineEnd, compiled.contextLines);
    if (start !== -1 && hitStart <= end) {
      end = Math.max(end, hitEnd);
      continue;
    }
    if (start !== -1) scanRun(start, end, first, i);
    start = hitStart;
    end = hitEnd;
    first = i;
  }
  if (start !== -1) scanRun(start, end, first, ends.length);
  return findings;
}

/**
 * Whether a hit can be left out of the runs: every rule it triggers needs text (`mustContain`)
 * that its line lacks. Only on a line short enough to be one window, where leaving a hit out
 * changes no other hit's window. `next[order]` is where pattern rule `order`'s text next occurs in
 * the bytes (hits come in order, so each search starts where the last one stopped being useful).
 */
function cannotMatch(compiled: CompiledRules, bytes: Buffer, state: number, lineStart: number, lineEnd: number, next: Int32Array): boolean {
  const rules = compiled.lineBound[state];
  if (rules === undefined || lineEnd - lineStart > LINE_CAP) return false;
  for (const { rule, order } of rules) {
    const needed = rule.mustContain as string;
    if ((next[order] as number) < lineStart) {
      const found = bytes.indexOf(needed, lineStart);
      next[order] = found === -1 ? bytes.length : found;
    }
    if ((next[order] as number) + Buffer.byteLength(needed) <= lineEnd) return false;
  }
  return true;
}

const BINARY_SNIFF_BYTES = 8192;

/** A NUL byte in the first 8 KiB, or more than 1% of it not decodable as UTF-8. */
export function isBinary(content: Buffer): boolean {
  const head = content.subarray(0, BINARY_SNIFF_BYTES);
  if (head.includes(0)) return true;
  // Valid UTF-8 (nearly every text file) is answered without decoding.
  if (isUtf8(head)) return false;
  const text = head.toString('utf8');
  let invalid = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) invalid++;
  return invalid > text.length / 100;
}

/**
 * Where hits (`ends[i] - start` bytes into `run`, valid UTF-8) fall in the run's decoded text,
 * counted without decoding: each character's first byte is one UTF-16 unit, a four-byte
 * character's two (a surrogate pair), and continuation bytes none.
 */
function charOffsets(run: Buffer, ends: Int32Array, start: number): Int32Array {
  const offsets = new Int32Array(ends.length);
  let byte = 0;
  let char = 0;
  for (let i = 0; i < ends.length; i++) {
    for (const stop = (ends[i] as number) - start; byte < stop; byte++) {
      const value = run[byte] as number;
      if ((value & 0xc0) !== 0x80) char += value >= 0xf0 ? 2 : 1;
    }
    offsets[i] = char;
  }
  return offsets;
}

/** Where the line holding byte `from` ends (its '\n', or the end). */
function endOfBytesLine(bytes: Buffer, from: number): number {
  const end = bytes.indexOf(10, from);
  return end === -1 ? bytes.length : end;
}

/** The start of the line `lines` lines above the one starting at `lineStart`. */
function linesBack(bytes: Buffer, lineStart: number, lines: number): number {
  let start = lineStart;
  // A negative offset would make lastIndexOf count from the end, so the second line starts at 0 by hand.
  for (let i = 0; i < lines && start > 0; i++) start = start === 1 ? 0 : bytes.lastIndexOf(10, start - 2) + 1;
  return start;
}

/** The end of the line `lines` lines below the one ending at `lineEnd`. */
function linesForward(bytes: Buffer, lineEnd: number, lines: number): number {
  let end = lineEnd;
  for (let i = 0; i < lines && end < bytes.length; i++) end = endOfBytesLine(bytes, end + 1);
  return end;
}
