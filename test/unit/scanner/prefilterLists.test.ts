import * as assert from 'node:assert/strict';
import { KeywordAutomaton } from '../../../src/core/scanner/prefilter';
import { seeded } from './formatSamples';

/** More keywords than a 32-bit mask has bits, many of them suffixes of others, each with its own rule number. */
const KEYWORDS = Array.from(
  { length: 200 },
  (_, index) => ['ab', 'ba', 'abc', 'bca', 'cab', 'c_'][index % 6] + 'x'.repeat(Math.floor(index / 6) % 3) + String.fromCharCode(97 + (index % 26)),
);

function patternsAt(automaton: KeywordAutomaton<never>, state: number): number[] {
  return [...automaton.patternList.subarray(automaton.patternStart[state], automaton.patternStart[state + 1])];
}

describe('scanner: keyword prefilter, rules by number', () => {
  const automaton = new KeywordAutomaton<never>(KEYWORDS.map((keyword, index) => ({ keyword, rules: 0, patterns: [index] })));

  it('gives each hit the sorted numbers of every keyword ending there, however many rules there are', () => {
    const random = seeded(3);
    const text = Array.from({ length: 4000 }, () => 'abcx_de'[Math.floor(random() * 7)]).join('');
    const expected = new Map<number, number[]>();
    KEYWORDS.forEach((keyword, index) => {
      for (let at = text.indexOf(keyword); at !== -1; at = text.indexOf(keyword, at + 1)) {
        const end = at + keyword.length - 1;
        expected.set(end, [...(expected.get(end) ?? []), index]);
      }
    });
    const count = automaton.searchText(text);
    const found = new Map<number, number[]>();
    for (let i = 0; i < count; i++) found.set(automaton.hitEnds[i] as number, patternsAt(automaton, automaton.hitStates[i] as number));
    assert.ok(expected.size > 50);
    assert.deepEqual(found, new Map([...expected].map(([end, indexes]) => [end, [...new Set(indexes)].sort((a, b) => a - b)])));
    assert.equal(automaton.searchBytes(Buffer.from(text)), count, 'the byte search finds the same hits');
  });
});
