import * as assert from 'node:assert/strict';
import { environmentOfFile, isDotenvFileName, looksLikeSecretName, parseDotenv, proposedKeyName } from '../../src/core/dotenv';

const values = (text: string) => parseDotenv(text).map((entry) => [entry.name, entry.value]);

describe('.env files', () => {
  it('reads plain, exported, colon and quoted assignments, skipping comments and blank lines', () => {
    const text = [
      '# settings',
      '',
      'PORT=3000',
      'export UPPZY_API_KEY=upz_live_abc # the bot',
      '  SPACED = padded value  ',
      'COLON: yes',
      "SINGLE='a \\n b'",
      'DOUBLE="line\\nnext \\"quoted\\""',
      'BACK=`tick`',
      'EMPTY=',
      'HASH=abc#def',
      'not an assignment',
      'URL:http://x',
    ].join('\n');
    assert.deepEqual(values(text), [
      ['PORT', '3000'],
      ['UPPZY_API_KEY', 'upz_live_abc'],
      ['SPACED', 'padded value'],
      ['COLON', 'yes'],
      ['SINGLE', 'a \\n b'],
      ['DOUBLE', 'line\nnext "quoted"'],
      ['BACK', 'tick'],
      ['EMPTY', ''],
      ['HASH', 'abc#def'],
    ]);
    const exported = parseDotenv(text)[1]!;
    assert.equal(exported.exported, true);
    assert.equal(text.slice(exported.valueStart, exported.valueEnd), 'upz_live_abc', 'the value range leaves the comment');
    assert.equal(text.slice(exported.start, exported.end), 'export UPPZY_API_KEY=upz_live_abc # the bot\n', 'the entry is its whole line');
  });

  it('reads a quoted value over several lines as one entry, and the lines after it', () => {
    const text = 'KEY="-----BEGIN KEY-----\r\nabc\r\n-----END KEY-----"\r\nNEXT=1\r\n';
    const [key, next] = parseDotenv(text);
    assert.equal(key?.value, '-----BEGIN KEY-----\nabc\n-----END KEY-----');
    assert.deepEqual([key?.line, key?.endLine], [0, 2]);
    assert.equal(text.slice(key.valueStart, key.valueEnd), '"-----BEGIN KEY-----\r\nabc\r\n-----END KEY-----"');
    assert.equal(text.slice(key.end), 'NEXT=1\r\n');
    assert.deepEqual([next?.name, next?.value, next?.line], ['NEXT', '1', 3]);
  });

  it('keeps CRLF out of values and ranges', () => {
    const text = 'A=1\r\nB="2"\r\nC=\r\n';
    assert.deepEqual(values(text), [
      ['A', '1'],
      ['B', '2'],
      ['C', ''],
    ]);
    const [a] = parseDotenv(text);
    assert.equal(text.slice(a!.valueStart, a!.valueEnd), '1');
    assert.equal(text.slice(a!.start, a!.end), 'A=1\r\n');
  });

  it('reads an unclosed quote as text to the end of its line', () => {
    assert.deepEqual(values('A="open\nB=2\n'), [
      ['A', '"open'],
      ['B', '2'],
    ]);
  });

  it('reads a hostile file in one pass: every line an unclosed quote, binary, very long lines', () => {
    // Each quote closes at the next line's: the file is read once, two lines an entry.
    const paired = 'A="x\n'.repeat(50_000);
    assert.equal(parseDotenv(paired).length, 25_000);
    assert.equal(parseDotenv(paired)[0]?.value, 'x\nA=');
    // One quote that never closes, before many lines: searched for once.
    const unclosed = `A=\`x\n${'B="y" C=\'z\'\n'.repeat(50_000)}`;
    assert.equal(parseDotenv(unclosed).length, 50_001);
    const escapes = `A="${'\\'.repeat(1_000_000)}`;
    assert.equal(parseDotenv(escapes).length, 1);
    const binary = '\u0000\u0001KEY=\u0000\uFFFD\n'.repeat(10_000);
    assert.equal(parseDotenv(binary).length, 0, 'a name starts a line');
    const long = `KEY=${'a #'.repeat(1_000_000)}`;
    assert.equal(parseDotenv(long)[0]?.value, 'a');
  });

  it('names files and keys', () => {
    assert.ok(isDotenvFileName('/w/.env') && isDotenvFileName('.env.local') && isDotenvFileName('C:\\w\\prod.env'));
    assert.ok(!isDotenvFileName('.envrc') && !isDotenvFileName('env.js'));
    assert.equal(environmentOfFile('.env.production'), 'production');
    assert.equal(environmentOfFile('/w/staging.env'), 'staging');
    assert.equal(environmentOfFile('.env.local'), 'development');
    assert.equal(environmentOfFile('.env'), undefined);
    assert.equal(proposedKeyName('UPPZY_API_KEY', 'production'), 'uppzy-api-key-production');
    assert.equal(proposedKeyName('__', 'eu production'), 'api-key-eu-production');
    assert.ok(looksLikeSecretName('STRIPE_SECRET_KEY') && looksLikeSecretName('GITHUB_TOKEN') && looksLikeSecretName('apikey'));
    assert.ok(!looksLikeSecretName('PORT') && !looksLikeSecretName('MONKEY_COUNT') && !looksLikeSecretName('DATABASE_HOST'));
  });
});
