/**
 * The keyword prefilter: one Aho-Corasick pass over the text, ASCII case-insensitive, as a dense
 * transition table so the inner loop is one array read per character. Rules only run near hits.
 */

/** What a hit triggers: which rules, and which of the user's stored keys start here. */
export interface KeywordTarget<T> {
  readonly keyword: string;
  readonly rules: number;
  readonly extra?: T;
}

const ALPHABET = 256;
/** Set in `ruleMask` for states where a stored key's prefix ends, so the hot loop tests one array. */
export const STORED_KEY_BIT = 0x80000000;
/** Rules are bits of a 32-bit mask, one bit being `STORED_KEY_BIT`. */
export const MAX_RULES = 31;

export class KeywordAutomaton<T> {
  private readonly delta: Int32Array;
  /** Per state: bit mask of rules triggered by any keyword ending here (including shorter suffix keywords). */
  readonly ruleMask: Uint32Array;
  /** Per state: the stored keys whose prefix ends here, with the prefix length. */
  readonly extras: (readonly { readonly item: T; readonly length: number }[] | undefined)[];
  /**
   * Every keyword is ASCII without NUL (which stands for characters past Latin-1 in text). Then a
   * keyword occurs in a text's UTF-8 bytes exactly where it occurs in the text, since multi-byte
   * characters and invalid sequences use bytes >= 0x80 only: bytes without hits need no decoding.
   */
  readonly asciiKeywords: boolean;

  constructor(targets: readonly KeywordTarget<T>[]) {
    const children: Map<number, number>[] = [new Map()];
    const masks: number[] = [0];
    const extras: { item: T; length: number }[][] = [[]];
    for (const target of targets) {
      let state = 0;
      for (let i = 0; i < target.keyword.length; i++) {
        const code = foldCase(target.keyword.charCodeAt(i));
        let next = children[state]?.get(code);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          masks.push(0);
          extras.push([]);
          children[state]?.set(code, next);
        }
        state = next;
      }
      masks[state] = (masks[state] ?? 0) | target.rules;
      if (target.extra !== undefined) {
        extras[state]?.push({ item: target.extra, length: target.keyword.length });
        masks[state] = (masks[state] ?? 0) | STORED_KEY_BIT;
      }
    }
    const count = children.length;
    const delta = new Int32Array(count * ALPHABET);
    const fail = new Int32Array(count);
    const queue: number[] = [];
    for (const [code, next] of children[0] ?? []) {
      delta[code] = next;
      queue.push(next);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      const failState = fail[state] as number;
      masks[state] = (masks[state] ?? 0) | (masks[failState] ?? 0);
      extras[state]?.push(...(extras[failState] ?? []));
      // Where the keyword cannot go on, move as the fail state does (its row is done: it is shallower).
      delta.copyWithin(state * ALPHABET, failState * ALPHABET, (failState + 1) * ALPHABET);
      for (const [code, next] of children[state] ?? []) {
        fail[next] = delta[failState * ALPHABET + code] as number;
        delta[state * ALPHABET + code] = next;
        queue.push(next);
      }
    }
    // Upper-case ASCII letters move like their lower-case forms.
    for (let state = 0; state < count; state++) {
      for (let code = 65; code <= 90; code++) delta[state * ALPHABET + code] = delta[state * ALPHABET + code + 32] as number;
    }
    this.delta = delta;
    this.ruleMask = Uint32Array.from(masks);
    this.extras = extras.map((list) => (list.length > 0 ? list : undefined));
    this.asciiKeywords = targets.every((target) => /^[\x01-\x7f]*$/.test(target.keyword));
  }

  /** Where the last search found keywords: the index of each keyword's last character and the state there. Reused between searches. */
  hitEnds = new Int32Array(64);
  hitStates = new Int32Array(64);

  /** Finds every position in `text` where a keyword ends; returns how many, in `hitEnds` and `hitStates`. */
  searchText(text: string): number {
    const delta = this.delta;
    const ruleMask = this.ruleMask;
    let state = 0;
    let count = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      state = delta[(state << 8) | (code < ALPHABET ? code : 0)] as number;
      if (ruleMask[state] !== 0) count = this.record(count, i, state);
    }
    return count;
  }

  /**
   * `searchText` over UTF-8 bytes, so a file without keywords is never decoded. Only for ASCII
   * keywords (see `asciiKeywords`); a separate loop because indexing bytes and reading string
   * characters in one loop would slow both.
   */
  searchBytes(bytes: Uint8Array): number {
    const delta = this.delta;
    const ruleMask = this.ruleMask;
    let state = 0;
    let count = 0;
    for (let i = 0; i < bytes.length; i++) {
      state = delta[(state << 8) | (bytes[i] as number)] as number;
      if (ruleMask[state] !== 0) count = this.record(count, i, state);
    }
    return count;
  }

  private record(count: number, end: number, state: number): number {
    if (count === this.hitEnds.length) {
      const ends = new Int32Array(count * 2);
      ends.set(this.hitEnds);
      this.hitEnds = ends;
      const states = new Int32Array(count * 2);
      states.set(this.hitStates);
      this.hitStates = states;
    }
    this.hitEnds[count] = end;
    this.hitStates[count] = state;
    return count + 1;
  }
}

function foldCase(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code < ALPHABET ? code : 0;
}
