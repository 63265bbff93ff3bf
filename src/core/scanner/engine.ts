/**
 * The scanning engine: one prefilter pass per text, then the rules whose keywords hit, run only
 * on the hit lines (or on a bounded window of a long line), then the value filters, overlap
 * resolution, suppression comments and the ignore list. Work is linear in the text's length.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { maskSecret } from '../redaction';
import { PAIR_LOOKAHEAD_LINES, readAssignment } from './assignments';
import { valueStyle, ValueStyle } from './fileKinds';
import { KeywordAutomaton, KeywordTarget, STORED_KEY_BIT } from './prefilter';
import { RULES, STORED_KEY_RULE } from './rules';
import { suppressionOf } from './suppression';
import type { AssignmentRule, ExtraSecret, Finding, PatternRule, Rule, ScanContext, Severity } from './types';
import { isPlausibleSecret } from './valueFilters';

/** Lines longer than this (minified code, data) are scanned in windows around each hit instead of whole. */
const LINE_CAP = 4096;
const WINDOW_BEFORE = 512;
/**
 * How far past its keyword a secret may start: the rest of a name, spaces, separators, a type
 * annotation, quotes, a URL's user. A window reaches this plus the longest value the hit's rules
 * accept, so no secret is cut off at its end.
 */
const VALUE_LEAD = 512;
/** How far a private key block may run before its END line. */
const MAX_BLOCK = 16384;
/** A stored key is indexed by this many leading characters; shorter stored values are not matched. */
const STORED_KEY_PREFIX = 8;
/** Context a pattern may look at beyond its line is capped so each window stays bounded. */
const MAX_CONTEXT_CHARS = 4096;

export interface ScannerOptions {
  readonly rules?: readonly Rule[];
  /** The user's own stored keys: found verbatim whatever their format. Held by reference, not copied. */
  readonly extraSecrets?: readonly ExtraSecret[];
  /** Fingerprints (`sha256:` + at least 12 hex digits) of values not to report, from `.apikeyguardignore`. */
  readonly ignoredFingerprints?: readonly string[];
}

interface Candidate {
  readonly start: number;
  readonly end: number;
  /** Lower wins when two candidates overlap; stored keys are -1. */
  readonly priority: number;
  readonly secret: string;
  readonly message: string;
  readonly ruleId: string;
  readonly severity: Severity;
}

interface Window {
  start: number;
  end: number;
  readonly lineStart: number;
  readonly lineEnd: number;
  mask: number;
  readonly hits: number[];
  readonly states: number[];
}

/**
 * What a keyword hit triggers, as bits of the prefilter's 32-bit masks: one bit per pattern rule
 * (each runs on its own), and one bit for all assignment rules (the name decides which one judges)
 * and for the block rule. So only the built-in pattern rules are counted against the bits; custom
 * providers add assignment rules, as many as they like.
 */
const ASSIGNMENT_BIT = 1 << 29;
const BLOCK_BIT = 1 << 30;
const MAX_PATTERN_RULES = 29;

