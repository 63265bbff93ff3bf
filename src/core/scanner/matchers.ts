/**
 * The matchers: what each window's hits trigger, read from the window's text. Pattern rules run
 * their regular expression over the window (widened by their context lines); the assignment reader
 * finds `name <separator> value` around a hit and the first assignment rule whose names match judges
 * the value; the block matcher reads a PEM private key from its header to its END line; the
 * stored-key matcher compares the text at a stored key's prefix with the whole key. Each yields
 * candidates for the findings pipeline.
 */
import type { VariableSources } from '../envLookup';
import { readAssignment, type Assignment } from './assignments';
import { KNOWN_EXAMPLE_VALUES } from './catalogue';
import { readName, wordsOf } from './names';
import { ASSIGNMENT, BLOCK, CompiledPattern, CompiledRules, STORED_KEY } from './compile';
import type { ValueStyle } from './fileKinds';
import { STORED_KEY_RULE } from './rules';
import type { TextReader } from './textReader';
import type { Rule, Severity } from './types';
import { isPlausibleSecret } from './valueFilters';
import type { Window } from './windows';

/** How far a private key block may run before its END line. */
export const MAX_BLOCK = 16384;
/** Context a pattern may look at beyond its line is capped so each window stays bounded. */
const MAX_CONTEXT_CHARS = 4096;

/** Where a private key block ends: an editor re-scans back to its BEGIN when an edit adds this. */
export const PRIVATE_KEY_END = '-----END';
/** Any PEM BEGIN line: a private key's body holds none before its END line. */
const PEM_BEGIN = '-----BEGIN';
const PRIVATE_KEY_HEADER = /-----BEGIN (?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----/y;
const BASE64_CHARS = /[A-Za-z0-9+/]/g;
const BLOCK_FILLER = /\.\.\.|x{4}|X{4}|\*{3}|<[^>\n]{0,40}>/;

/** A secret a matcher found, with offsets in the scanned text. */
export interface Candidate {
  readonly start: number;
  readonly end: number;
  /** Lower wins when two candidates overlap; stored keys are -1. */
  readonly priority: number;
  readonly secret: string;
  /** What was found (the rule's message with its name filled in); the findings pipeline adds where the key belongs. */
  readonly message: string;
  /** Where the key belongs instead: the rule's variables, or a stored key's. */
  readonly variables: VariableSources;
  readonly ruleId: string;
  readonly severity: Severity;
  /** What made it a finding besides the value, for the report. */
  readonly evidence?: string;
}

/** Runs every matcher the window's hits trigger; appends candidates to `out`. */
export function matchWindow(compiled: CompiledRules, reader: TextReader, window: Window, style: ValueStyle, out: Candidate[]): void {
  const text = reader.text;
  for (const pattern of compiled.patternRules(window.states)) matchPattern(reader, window, pattern, out);
  const seenNames = new Set<number>();
  // The last value a rule judged: a keyword inside it is part of that value, not the name of another.
  let judgedStart = -1;
  let judgedEnd = -1;
  window.hits.forEach((hit, i) => {
    const state = window.states[i] as number;
    const triggers = compiled.triggers[state] as number;
    if ((triggers & ASSIGNMENT) !== 0 && (hit < judgedStart || hit >= judgedEnd)) {
      const assignment = readAssignment(reader, hit, window.start, window.end, style);
      if (assignment !== undefined && !seenNames.has(assignment.nameStart)) {
        seenNames.add(assignment.nameStart);
        if (judgeAssignment(compiled, reader, assignment, style, out)) {
          judgedStart = assignment.valueStart;
          judgedEnd = assignment.valueEnd;
        }
      }
    }
    if ((triggers & BLOCK) !== 0) matchBlock(compiled, reader, hit, out);
    if ((triggers & STORED_KEY) !== 0) matchStoredKeys(compiled, text, hit, state, out);
  });
}

function matchPattern(reader: TextReader, window: Window, { rule, priority }: CompiledPattern, out: Candidate[]): void {
  const [from, to] = rule.contextLines ? contextRange(reader, window, rule.contextLines) : [window.start, window.end];
  const region = reader.text.slice(from, to);
  reader.meter.steps += region.length;
  if (rule.mustContain !== undefined && !region.includes(rule.mustContain)) return;
  if (rule.contextWords !== undefined && !rule.contextWords.test(region)) return;
  const pattern = rule.pattern;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(region); match !== null; match = pattern.exec(region)) {
    // validateRule proved the group exists; it is absent only from a match where it took no part.
    const span = match.indices?.groups?.['secret'];
    if (span === undefined) continue;
    const secret = region.slice(span[0], span[1]);
    if (rule.notAfter?.test(region.slice(Math.max(0, span[0] - 40), span[0]))) continue;
    if (!isPlausibleSecret(secret, rule.value) || KNOWN_EXAMPLE_VALUES.has(secret)) continue;
    const evidence = rule.decode?.(secret);
    if (rule.decode !== undefined && evidence === undefined) continue;
    out.push({ ...candidate(rule, priority, from + span[0], from + span[1], secret, ''), ...(evidence === undefined ? {} : { evidence }) });
  }
}

/**
 * The first assignment rule whose names match, or whose meaning the name's words have, decides; a
 * provider's variable is never judged as a generic one. Whether a rule judged the value.
 */
