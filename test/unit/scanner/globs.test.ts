import * as assert from 'node:assert/strict';
import { compilePatterns, globMeter, matchPatterns, type PatternProblem } from '../../../src/core/scanner/globs';

const verdict = (patterns: string[], file: string, isDirectory = false) => matchPatterns(compilePatterns(patterns), file, isDirectory);

describe('scanner: path patterns without backtracking', () => {
  it('matches as git does: classes, ranges, POSIX classes, escapes, ** segments, other ** as *', () => {
    assert.equal(verdict(['*.[jt]s'], 'src/a.ts'), true);
    assert.equal(verdict(['*.[!jt]s'], 'src/a.ts'), undefined);
    assert.equal(verdict(['*.[^jt]s'], 'src/a.cs'), true);
    assert.equal(verdict(['log[[:digit:]].txt'], 'log7.txt'), true);
    assert.equal(verdict(['log[[:digit:]].txt'], 'logx.txt'), undefined);
    assert.equal(verdict(['\\*.js'], '*.js'), true);
    assert.equal(verdict(['\\*.js'], 'a.js'), undefined);
    assert.equal(verdict(['a/**/b'], 'a/b'), true);
    assert.equal(verdict(['a/**/b'], 'a/x/y/b'), true);
    assert.equal(verdict(['a/**'], 'a/x/y'), true);
    assert.equal(verdict(['a/**'], 'a', true), true);
    assert.equal(verdict(['**/b'], 'x/y/b'), true);
    assert.equal(verdict(['a**b'], 'a/x/b'), undefined);
    assert.equal(verdict(['a**b'], 'x/axxb'), true);
    assert.equal(verdict(['docs/[a-c]*.md'], 'docs/b1.md'), true);
    assert.equal(verdict(['docs/?.md'], 'docs/ab.md'), undefined);
    assert.equal(verdict(['trailing\\ '], 'trailing '), true);
    assert.equal(verdict(['trailing   '], 'trailing'), true);
    assert.equal(verdict(['[ab'], '[ab'), true);
  });

  it('skips a line git never matches, naming it, and keeps the others', () => {
    const skipped: PatternProblem[] = [];
    const patterns = compilePatterns(['*.log', '[z-a]', 'x\\', 'build/'], (problem) => skipped.push(problem));
    assert.deepEqual(
      skipped.map(({ line, text }) => `${line} ${text}`),
      ['2 [z-a]', '3 x\\'],
    );
    assert.equal(matchPatterns(patterns, 'a.log', false), true);
    assert.equal(matchPatterns(patterns, 'build', true), true);
    assert.equal(matchPatterns(patterns, 'z', false), undefined);
  });

  /** Comparisons per path character for the pattern against a path `size` characters long. */
  function stepsPerCharacter(pattern: string, path: (size: number) => string, size: number): number {
    const patterns = compilePatterns([pattern]);
    const subject = path(size);
    const before = globMeter.steps;
    matchPatterns(patterns, subject, false);
    return (globMeter.steps - before) / subject.length;
  }

  for (const [label, pattern, path] of [
    ['*a*a*a…*b against a long name', `${'*a'.repeat(30)}*b`, (size: number) => 'a'.repeat(size)],
    ['*a*a*a…*b against a long name of a and b', `${'*a'.repeat(30)}*b*c`, (size: number) => 'ab'.repeat(size / 2)],
    ['twelve **/ against a deep path', `${'**/'.repeat(12)}x/y`, (size: number) => 'd/'.repeat(size / 2) + 'x/z'],
    ['** segments between literal ones against a deep path', `${'**/a/'.repeat(12)}b`, (size: number) => 'a/'.repeat(size / 2) + 'c'],
  ] as const) {
    it(`matches ${label} in comparisons linear in the path`, () => {
      const small = stepsPerCharacter(pattern, path, 2_000);
      const large = stepsPerCharacter(pattern, path, 20_000);
      assert.ok(large <= 4, `${large.toFixed(1)} comparisons per character`);
      assert.ok(large <= small * 1.5, `${small.toFixed(1)} comparisons per character at 2,000, ${large.toFixed(1)} at 20,000`);
    });
  }
});
