/**
 * Hits become windows, the text the matchers read: a hit's whole line, or on a long line (minified
 * code, data) a bounded slice around the hits that lie close together, so no character is read by
 * more than two windows.
 */

/** Lines longer than this are read in windows around each hit instead of whole. */
export const LINE_CAP = 4096;
const WINDOW_BEFORE = 512;

export interface Window {
  start: number;
  end: number;
  readonly lineStart: number;
  readonly lineEnd: number;
  /** Where each keyword in the window ends, and the prefilter's state there. */
  readonly hits: number[];
  readonly states: number[];
}

/**
 * Groups hits (`ends[i] - offset` is where a keyword ends in `text`, `states[i]` the prefilter's
 * state there) into windows, in order, and visits each. `reach[state]` is how far past a hit in
 * that state a long line's window must reach.
 */
export function forEachWindow(text: string, ends: Int32Array, states: Int32Array, offset: number, reach: Int32Array, visit: (window: Window) => void): void {
  let window: Window | undefined;
  for (let i = 0; i < ends.length; i++) {
    const hit = (ends[i] as number) - offset;
    const state = states[i] as number;
    if (window !== undefined && hit < window.end) {
      window.hits.push(hit);
      window.states.push(state);
      if (window.lineEnd - window.lineStart > LINE_CAP) {
        window.end = Math.min(window.lineEnd, Math.max(window.end, hit + (reach[state] as number)));
      }
      continue;
    }
    if (window !== undefined) visit(window);
    const sameLine = window !== undefined && hit < window.lineEnd;
    const lineStart = sameLine ? (window as Window).lineStart : text.lastIndexOf('\n', hit) + 1;
    const lineEnd = sameLine ? (window as Window).lineEnd : endOfLine(text, hit);
    const long = lineEnd - lineStart > LINE_CAP;
    // Not clipped at the last window's end, so a name or URL that starts there is read whole. A
    // window reaches at least WINDOW_BEFORE past its first hit, so no character is in more than two.
    window = {
      start: long ? Math.max(lineStart, hit - WINDOW_BEFORE) : lineStart,
      end: long ? Math.min(lineEnd, hit + (reach[state] as number)) : lineEnd,
      lineStart,
      lineEnd,
      hits: [hit],
      states: [state],
    };
  }
  if (window !== undefined) visit(window);
}

/** Where the line holding `from` ends (its '\n', or the end of the text). */
export function endOfLine(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}
