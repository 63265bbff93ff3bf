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
      for (let code = 0; code < ALPHABET; code++) {
        const next = children[state]?.get(code);
        if (next === undefined) {
          delta[state * ALPHABET + code] = delta[failState * ALPHABET + code] as number;
        } else {
          fail[next] = delta[failState * ALPHABET + code] as number;
          delta[state * ALPHABET + code] = next;
          queue.push(next);
        }
      }
    }
    // Upper-case ASCII letters move like their lower-case forms.
    for (let state = 0; state < count; state++) {
      for (let code = 65; code <= 90; code++) delta[state * ALPHABET + code] = delta[state * ALPHABET + code + 32] as number;
    }
    this.delta = delta;
    this.ruleMask = Uint32Array.from(masks);
    this.extras = extras.map((list) => (list.length > 0 ? list : undefined));
  }

  /** Calls `onHit(endIndex, state)` for each position in [from, to) where a keyword ends; returns the count of characters read. */
  run(text: string, from: number, to: number, onHit: (end: number, state: number) => void): number {
    const delta = this.delta;
    const ruleMask = this.ruleMask;
    let state = 0;
    for (let i = from; i < to; i++) {
      const code = text.charCodeAt(i);
      state = delta[(state << 8) | (code < ALPHABET ? code : 0)] as number;
      if (ruleMask[state] !== 0) onHit(i, state);
    }
    return to - from;
  }
}

function foldCase(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code < ALPHABET ? code : 0;
}