const PRIVATE_KEY_HEADER = /-----BEGIN (?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----/y;
const BASE64_CHARS = /[A-Za-z0-9+/]/g;
const BLOCK_FILLER = /\.\.\.|x{4}|X{4}|\*{3}|<[^>\n]{0,40}>/;

export class SecretScanner {
  readonly rules: readonly Rule[];
  private readonly automaton: KeywordAutomaton<ExtraSecret>;
  /** The index in `rules` of the pattern rule behind each pattern bit. */
  private readonly patternRuleIndexes: readonly number[];
  private readonly patternMask: number;
  /** Pattern rules with `mustContain` and no context lines: they can only match within the hit's line. */
  private readonly lineBoundMask: number;
  private readonly ignored: readonly string[];
  /** Lines around a hit that rules may read: pair lookahead, context lines, the suppression comment above, and one spare. */
  private readonly contextLines: number;
  /** Per prefilter state: how far past a hit there a long line's window reaches. */
  private readonly reach: Int32Array;
  /** Characters read by the prefilter plus characters examined by rules: the engine's own measure of work. */
  steps = 0;

  constructor(options: ScannerOptions = {}) {
    this.rules = options.rules ?? RULES;
    const targets: KeywordTarget<ExtraSecret>[] = [];
    const patternRuleIndexes: number[] = [];
    let lineBoundMask = 0;
    this.rules.forEach((rule, index) => {
      let bit: number;
      if (rule.kind === 'pattern') {
        if (patternRuleIndexes.length === MAX_PATTERN_RULES) throw new Error(`at most ${MAX_PATTERN_RULES} pattern rules`);
        bit = 1 << (patternRuleIndexes.push(index) - 1);
        if (rule.mustContain !== undefined && !rule.contextLines) lineBoundMask |= bit;
      } else {
        bit = rule.kind === 'assignment' ? ASSIGNMENT_BIT : BLOCK_BIT;
      }
      for (const keyword of rule.keywords) targets.push({ keyword, rules: bit });
    });
    for (const secret of options.extraSecrets ?? []) {
      if (secret.value.length >= STORED_KEY_PREFIX) {
        targets.push({ keyword: secret.value.slice(0, STORED_KEY_PREFIX), rules: 0, extra: secret });
      }
    }
    this.automaton = new KeywordAutomaton(targets);
    this.patternRuleIndexes = patternRuleIndexes;
    this.patternMask = (1 << patternRuleIndexes.length) - 1;
    this.lineBoundMask = lineBoundMask;
    this.ignored = (options.ignoredFingerprints ?? []).map((entry) => entry.trim().toLowerCase());
    this.contextLines = 1 + Math.max(1, PAIR_LOOKAHEAD_LINES, ...this.rules.map((rule) => (rule.kind === 'pattern' ? (rule.contextLines ?? 0) : 0)));
    // Any assignment rule may judge a name; private keys and stored keys are read from the text, past any window.
    const longestAssigned = Math.max(0, ...this.rules.map((rule) => (rule.kind === 'assignment' ? rule.value.maxLength : 0)));
    this.reach = Int32Array.from(this.automaton.ruleMask, (mask) => {
      let longest = (mask & ASSIGNMENT_BIT) !== 0 ? longestAssigned : 0;
      patternRuleIndexes.forEach((index, bit) => {
        if ((mask & (1 << bit)) !== 0) longest = Math.max(longest, (this.rules[index] as PatternRule).value.maxLength);
      });
      return VALUE_LEAD + longest;
    });
  }

  scanText(text: string, context: ScanContext): Finding[] {
    this.steps += text.length;
    const count = this.automaton.searchText(text);
    return this.scanHits(text, this.automaton.hitEnds.subarray(0, count), this.automaton.hitStates.subarray(0, count), 0, context);
  }

  /**
   * Scans UTF-8 content, with the same findings as `scanText` on the decoded text. The keyword
   * search runs on the bytes, so content without keywords is never decoded, ASCII is decoded
   * without a second search, and of other content only the lines around keywords are decoded.
   */
  scanBytes(content: Uint8Array, context: ScanContext): Finding[] {
    return this.scanContent(content, context, false);
  }

  /**
   * `scanBytes` for a file as read from disk, where binary content (see `isBinary`) has no
   * findings. It is judged only once the search finds a keyword, which few files have.
   */
  scanFile(content: Uint8Array, context: ScanContext): Finding[] {
    return this.scanContent(content, context, true);
  }

  private scanContent(content: Uint8Array, context: ScanContext, binaryHasNone: boolean): Finding[] {
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    if (!this.automaton.asciiKeywords) return binaryHasNone && isBinary(bytes) ? [] : this.scanText(bytes.toString('utf8'), context);
    this.steps += bytes.length;
    const count = this.automaton.searchBytes(bytes);
    if (count === 0 || (binaryHasNone && isBinary(bytes))) return [];
    // Invalid UTF-8 decodes to replacement characters that make byte and text positions disagree.
    if (!isAscii(bytes) && !isUtf8(bytes)) return this.scanText(bytes.toString('utf8'), context);
    return this.scanRuns(bytes, this.automaton.hitEnds.subarray(0, count), this.automaton.hitStates.subarray(0, count), context);
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
  private scanRuns(bytes: Buffer, ends: Int32Array, states: Int32Array, context: ScanContext): Finding[] {
    const ruleMask = this.automaton.ruleMask;
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
        ? this.scanHits(run.toString('latin1'), runEnds, runStates, start, context)
        : this.scanHits(run.toString('utf8'), charOffsets(run, runEnds, start), runStates, 0, context);
      if (found.length === 0) return;
      // Lines are counted only up to runs with findings: most runs have none.
      for (let p = bytes.indexOf(10, counted); p !== -1 && p < start; p = bytes.indexOf(10, p + 1)) line++;
      counted = start;
      for (const finding of found) findings.push(line === 0 ? finding : { ...finding, line: finding.line + line, endLine: finding.endLine + line });
    };
    let start = -1;
    let end = -1;
    let first = 0;
    let coveredLineEnd = -1;
    const next = new Int32Array(this.patternRuleIndexes.length).fill(-1);
    for (let i = 0; i < ends.length; i++) {
      const hit = ends[i] as number;
      const mask = ruleMask[states[i] as number] as number;
      const block = (mask & BLOCK_BIT) !== 0;
      // Another hit on a line already in a run needs the same lines, unless it starts a private key block.
      if (hit < coveredLineEnd && !block) continue;
      const lineStart = bytes.lastIndexOf(10, hit) + 1;
      const lineEnd = endOfBytesLine(bytes, hit);
      if (this.cannotMatch(bytes, mask, lineStart, lineEnd, next)) continue;
      coveredLineEnd = lineEnd;
      const hitStart = linesBack(bytes, lineStart, this.contextLines);
      const hitEnd = block ? bytes.length : linesForward(bytes, lineEnd, this.contextLines);
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
   * changes no other hit's window. `next[index]` is where rule `index`'s text next occurs in the
   * bytes (hits come in order, so each search starts where the last one stopped being useful).
   */
  private cannotMatch(bytes: Buffer, mask: number, lineStart: number, lineEnd: number, next: Int32Array): boolean {
    if ((mask & ~this.lineBoundMask) !== 0 || lineEnd - lineStart > LINE_CAP) return false;
    for (let bit = 0, bits = mask; bits !== 0; bit++, bits >>>= 1) {
      if ((bits & 1) === 0) continue;
      const needed = (this.rules[this.patternRuleIndexes[bit] as number] as PatternRule).mustContain as string;
      if ((next[bit] as number) < lineStart) {
        const found = bytes.indexOf(needed, lineStart);
        next[bit] = found === -1 ? bytes.length : found;
      }
      if ((next[bit] as number) + Buffer.byteLength(needed) <= lineEnd) return false;
    }
    return true;
  }

  /**
   * Groups hits (`ends[i] - offset` is where a keyword ends in `text`, `states[i]` the automaton's
   * state there) into windows, a line or a bounded slice of a long one, and evaluates each.
   */
  private scanHits(text: string, ends: Int32Array, states: Int32Array, offset: number, context: ScanContext): Finding[] {
    const style = valueStyle(context.fileName, context.languageId);
    const candidates: Candidate[] = [];
    const ruleMask = this.automaton.ruleMask;
    let window: Window | undefined;
    for (let i = 0; i < ends.length; i++) {
      const hit = (ends[i] as number) - offset;
      const state = states[i] as number;
      if (window !== undefined && hit < window.end) {
        window.hits.push(hit);
        window.states.push(state);
        window.mask |= ruleMask[state] as number;
        if (window.lineEnd - window.lineStart > LINE_CAP) {
          window.end = Math.min(window.lineEnd, Math.max(window.end, hit + (this.reach[state] as number)));
        }
        continue;
      }
      if (window !== undefined) this.evaluate(text, window, style, candidates);
      const sameLine = window !== undefined && hit < window.lineEnd;
      const lineStart = sameLine ? (window as Window).lineStart : text.lastIndexOf('\n', hit) + 1;
      const lineEnd = sameLine ? (window as Window).lineEnd : endOfLine(text, hit);
      const long = lineEnd - lineStart > LINE_CAP;
      // Not clipped at the last window's end, so a name or URL that starts there is read whole. A
      // window reaches at least WINDOW_BEFORE past its first hit, so no character is in more than two.
      window = {
        start: long ? Math.max(lineStart, hit - WINDOW_BEFORE) : lineStart,
        end: long ? Math.min(lineEnd, hit + (this.reach[state] as number)) : lineEnd,
        lineStart,
        lineEnd,
        mask: ruleMask[state] as number,
        hits: [hit],
        states: [state],
      };
    }
    if (window !== undefined) this.evaluate(text, window, style, candidates);
    return this.report(text, candidates);
  }

  private evaluate(text: string, window: Window, style: ValueStyle, out: Candidate[]): void {
    // Only the pattern rules whose keywords hit: the bits of the window's mask, lowest first.
    for (let bit = 0, mask = window.mask & this.patternMask; mask !== 0; bit++, mask >>>= 1) {
      if ((mask & 1) === 0) continue;
      const index = this.patternRuleIndexes[bit] as number;
      this.matchPattern(text, window, this.rules[index] as PatternRule, index, out);
    }
    const seenNames = new Set<number>();
    window.hits.forEach((hit, i) => {
      const mask = this.automaton.ruleMask[window.states[i] as number] as number;
      if ((mask & ASSIGNMENT_BIT) !== 0) {
        const assignment = readAssignment(text, hit, window.start, window.end, style);
        if (assignment !== undefined && !seenNames.has(assignment.nameStart)) {
          seenNames.add(assignment.nameStart);
          this.steps += assignment.valueEnd - assignment.nameStart;
          this.judgeAssignment(text, assignment.name, assignment.valueStart, assignment.valueEnd, out);
        }
      }
      if ((mask & BLOCK_BIT) !== 0) this.matchBlock(text, hit, out);
      if ((mask & STORED_KEY_BIT) !== 0) this.matchStoredKeys(text, hit, window.states[i] as number, out);
    });
  }

  private matchPattern(text: string, window: Window, rule: PatternRule, index: number, out: Candidate[]): void {
    const [from, to] = rule.contextLines ? contextRange(text, window, rule.contextLines) : [window.start, window.end];
    const region = text.slice(from, to);
    this.steps += region.length;
    if (rule.mustContain !== undefined && !region.includes(rule.mustContain)) return;
    const pattern = rule.pattern;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(region); match !== null; match = pattern.exec(region)) {
      const span = match.indices?.groups?.['secret'];
      if (span === undefined) continue;
      const secret = region.slice(span[0], span[1]);
      if (rule.notAfter?.test(region.slice(Math.max(0, span[0] - 40), span[0]))) continue;
      if (!isPlausibleSecret(secret, rule.value)) continue;
      out.push(candidate(rule, index, from + span[0], from + span[1], secret, ''));
    }
  }

  /** The first assignment rule whose name matches decides; a provider's variable is never judged as a generic one. */
  private judgeAssignment(text: string, name: string, start: number, end: number, out: Candidate[]): void {
    const index = this.rules.findIndex(
      (rule) => rule.kind === 'assignment' && rule.names.some((pattern) => pattern.test(name)) && !rule.notNames?.some((pattern) => pattern.test(name)),
    );
    const rule = this.rules[index] as AssignmentRule | undefined;
    if (rule === undefined) return;
    const secret = text.slice(start, end);
    if (secret.toLowerCase() === name.toLowerCase() || !isPlausibleSecret(secret, rule.value)) return;
    out.push(candidate(rule, index, start, end, secret, name));
  }

  private matchBlock(text: string, hit: number, out: Candidate[]): void {
    const start = hit - '-----begin'.length + 1;
    PRIVATE_KEY_HEADER.lastIndex = start;
    if (!PRIVATE_KEY_HEADER.test(text)) return;
    const bodyStart = PRIVATE_KEY_HEADER.lastIndex;
    const limit = Math.min(text.length, bodyStart + MAX_BLOCK);
    const endMarker = text.indexOf('-----END', bodyStart);
    if (endMarker === -1 || endMarker >= limit) return;
    const close = text.indexOf('-----', endMarker + 8);
    const end = close === -1 || close > endMarker + 64 ? endMarker + 8 : close + 5;
    const body = text.slice(bodyStart, endMarker);
    this.steps += body.length;
    const base64 =
      body
        .replace(/\\[nr]/g, '')
        .match(BASE64_CHARS)
        ?.join('') ?? '';
    if (base64.length < 64 || BLOCK_FILLER.test(body)) return;
    const index = this.rules.findIndex((rule) => rule.kind === 'block');
    out.push(candidate(this.rules[index] as Rule, index, start, end, base64, ''));
  }

  private matchStoredKeys(text: string, hit: number, state: number, out: Candidate[]): void {
    for (const { item, length } of this.automaton.extras[state] ?? []) {
      const start = hit - length + 1;
      if (text.startsWith(item.value, start)) {
        out.push({
          start,
          end: start + item.value.length,
          priority: -1,
          secret: item.value,
          message: STORED_KEY_RULE.message.replace('{label}', item.label),
          ruleId: STORED_KEY_RULE.id,
          severity: STORED_KEY_RULE.severity,
        });
      }
    }
  }

  /** Resolves overlaps (the higher-priority rule reports), converts offsets to positions, drops suppressed and ignored findings. */
  private report(text: string, candidates: Candidate[]): Finding[] {
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
    const cursor = new LineCursor(text);
    const findings: Finding[] = [];
    // Suppression is decided once per line: a long line with many findings is read once.
    let checkedLine = -1;
    let suppresses: (ruleId: string) => boolean = () => false;
    for (const item of kept) {
      const start = cursor.locate(item.start);
      if (start.lineStart !== checkedLine) {
        checkedLine = start.lineStart;
        suppresses = suppressionOf(text, start.lineStart, start.previousLineStart);
      }
      if (suppresses(item.ruleId)) {
        cursor.locate(item.end);
        continue;
      }
      const end = cursor.locate(item.end);
      const fingerprint = fingerprintOf(item.secret);
      if (this.ignored.some((entry) => entry.length >= 'sha256:'.length + 12 && fingerprint.startsWith(entry))) continue;
      findings.push({
        line: start.line,
        column: item.start - start.lineStart,
        endLine: end.line,
        endColumn: item.end - end.lineStart,
        ruleId: item.ruleId,
        severity: item.severity,
        message: item.message,
        preview: maskSecret(item.secret),
        fingerprint,
      });
    }
    return findings;
  }
}

/** Loaded with the first finding: node:crypto brings node:stream along, start-up time a clean scan never needs. */
let crypto: typeof import('node:crypto') | undefined;

/** What `.apikeyguardignore` lists: a hash of the value, so the entry survives edits and never hides a different secret. */
export function fingerprintOf(secret: string): string {
  crypto ??= require('node:crypto') as typeof import('node:crypto');
  return `sha256:${crypto.createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
}

function candidate(rule: Rule, priority: number, start: number, end: number, secret: string, name: string): Candidate {
  return { start, end, priority, secret, message: rule.message.replace('{name}', name), ruleId: rule.id, severity: rule.severity };
}

function endOfLine(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
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
 * Where hits (`ends[i] - start` bytes into `run`) fall in the run's decoded text. Each hit ends on
 * an ASCII keyword character, so the bytes between two hits decode on their own.
 */
function charOffsets(run: Buffer, ends: Int32Array, start: number): Int32Array {
  const offsets = new Int32Array(ends.length);
  let byte = 0;
  let char = 0;
  ends.forEach((end, i) => {
    char += run.toString('utf8', byte, end - start).length;
    byte = end - start;
    offsets[i] = char;
  });
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

/** The window widened by `lines` lines each way, at most MAX_CONTEXT_CHARS each way. */
function contextRange(text: string, window: Window, lines: number): [number, number] {
  let from = window.start;
  let to = window.end;
  const floor = Math.max(0, window.start - MAX_CONTEXT_CHARS);
  const ceiling = Math.min(text.length, window.end + MAX_CONTEXT_CHARS);
  for (let i = 0; i < lines && from > floor; i++) from = Math.max(floor, text.lastIndexOf('\n', from - 2) + 1);
  for (let i = 0; i < lines && to < ceiling; i++) to = Math.min(ceiling, endOfLine(text, to + 1));
  return [from, to];
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

/** Built on first use: a module that only imports the engine (the CLI builds its own) pays nothing. */
let defaultScanner: SecretScanner | undefined;

/** Scans one text with the built-in rules; for the user's stored keys or an ignore list, build a `SecretScanner`. */
export function scanText(text: string, context: ScanContext): Finding[] {
  defaultScanner ??= new SecretScanner();
  return defaultScanner.scanText(text, context);
}
