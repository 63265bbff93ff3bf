import * as assert from 'node:assert/strict';
import { createRedactor, maskSecret, redact, redactCredentials } from '../../src/core/redaction';

const KEY = 'U2FsZXM+TGF5ZXI/a2V5/AbCdEfGh==';

describe('maskSecret', () => {
  it('shows no characters of keys under 12 characters', () => {
    assert.equal(maskSecret('abc'), '****');
    assert.equal(maskSecret('abcdefghijk'), '****');
  });
  it('shows the last 2 characters from 12 and the last 4 from 20', () => {
    assert.equal(maskSecret('abcdefghijkl'), '****kl');
    assert.equal(maskSecret('19692813e7364ef8ad6a6504d50a12ca'), '****12ca');
  });
});

describe('redact', () => {
  const masked = maskSecret(KEY);
  const forms: readonly [string, string][] = [
    ['raw', KEY],
    ['percent-encoded', encodeURIComponent(KEY)],
    ['lowercase percent-encoded', encodeURIComponent(KEY).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())],
    ['JSON-escaped slashes', KEY.replace(/\//g, '\\/')],
    ['base64', Buffer.from(KEY).toString('base64')],
    ['base64url', Buffer.from(KEY).toString('base64url')],
    ['a long fragment', KEY.slice(3, 17)],
  ];
  for (const [name, form] of forms) {
    it(`masks the ${name} form`, () => {
      const text = redact(`error: key ${form} is invalid`, [KEY]);
      assert.ok(!text.includes(form), text);
      assert.ok(text.includes(masked), text);
    });
  }

  it('masks every occurrence and leaves other text alone', () => {
    assert.equal(redact(`${KEY} and ${KEY}, HTTP 401`, [KEY]), `${masked} and ${masked}, HTTP 401`);
  });

  it('ignores empty secrets', () => {
    assert.equal(redact('nothing to hide', ['']), 'nothing to hide');
  });
});

describe('redactCredentials', () => {
  it('masks authorization headers, key-like query parameters and URL passwords', () => {
    const line = redactCredentials(
      'Authorization: Bearer abcdefghijklmnopqrstuvwx GET https://u:hunter2hunter2@proxy/x?api_key=abcdefghijklmnop0123&limit=1 X-API-KEY: 1234567890abcdef',
    );
    assert.ok(!/abcdefghijklmnopqrstuvwx|hunter2hunter2|abcdefghijklmnop0123|1234567890abcdef/.test(line), line);
    assert.match(line, /limit=1/);
  });

  it('combines with known secrets in createRedactor', () => {
    const redactor = createRedactor(['short-but-secret']);
    assert.equal(redactor('got short-but-secret'), 'got ****et');
  });
});
