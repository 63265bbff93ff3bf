import * as assert from 'node:assert/strict';
import { findKeyProblem } from '../../src/core/keyHygiene';
import { BUILT_IN_PROVIDERS } from '../../src/core/providers/builtIn';

const KEY = '19692813e7364ef8ad6a6504d50a12ca';
const layerx402 = BUILT_IN_PROVIDERS.find((provider) => provider.id === 'layerx402')!;
const salesLayer = BUILT_IN_PROVIDERS.find((provider) => provider.id === 'saleslayer')!;

describe('findKeyProblem', () => {
  it('accepts clean keys, including base64 with + / =', () => {
    assert.equal(findKeyProblem(KEY), undefined);
    assert.equal(findKeyProblem('U2FsZXM+TGF5ZXI/a2V5==', salesLayer), undefined);
    assert.equal(findKeyProblem('upz_live_8f3a9c2e-7b1d.4f6a'), undefined);
  });

  const damaged: readonly [string, string, RegExp][] = [
    ['empty', '', /empty/],
    ['only spaces', '   ', /only spaces/],
    ['leading space', ` ${KEY}`, /starts with a space/],
    ['trailing space', `${KEY} `, /ends with a space/],
    ['trailing tab', `${KEY}\t`, /ends with a tab/],
    ['inner space', `${KEY.slice(0, 10)} ${KEY.slice(10)}`, /space in the middle/],
    ['trailing newline', `${KEY}\n`, /ends with a line break/],
    ['trailing CRLF', `${KEY}\r\n`, /ends with a line break/],
    ['inner newline', `${KEY.slice(0, 10)}\n${KEY.slice(10)}`, /two lines/],
    ['zero-width space', `${KEY.slice(0, 5)}\u200b${KEY.slice(5)}`, /zero-width space \(U\+200B\) at position 6/],
    ['BOM', `\ufeff${KEY}`, /byte order mark.*the start/],
    ['non-breaking space', `${KEY}\u00a0`, /non-breaking space \(U\+00A0\) at the end/],
    ['double quotes', `"${KEY}"`, /wrapped in quotes/],
    ['single quotes', `'${KEY}'`, /wrapped in quotes/],
    ['curly quotes', `\u201c${KEY}\u201d`, /wrapped in quotes/],
    ['control character', `${KEY}\u0007`, /invisible control character \(U\+0007\)/],
    ['header name', `X-API-KEY: ${KEY}`, /header name "X-API-KEY:"/],
    ['environment line', `SCALEFLEX_API_KEY=${KEY}`, /environment file/],
    ['masked copy', `****${KEY.slice(-4)}`, /masked or shortened/],
    ['non-ASCII letter', `${KEY}é`, /character "é" \(U\+00E9\)/],
  ];
  for (const [name, key, problem] of damaged) {
    it(`names ${name}`, () => {
      const found = findKeyProblem(key);
      assert.match(found ?? '', problem);
      assert.ok(key.trim() === '' || !found!.includes(KEY), 'the problem repeats the key');
    });
  }

  it('says when the provider adds "Bearer " itself', () => {
    assert.match(findKeyProblem(`Bearer ${KEY}`, layerx402)!, /which Layerx402 adds itself/);
    assert.match(findKeyProblem(`Bearer ${KEY}`, salesLayer)!, /without the authorization scheme/);
  });
});
