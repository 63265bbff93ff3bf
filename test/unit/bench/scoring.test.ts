import * as assert from 'node:assert/strict';
import { secretsOf, seededRandom } from '../../../bench/randomKeys';
import { categoryOf, flaggedNegatives, recallByCategory, scoreCorpus, scoreSubset, Subset, TruthSpan } from '../../../bench/scoring';

const span = (file: string, line: number, kinds: string[], endLine?: number): TruthSpan => ({
  file,
  line,
  ...(endLine === undefined ? {} : { endLine }),
  kind: kinds[0] as string,
  kinds,
  provider: 'o/r',
  ctx: 'test',
});

const subset: Subset = {
  root: '/nowhere',
  files: ['a.py', 'b.json'],
  truth: [span('a.py', 3, ['Password']), span('a.py', 10, ['PEM Private Key'], 14), span('b.json', 2, ['UUID']), span('b.json', 5, ['Token:UUID'])],
  negatives: [
    { file: 'a.py', line: 20, category: 'creddata-F', why: 'Password' },
    { file: 'b.json', line: 9, category: 'creddata-X', why: 'Key:Secret' },
  ],
};

describe('bench: CredData scoring', () => {
  // Hits: a span's line twice (deduplicated), inside a multi-line span, a UUID-only span, an F line, an unlabelled line.
  const hits = [
    { file: 'a.py', line: 3 },
    { file: 'a.py', line: 3 },
    { file: 'a.py', line: 12 },
    { file: 'b.json', line: 2 },
    { file: 'a.py', line: 20 },
    { file: 'a.py', line: 30 },
  ];

  it('scores strict and labelled, with and without UUID-only spans, as the benchmark README defines', () => {
    assert.deepEqual(scoreSubset(subset, hits, { labelled: false, withUuidOnly: true }).score, { tp: 3, fp: 2, fn: 1 });
    assert.deepEqual(scoreSubset(subset, hits, { labelled: true, withUuidOnly: true }).score, { tp: 3, fp: 1, fn: 1 });
    // Without UUID-only spans, the finding on one is neither a hit nor a false positive.
    assert.deepEqual(scoreSubset(subset, hits, { labelled: true, withUuidOnly: false }).score, { tp: 2, fp: 1, fn: 1 });
    assert.deepEqual(scoreSubset(subset, hits, { labelled: false, withUuidOnly: false }).score, { tp: 2, fp: 2, fn: 1 });
  });

  it('groups categories, the most specific first, and counts flagged negatives by category', () => {
    assert.deepEqual(subset.truth.map(categoryOf), ['Password', 'Private Key', 'UUID', 'Token/Key/Secret']);
    const { hit } = scoreSubset(subset, hits, { labelled: true, withUuidOnly: true });
    assert.deepEqual(
      recallByCategory(subset, hit).find((row) => row.category === 'Token/Key/Secret'),
      { category: 'Token/Key/Secret', found: 0, total: 1 },
    );
    assert.deepEqual(
      flaggedNegatives(subset, hits).map((row) => [row.category, row.why, row.flagged]),
      [
        ['creddata-F', 'Password', 1],
        ['creddata-X', 'Key', 0],
      ],
    );
  });

  it('scores the own corpus by exact file and line', () => {
    const labels = {
      files: {
        'x.ts': [
          { line: 1, ruleId: 'a' },
          { line: 4, ruleId: 'b' },
        ],
        'y.ts': [],
      },
    };
    assert.deepEqual(
      scoreCorpus(labels, [
        { file: 'x.ts', line: 1 },
        { file: 'y.ts', line: 2 },
      ]),
      { tp: 1, fp: 1, fn: 1 },
    );
  });
});

describe('bench: random keys from a rule pattern', () => {
  it('draws values that the pattern matches, from its secret group only', () => {
    const pattern = /(?<![\w-])(?<secret>gh[pousr]_[A-Za-z0-9]{36}|ab\d{2,4}-[a-f]{3})(?![\w-])/dg;
    const make = secretsOf(pattern);
    const random = seededRandom(1);
    for (let i = 0; i < 200; i++) {
      const value = make(random);
      assert.match(value, /^(?:gh[pousr]_[A-Za-z0-9]{36}|ab\d{2,4}-[a-f]{3})$/);
    }
  });
});
