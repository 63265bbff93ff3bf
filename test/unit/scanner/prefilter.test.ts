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

function foundHits(automaton: KeywordAutomaton<string>, count: number): Map<number, number> {
  const hits = new Map<number, number>();
  for (let i = 0; i < count; i++) hits.set(automaton.hitEnds[i] as number, (automaton.ruleMask[automaton.hitStates[i] as number] as number) & ~STORED_KEY_BIT);
  return hits;
}

describe('scanner: keyword prefilter', () => {
  const automaton = new KeywordAutomaton<string>(KEYWORDS.map((keyword, index) => ({ keyword, rules: 1 << index })));
  const random = generator(7);
  const pieces = [...KEYWORDS, ...KEYWORDS.map((keyword) => keyword.toUpperCase()), 'a', 'k', 'e', 'y', '_', '-', ':', '/', ' ', '\n', 'é', '€', '\u{1F511}', '\0'];
  const texts = Array.from({ length: 200 }, () => Array.from({ length: 80 }, () => pieces[Math.floor(random() * pieces.length)]).join(''));

  it('finds in text every place a keyword ends, case-insensitively, with the rules of every keyword ending there', () => {
    for (const text of texts) assert.deepEqual(foundHits(automaton, automaton.searchText(text)), naiveHits(text), text);
  });

  it('finds the same places in the UTF-8 bytes of an ASCII text', () => {
    for (const text of texts.map((mixed) => mixed.replace(/[^\x01-\x7f]/g, '?'))) {
      assert.deepEqual(foundHits(automaton, automaton.searchBytes(Buffer.from(text))), naiveHits(text), text);
    }
  });

  it('finds keywords across the byte search\'s chunk edges, in texts larger than its first memory, and in small ones after', () => {
    const filler = 'abcdefghijklmnop '.repeat(Math.ceil((3 * CHUNK_BYTES) / 17));
    const large = [CHUNK_BYTES - 3, 2 * CHUNK_BYTES - 1, 2 * CHUNK_BYTES + 5].reduce((text, at) => text.slice(0, at) + 'API_KEY' + text.slice(at + 7), filler.repeat(40));
    for (const text of [large, 'a token', large.slice(0, CHUNK_BYTES + 4), '']) {
      assert.deepEqual(foundHits(automaton, automaton.searchBytes(Buffer.from(text))), naiveHits(text));
    }
  });

  it('marks the states where a stored key prefix ends and keeps its length', () => {
    const withKey = new KeywordAutomaton<string>([{ keyword: 'token', rules: 1 }, { keyword: 'Zq8vL2mN', rules: 0, extra: 'stored' }]);
    const text = 'a token and zq8vl2mn';
    const count = withKey.searchText(text);
    assert.equal(count, 2);
    const state = withKey.hitStates[1] as number;
    assert.equal(withKey.hitEnds[1], text.length - 1);
    assert.notEqual((withKey.ruleMask[state] as number) & STORED_KEY_BIT, 0);
    assert.deepEqual(withKey.extras[state], [{ item: 'stored', length: 8 }]);
  });
});
