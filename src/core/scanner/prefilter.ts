/**
 * The keyword prefilter: one Aho-Corasick pass over the text, ASCII case-insensitive, as a dense
 * transition table so the inner loop is two array reads per character. Rules only run near hits.
 */
import { ByteSearch } from './byteSearch';

/**
 * What a hit triggers: flags of the caller's (`rules`), rules by number (`patterns`: any number of
 * them, each a small integer the caller gives meaning to), and which of the user's stored keys start here.
 */
export interface KeywordTarget<T> {
  readonly keyword: string;
  readonly rules: number;
  readonly patterns?: readonly number[];
  readonly extra?: T;
}

const ALPHABET = 256;
/** Set in `ruleMask` for states where a stored key's prefix ends; the other 31 bits are the caller's. */
export const STORED_KEY_BIT = 0x80000000;

export class KeywordAutomaton<T> {
  /**
   * Transitions by state and byte class, each entry the next state times `classCount`, so a step
   * is `transitions[state + classOf[byte]]`. Bytes no keyword uses (most of them) share a class:
   * the table is 256 / classCount times smaller than one column per byte, and stays in the
   * fastest cache.
   */
  private readonly transitions: Int32Array;
  private readonly classOf: Uint8Array;
  private readonly classCount: number;
  /** States are numbered so that those where a keyword ends come last: a hit is one comparison. */
  private readonly firstHitState: number;
  /** Per state: the flags of every keyword ending here (including shorter suffix keywords). */
  readonly ruleMask: Uint32Array;
  /**
   * Per state: the numbers (`KeywordTarget.patterns`) of every keyword ending here, sorted, each
   * once: `patternList[patternStart[state]]` up to `patternList[patternStart[state + 1]]`. A list
   * per state rather than a bit per number, so the number of rules is not bounded by a word's width.
   */
  readonly patternStart: Int32Array;
  readonly patternList: Int32Array;
  /** Per state: the stored keys whose prefix ends here, with the prefix length. */
  readonly extras: (readonly { readonly item: T; readonly length: number }[] | undefined)[];
  /**
   * Every keyword is ASCII without NUL (which stands for characters past Latin-1 in text). Then a
   * keyword occurs in a text's UTF-8 bytes exactly where it occurs in the text, since multi-byte
   * characters and invalid sequences use bytes >= 0x80 only: bytes without hits need no decoding.
   */
  readonly asciiKeywords: boolean;

