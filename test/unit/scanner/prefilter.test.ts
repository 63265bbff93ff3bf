import * as assert from 'node:assert/strict';
import { CHUNK_BYTES } from '../../../src/core/scanner/byteSearch';
import { KeywordAutomaton, STORED_KEY_BIT } from '../../../src/core/scanner/prefilter';

/** A small deterministic generator, so a failure reproduces. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// Overlapping keywords (one a suffix or prefix of another) and bytes that share no class with letters.
const KEYWORDS = ['api_key', '_key', 'key', 'secret', 'sk-', 'sk-ant-', '://', '-----begin', 'token', 'ken'];

/** Where each keyword ends in `text`, found the slow way, with the union of their rule bits. */
function naiveHits(text: string): Map<number, number> {
  const lower = text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  const hits = new Map<number, number>();
  KEYWORDS.forEach((keyword, index) => {
    for (let at = lower.indexOf(keyword); at !== -1; at = lower.indexOf(keyword, at + 1)) {
      const end = at + keyword.length - 1;
      hits.set(end, (hits.get(end) ?? 0) | (1 << index));
    }
  });
  return hits;
}

/** The search's hits, which must come in the order of the text (the engine relies on it). */
function foundHits(automaton: KeywordAutomaton<string>, count: number): Map<number, number> {
  const hits = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    assert.ok(i === 0 || (automaton.hitEnds[i] as number) > (automaton.hitEnds[i - 1] as number), 'hits in order');
    hits.set(automaton.hitEnds[i] as number, (automaton.ruleMask[automaton.hitStates[i] as number] as number) & ~STORED_KEY_BIT);
  }
  return hits;
}

describe('scanner: keyword prefilter', () => {
  const automaton = new KeywordAutomaton<string>(KEYWORDS.map((keyword, index) => ({ keyword, rules: 1 << index })));
  const random = generator(7);
  const pieces = [
    ...KEYWORDS,
    ...KEYWORDS.map((keyword) => keyword.toUpperCase()),
    'a',
    'k',
    'e',
    'y',
    '_',
    '-',
    ':',
    '/',
    ' ',
    '\n',
    'é',
    '€',
    '\u{1F511}',
    '\0',
  ];
  const texts = Array.from({ length: 200 }, () => Array.from({ length: 80 }, () => pieces[Math.floor(random() * pieces.length)]).join(''));

  it('finds in text every place a keyword ends, case-insensitively, with the rules of every keyword ending there', () => {
    for (const text of texts) assert.deepEqual(foundHits(automaton, automaton.searchText(text)), naiveHits(text), text);
  });

  it('finds the same places in the UTF-8 bytes of an ASCII text (searched in JavaScript: the first bytes an automaton searches)', () => {
    // eslint-disable-next-line no-control-regex -- every character but NUL and non-ASCII stays, as the prefilter's ASCII test reads it
    for (const text of texts.map((mixed) => mixed.replace(/[^\x01-\x7f]/g, '?'))) {
      assert.deepEqual(foundHits(automaton, automaton.searchBytes(Buffer.from(text))), naiveHits(text), text);
    }
  });

  it("finds keywords across the byte search's chunk edges and lane split, in texts larger than its first memory, and in small ones after (searched in WebAssembly, past the first bytes)", () => {
    const place = (text: string, at: readonly number[]): string =>
      at.reduce((placed, where) => placed.slice(0, where) + 'API_KEY' + placed.slice(where + 7), text);
    // One long line (one lane), and lines (two lanes, split at the line after the middle).
    const line = place('abcdefghijklmnop '.repeat(40 * Math.ceil((3 * CHUNK_BYTES) / 17)), [CHUNK_BYTES - 3, 2 * CHUNK_BYTES - 1, 2 * CHUNK_BYTES + 5]);
    const lines = `${'abcdefghijklmnop '.repeat(59)}\n`.repeat(Math.ceil((5 * CHUNK_BYTES) / 1004));
    const split = lines.indexOf('\n', lines.length >> 1) + 1;
    const laned = place(lines, [CHUNK_BYTES - 3, split - 8, split, split + CHUNK_BYTES - 3, lines.length - 8]);
    for (const text of [line, 'a token', laned, line.slice(0, CHUNK_BYTES + 4), 'api_\nkey', '']) {
      assert.deepEqual(foundHits(automaton, automaton.searchBytes(Buffer.from(text))), naiveHits(text));
    }
  });

  it('marks the states where a stored key prefix ends and keeps its length', () => {
    const withKey = new KeywordAutomaton<string>([
      { keyword: 'token', rules: 1 },
      { keyword: 'Zq8vL2mN', rules: 0, extra: 'stored' },
    ]);
    const text = 'a token and zq8vl2mn';
    const count = withKey.searchText(text);
    assert.equal(count, 2);
    const state = withKey.hitStates[1] as number;
    assert.equal(withKey.hitEnds[1], text.length - 1);
    assert.notEqual((withKey.ruleMask[state] as number) & STORED_KEY_BIT, 0);
    assert.deepEqual(withKey.extras[state], [{ item: 'stored', length: 8 }]);
  });
});
