import * as assert from 'node:assert/strict';
import { compilePatterns, globMeter, matchPatterns, type PatternProblem } from '../../../src/core/scanner/globs';
import { HOSTILE_GLOBS } from './hostileInputs';

const verdict = (patterns: string[], file: string, isDirectory = false) => matchPatterns(compilePatterns(patterns), file, isDirectory);

describe('scanner: path patterns', () => {
  it('follows gitignore rules: basename anywhere, anchored paths, directories, **, negation', () => {
    assert.equal(verdict(['*.log'], 'a/b/c.log'), true);
    assert.equal(verdict(['/build'], 'src/build'), undefined);
    assert.equal(verdict(['docs/*.md'], 'docs/a.md'), true);
    assert.equal(verdict(['docs/*.md'], 'docs/x/a.md'), undefined);
    assert.equal(verdict(['**/fixtures/**'], 'a/fixtures/b/c.json'), true);
    assert.equal(verdict(['tmp/'], 'tmp'), undefined);
    assert.equal(verdict(['tmp/'], 'tmp', true), true);
    assert.equal(verdict(['*.env', '!keep.env'], 'keep.env'), false);
  });

  it('matches exact names, name endings and wildcards alike when a list mixes them', () => {
    const list = ['yarn.lock', '*.png', 'cache-*.json', '\\#notes', 'log[0-9].txt', '*.tar.gz', '*'];
    assert.equal(verdict(list.slice(0, 6), 'a/yarn.lock'), true);
    assert.equal(verdict(list.slice(0, 6), 'yarn.lock.bak'), undefined);
    assert.equal(verdict(list.slice(0, 6), 'img/logo.png'), true);
    assert.equal(verdict(list.slice(0, 6), 'img/logo.png/readme.md'), undefined);
    assert.equal(verdict(list.slice(0, 6), 'img/png'), undefined);
    assert.equal(verdict(list.slice(0, 6), 'dist/app.tar.gz'), true);
    assert.equal(verdict(list.slice(0, 6), 'dist/app.gz'), undefined);
    assert.equal(verdict(list.slice(0, 6), 'a/cache-12.json'), true);
    assert.equal(verdict(list.slice(0, 6), '#notes'), true);
    assert.equal(verdict(list.slice(0, 6), 'log7.txt'), true);
    assert.equal(verdict(list.slice(0, 6), 'logx.txt'), undefined);
    assert.equal(verdict(list, 'anything'), true);
  });

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

  for (const [label, pattern, path] of HOSTILE_GLOBS) {
    it(`matches ${label} in comparisons linear in the path`, () => {
      const small = stepsPerCharacter(pattern, path, 2_000);
      const large = stepsPerCharacter(pattern, path, 20_000);
      assert.ok(large <= 4, `${large.toFixed(1)} comparisons per character`);
      assert.ok(large <= small * 1.5, `${small.toFixed(1)} comparisons per character at 2,000, ${large.toFixed(1)} at 20,000`);
    });
  }
});