function judgeAssignment(
  compiled: CompiledRules,
  reader: TextReader,
  { name, valueStart, valueEnd }: Assignment,
  style: ValueStyle,
  out: Candidate[],
): boolean {
  // In a documentation example file a name's word is no evidence: its values are examples.
  const reading = style.examples ? undefined : readName(name);
  const judge = compiled.assignments.find(
    ({ rule }) =>
      (rule.names.some((pattern) => pattern.test(name)) || (rule.meaning !== undefined && rule.meaning === reading?.meaning)) &&
      !rule.notNames?.some((pattern) => pattern.test(name)),
  );
  if (judge === undefined) return false;
  const length = valueEnd - valueStart;
  const { minLength, maxLength } = judge.rule.value;
  // Only a value of a length the rule accepts is read by its filters.
  if (length < minLength || length > maxLength) return true;
  reader.meter.steps += length;
  const secret = reader.text.slice(valueStart, valueEnd);
  if (
    secret.toLowerCase() === name.toLowerCase() ||
    repeatsName(secret, name) ||
    !isPlausibleSecret(secret, judge.rule.value) ||
    KNOWN_EXAMPLE_VALUES.has(secret)
  )
    return true;
  const evidence = judge.rule.names.some((pattern) => pattern.test(name)) ? `name ${name}` : `name ${name} (${reading?.evidence ?? ''})`;
  out.push({ ...candidate(judge.rule, judge.priority, valueStart, valueEnd, secret, name), evidence });
  return true;
}

/** A value that repeats a word of its name (`cookie_key = "my_cookie_key"`, `refresh_token: "a_refresh"`) says what goes there, not what it is. */
function repeatsName(value: string, name: string): boolean {
  const lower = value.toLowerCase();
  return wordsOf(name).some((word) => word.length >= 4 && !/^\d+$/.test(word) && lower.includes(word));
}

/**
 * A PEM private key from its header to its END line, at most MAX_BLOCK characters on: the body is
 * the END line's first, unless another BEGIN line comes before it (then this header has no END).
 * The searches for both are the reader's, so a file of headers without END lines is read once.
 */
function matchBlock(compiled: CompiledRules, reader: TextReader, hit: number, out: Candidate[]): void {
  const block = compiled.block;
  if (block === undefined) return;
  const text = reader.text;
  const start = hit - '-----begin'.length + 1;
  PRIVATE_KEY_HEADER.lastIndex = start;
  if (!PRIVATE_KEY_HEADER.test(text)) return;
  const bodyStart = PRIVATE_KEY_HEADER.lastIndex;
  const endMarker = reader.indexOf(PRIVATE_KEY_END, bodyStart);
  if (endMarker === -1 || endMarker - bodyStart >= MAX_BLOCK) return;
  const nextBegin = reader.indexOf(PEM_BEGIN, bodyStart);
  if (nextBegin !== -1 && nextBegin < endMarker) return;
  const close = reader.indexOf('-----', endMarker + PRIVATE_KEY_END.length);
  const end = close === -1 || close > endMarker + 64 ? endMarker + PRIVATE_KEY_END.length : close + 5;
  const body = text.slice(bodyStart, endMarker);
  reader.meter.steps += body.length;
  const base64 =
    body
      .replace(/\\[nr]/g, '')
      .match(BASE64_CHARS)
      ?.join('') ?? '';
  if (base64.length < 64 || BLOCK_FILLER.test(body)) return;
  out.push(candidate(block.rule, block.priority, start, end, base64, ''));
}

function matchStoredKeys(compiled: CompiledRules, text: string, hit: number, state: number, out: Candidate[]): void {
  for (const { item, length } of compiled.automaton.extras[state] ?? []) {
    const start = hit - length + 1;
    if (text.startsWith(item.value, start)) {
      out.push({
        start,
        end: start + item.value.length,
        priority: -1,
        secret: item.value,
        message: STORED_KEY_RULE.message.replace('{label}', item.label),
        variables: { providerVariable: item.variable },
        ruleId: STORED_KEY_RULE.id,
        severity: STORED_KEY_RULE.severity,
      });
    }
  }
}

function candidate(rule: Rule, priority: number, start: number, end: number, secret: string, name: string): Candidate {
  return { start, end, priority, secret, message: rule.message.replace('{name}', name), variables: rule, ruleId: rule.id, severity: rule.severity };
}

/**
 * The window widened by `lines` lines each way, at most MAX_CONTEXT_CHARS each way. Each search
 * stops at that bound, so a window on a line of megabytes reads no more than the context it gets.
 */
function contextRange(reader: TextReader, window: Window, lines: number): [number, number] {
  const text = reader.text;
  const floor = Math.max(0, window.start - MAX_CONTEXT_CHARS);
  const ceiling = Math.min(text.length, window.end + MAX_CONTEXT_CHARS);
  let from = window.start;
  for (let i = 0; i < lines && from > floor; i++) {
    let at = from - 2;
    while (at >= floor && text.charCodeAt(at) !== 10) at--;
    from = Math.max(floor, at + 1);
  }
  let to = window.end;
  for (let i = 0; i < lines && to < ceiling; i++) {
    let at = to + 1;
    while (at < ceiling && text.charCodeAt(at) !== 10) at++;
    to = Math.min(ceiling, at);
  }
  // The characters read here are the region's own, which its pattern reads and counts next.
  return [from, to];
}
