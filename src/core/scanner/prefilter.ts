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
/**
 * Bytes searched by a JavaScript loop before the WebAssembly one is built. Building it (compiling,
 * copying the transitions in) costs about 3 ms, what the JavaScript loop takes, cold, for about
 * this many bytes (measured on Node 20): small scans never build it and large ones lose little.
 */
const INTERPRETED_BYTES = 256 * 1024;
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
    // Built in flat typed arrays, no map or set per state, and touching each cell of the table once,
    // natively: this runs at every start of the CLI, a pre-commit hook's included, before the code
    // is hot. The trie: a state's child by class (0: none; the start state is nobody's child), and
    // each state's children as a list (first child, next sibling) with the class leading to each.
    const trie = new Int32Array(stateBound * classCount);
    const firstChild = new Int32Array(stateBound);
    const nextSibling = new Int32Array(stateBound);
    const edgeClass = new Int32Array(stateBound);
    const masks = new Uint32Array(stateBound);
    const lists: (number[] | undefined)[] = [];
    const extras: ({ item: T; length: number }[] | undefined)[] = [];
    let count = 1;
    for (const target of targets) {
      let state = 0;
      for (let i = 0; i < target.keyword.length; i++) {
        const byteClass = classOf[foldCase(target.keyword.charCodeAt(i))] as number;
        const cell = state * classCount + byteClass;
        if (trie[cell] === 0) {
          const child = count++;
          trie[cell] = child;
          edgeClass[child] = byteClass;
          nextSibling[child] = firstChild[state] as number;
          firstChild[state] = child;
        }
        state = trie[cell] as number;
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
    for (let child = firstChild[0] as number; child !== 0; child = nextSibling[child] as number) queue[queued++] = child;
    for (let head = 0; head < queued; head++) {
      const state = queue[head] as number;
      const failState = fail[state] as number;
      masks[state] = (masks[state] as number) | (masks[failState] as number);
      const failList = lists[failState];
      if (failList !== undefined) lists[state] = [...(lists[state] ?? []), ...failList];
      const failExtras = extras[failState];
      if (failExtras !== undefined) extras[state] = [...(extras[state] ?? []), ...failExtras];
      for (let child = firstChild[state] as number; child !== 0; child = nextSibling[child] as number) {
        // The longest proper suffix of the child's keyword prefix that is a state: where the fail
        // chain of this state can go on with the child's class.
        const byteClass = edgeClass[child] as number;
        let suffix = failState;
        while (suffix !== 0 && trie[suffix * classCount + byteClass] === 0) suffix = fail[suffix] as number;
        fail[child] = trie[suffix * classCount + byteClass] as number;
        queue[queued++] = child;
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
    // A state moves as its fail state does (its row, copied whole), except along its own children.
    // Rows are filled breadth first, so the fail state's row is complete when it is copied.
    const transitions = new Int32Array(count * classCount);
    for (const state of breadthFirst) {
      const row = (renumbered[state] as number) * classCount;
      if (state !== 0) {
        const failRow = (renumbered[fail[state] as number] as number) * classCount;
        transitions.copyWithin(row, failRow, failRow + classCount);
      }
      for (let child = firstChild[state] as number; child !== 0; child = nextSibling[child] as number) {
        transitions[row + (edgeClass[child] as number)] = (renumbered[child] as number) * classCount;
      }
    }
    this.transitions = transitions;
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

  /**
   * Built once INTERPRETED_BYTES have been searched: a scanner that only sees text, or a few
   * changed lines (a pre-commit hook's), never pays for compiling it.
   */
  private byteSearch: ByteSearch | undefined;
  private interpretedBytes = 0;

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
   * keywords (see `asciiKeywords`). Past the first INTERPRETED_BYTES the loop runs as WebAssembly (see byteSearch.ts).
   */
  searchBytes(bytes: Uint8Array): number {
    if (this.byteSearch === undefined && this.interpretedBytes + bytes.length <= INTERPRETED_BYTES) {
      this.interpretedBytes += bytes.length;
      return this.searchBytesHere(bytes);
    }
    this.byteSearch ??= new ByteSearch(this.transitions, this.classOf);
    let count = 0;
    this.byteSearch.run(bytes, this.firstHitState * this.classCount, (index, state) => (count = this.record(count, index, state)));
    return count;
  }

  /** `searchText`'s loop over bytes, for the first INTERPRETED_BYTES: bytes past ASCII are no keyword's, class 0 as in `classOf`. */
  private searchBytesHere(bytes: Uint8Array): number {
    const { transitions, classOf } = this;
    const firstHit = this.firstHitState * this.classCount;
    let state = 0;
    let count = 0;
    for (let i = 0; i < bytes.length; i++) {
      state = transitions[state + (classOf[bytes[i] as number] as number)] as number;
      if (state >= firstHit) count = this.record(count, i, state);
    }
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
