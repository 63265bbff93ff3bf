/**
 * One text as the matchers read it, with the engine's meter. A search forward from a hit (a private
 * key's END line, a pair's value field, the end of a line, where a bare value ends) has no natural
 * bound: a file can hold a million hits and no match. So each needle's search remembers its last
 * answer: hits come in order, and a search from a position between the last start and the last
 * answer has that same answer. Every character is then read at most once per needle, however many
 * hits search past it, and the meter counts each read. The run of name characters around a hit is
 * remembered the same way, for hits packed into one long run.
 */
import type { Meter } from './types';

type Needle = string | RegExp;

interface Memo {
  from: number;
  /** Where the needle occurs first at or after `from`; -1 for nowhere. */
  found: number;
}

export class TextReader {
  private readonly memos = new Map<Needle, Memo>();
  /** The last run answered by `runAround`: it answers every position in [runStart, runEnd). */
  private runStart = 0;
  private runEnd = 0;

  constructor(
    readonly text: string,
    readonly meter: Meter,
  ) {}

  /** Where `needle` (a string, or a regular expression with the `g` flag) next occurs at or after `from`, or -1. */
  indexOf(needle: Needle, from: number): number {
    const memo = this.memos.get(needle);
    if (memo !== undefined && from >= memo.from && (memo.found === -1 || from <= memo.found)) return memo.found;
    const found = typeof needle === 'string' ? this.text.indexOf(needle, from) : regExpIndex(needle, this.text, from);
    this.meter.steps += Math.max(0, (found === -1 ? this.text.length : found) - from);
    if (memo === undefined) this.memos.set(needle, { from, found });
    else {
      memo.from = from;
      memo.found = found;
    }
    return found;
  }

  /**
   * [start, end): the name characters right before `position` back to `start`, and from `position`
   * on up to `end` (so `end` is `position` when the character there is not one).
   */
  nameRunAround(position: number): readonly [number, number] {
    if (position < this.runStart || position >= this.runEnd) {
      let start = position;
      while (start > 0 && isNameChar(this.text.charCodeAt(start - 1))) start--;
      let end = position;
      while (end < this.text.length && isNameChar(this.text.charCodeAt(end))) end++;
      this.meter.steps += end - start;
      this.runStart = start;
      // Every position of [start, end] has this answer: the run's characters, and `end` itself.
      this.runEnd = end + 1;
    }
    return [this.runStart, this.runEnd - 1];
  }
}

/** Letters, digits, `_`, `-` and `.`: what a variable, field or header name is made of. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
}

function regExpIndex(pattern: RegExp, text: string, from: number): number {
  pattern.lastIndex = from;
  return pattern.exec(text)?.index ?? -1;
}