  constructor(targets: readonly KeywordTarget<T>[]) {
    // Each byte a keyword uses gets a class of its own (an upper-case letter shares its lower-case
    // form's); every other byte is class 0, which leads back to the start state from anywhere.
    const classOf = new Uint8Array(ALPHABET);
    let classCount = 1;
    let stateBound = 1;
    for (const { keyword } of targets) {
      stateBound += keyword.length;
      for (let i = 0; i < keyword.length; i++) {
        const code = foldCase(keyword.charCodeAt(i));
        if (classOf[code] === 0) classOf[code] = classCount++;
      }
    }
    // Built in flat typed arrays, no map or set per state: this runs at every start of the CLI, a
    // pre-commit hook's included, before the code is hot. In the trie, 0 means "no child" (the
    // start state is nobody's child); filled in below, it means "back to the start state".
    const delta = new Int32Array(stateBound * classCount);
    const masks = new Uint32Array(stateBound);
    const lists: (number[] | undefined)[] = [];
    const extras: ({ item: T; length: number }[] | undefined)[] = [];
    let count = 1;
    for (const target of targets) {
      let state = 0;
      for (let i = 0; i < target.keyword.length; i++) {
        const cell = state * classCount + (classOf[foldCase(target.keyword.charCodeAt(i))] as number);
        if (delta[cell] === 0) delta[cell] = count++;
        state = delta[cell] as number;
      }
      masks[state] = (masks[state] as number) | target.rules;
      if (target.patterns !== undefined && target.patterns.length > 0) (lists[state] ??= []).push(...target.patterns);
      if (target.extra !== undefined) {
        (extras[state] ??= []).push({ item: target.extra, length: target.keyword.length });
        masks[state] = (masks[state] as number) | STORED_KEY_BIT;
      }
    }
    for (let code = 65; code <= 90; code++) classOf[code] = classOf[code + 32] as number;
    // Breadth first, so a state's fail state (shallower) is complete when the state is reached.
    const fail = new Int32Array(count);
    const queue = new Int32Array(count);
    let queued = 0;
    for (let byteClass = 0; byteClass < classCount; byteClass++) if (delta[byteClass] !== 0) queue[queued++] = delta[byteClass] as number;
    for (let head = 0; head < queued; head++) {
      const state = queue[head] as number;
      const failState = fail[state] as number;
      masks[state] = (masks[state] as number) | (masks[failState] as number);
      const failList = lists[failState];
      if (failList !== undefined) lists[state] = [...(lists[state] ?? []), ...failList];
      const failExtras = extras[failState];
      if (failExtras !== undefined) extras[state] = [...(extras[state] ?? []), ...failExtras];
      const row = state * classCount;
      const failRow = failState * classCount;
      for (let byteClass = 0; byteClass < classCount; byteClass++) {
        const child = delta[row + byteClass] as number;
        if (child === 0) {
          // Where the keyword cannot go on, move as the fail state does.
          delta[row + byteClass] = delta[failRow + byteClass] as number;
        } else {
          fail[child] = delta[failRow + byteClass] as number;
          queue[queued++] = child;
        }
      }
    }
    // Shallow states first (breadth-first order), those where a keyword ends after all others: text
    // keeps the automaton near the start state, so the rows it reads most sit together in cache
    // however many keywords there are, and a hit is one comparison. The start state keeps number 0.
    const isHit = (state: number): boolean => masks[state] !== 0 || lists[state] !== undefined;
    const breadthFirst = [0, ...queue.subarray(0, queued)];
    const order = [...breadthFirst.filter((state) => !isHit(state)), ...breadthFirst.filter(isHit)];
    const renumbered = new Int32Array(count);
    order.forEach((state, index) => (renumbered[state] = index));
    this.transitions = new Int32Array(count * classCount);
    for (let state = 0; state < count; state++) {
      const row = (renumbered[state] as number) * classCount;
      for (let byteClass = 0; byteClass < classCount; byteClass++) {
        this.transitions[row + byteClass] = (renumbered[delta[state * classCount + byteClass] as number] as number) * classCount;
      }
    }
    this.classOf = classOf;
    this.classCount = classCount;
    const firstHitState = order.findIndex(isHit);
    this.firstHitState = firstHitState === -1 ? count : firstHitState;
    this.ruleMask = Uint32Array.from(order, (state) => masks[state] as number);
    this.patternStart = new Int32Array(count + 1);
    const patternList: number[] = [];
    order.forEach((state, index) => {
      const list = lists[state];
      if (list !== undefined) patternList.push(...new Set(list.sort((a, b) => a - b)));
      this.patternStart[index + 1] = patternList.length;
    });
    this.patternList = Int32Array.from(patternList);
    this.extras = order.map((state) => extras[state]);
    this.asciiKeywords = targets.every((target) => [...target.keyword].every((char) => char > '\0' && char <= '\x7f'));
  }

  /** Built with the first search of bytes: a scanner that only sees text never needs it. */
  private byteSearch: ByteSearch | undefined;

  /** Where the last search found keywords: the index of each keyword's last character and the state there. Reused between searches. */
  hitEnds = new Int32Array(64);
  hitStates = new Int32Array(64);

  /** Finds every position in `text` where a keyword ends; returns how many, in `hitEnds` and `hitStates`. */
  searchText(text: string): number {
    const { transitions, classOf } = this;
    const firstHit = this.firstHitState * this.classCount;
    const beyondLatin1 = classOf[0] as number;
    let state = 0;
    let count = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      state = transitions[state + (code < ALPHABET ? (classOf[code] as number) : beyondLatin1)] as number;
      if (state >= firstHit) count = this.record(count, i, state);
    }
    return count;
  }

  /**
   * `searchText` over UTF-8 bytes, so a file without keywords is never decoded. Only for ASCII
   * keywords (see `asciiKeywords`). The loop runs as WebAssembly (see byteSearch.ts).
   */
  searchBytes(bytes: Uint8Array): number {
    this.byteSearch ??= new ByteSearch(this.transitions, this.classOf);
    let count = 0;
    this.byteSearch.run(bytes, this.firstHitState * this.classCount, (index, state) => (count = this.record(count, index, state)));
    return count;
  }

  /** `scaledState` is a state times `classCount`, as the transitions hold it. */
  private record(count: number, end: number, scaledState: number): number {
    if (count === this.hitEnds.length) {
      const ends = new Int32Array(count * 2);
      ends.set(this.hitEnds);
      this.hitEnds = ends;
      const states = new Int32Array(count * 2);
      states.set(this.hitStates);
      this.hitStates = states;
    }
    this.hitEnds[count] = end;
    this.hitStates[count] = scaledState / this.classCount;
    return count + 1;
  }
}

function foldCase(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code < ALPHABET ? code : 0;
}
