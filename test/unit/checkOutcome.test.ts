import * as assert from 'node:assert/strict';
import { providerRemovedResult, readAnswer, secretMissingResult, unusableSettingsResult, type ProviderAnswer } from '../../src/core/checkOutcome';
import { BUILT_IN_PROVIDERS } from '../../src/core/providers/builtIn';

const layerx402 = BUILT_IN_PROVIDERS.find((provider) => provider.id === 'layerx402')!;
const NOW = Date.parse('2025-01-01T00:00:00Z');
const answer = (status: number, headers: ProviderAnswer['headers'] = {}, body = ''): ProviderAnswer => ({
  status,
  headers,
  body,
  url: new URL('https://api.layerx402.dev/portfolio/x'),
  now: NOW,
});
const read = (value: ProviderAnswer) => readAnswer(layerx402, value, (text) => text);

describe('readAnswer', () => {
  it('takes the wait from Retry-After seconds, Retry-After dates, X-RateLimit-Reset and the body, in that order', () => {
    assert.equal(read(answer(429, { 'retry-after': '7' })).retryAfterSeconds, 7);
    assert.equal(read(answer(429, { 'retry-after': new Date(NOW + 90_000).toUTCString() })).retryAfterSeconds, 90);
    assert.equal(read(answer(429, { 'x-ratelimit-reset': String(NOW / 1000 + 12) })).retryAfterSeconds, 12);
    assert.equal(read(answer(429, {}, '{"success":false,"error":{"code":"RATE_LIMIT_EXCEEDED","details":{"retryAfter":5}}}')).retryAfterSeconds, 5);
    assert.equal(read(answer(429, {}, '{"retryAfter":3}')).retryAfterSeconds, 3);
    assert.equal(read(answer(429)).retryAfterSeconds, undefined);
  });

  it('reports undocumented statuses as unexpected-response', () => {
    const reading = read(answer(418, { 'content-type': 'text/plain' }, "I'm a teapot"));
    assert.equal(reading.outcome, 'unexpected-response');
    assert.match(reading.message, /HTTP 418: "I'm a teapot"/);
  });

  it('names the same-origin path of a redirect, and only the origin of another', () => {
    assert.match(read(answer(301, { location: '/v2/portfolio/x?token=abc' })).message, /to \/v2\/portfolio\/x on the same server/);
    const away = read(answer(307, { location: 'https://evil.example/steal?x=1' })).message;
    assert.match(away, /to https:\/\/evil\.example \(HTTP 307\); the key was not sent there/);
    assert.ok(!away.includes('steal'));
  });

  it('keeps server text to one short line', () => {
    const reading = read(answer(401, {}, JSON.stringify({ error: { message: `line one\nline two ${'x'.repeat(500)}` } })));
    assert.ok(!reading.message.includes('\n'));
    assert.ok(reading.message.length < 400, reading.message);
  });
});

describe('checks that could not be sent', () => {
  it('are not-checkable, not a provider answer, and say in one sentence how to make the key checkable again', () => {
    const removed = providerRemovedResult('acme');
    const unusable = unusableSettingsResult('Tenant (tenantId) is required: The tenant the key belongs to.');
    const missing = secretMissingResult();
    for (const result of [removed, unusable, missing]) {
      assert.equal(result.outcome, 'not-checkable');
      assert.equal(result.httpStatus, undefined);
      assert.equal(result.latencyMs, 0);
      assert.match(result.message, /^Nothing was sent, because .*\.$/);
      assert.doesNotMatch(result.message, /[.!?]\s/, 'one sentence');
    }
    assert.match(removed.message, /the provider 'acme' is no longer defined: add it back in settings \(apiKeyGuard\.customProviders\) or remove this key\.$/);
    assert.match(unusable.message, /\(Tenant \(tenantId\) is required: The tenant the key belongs to\): fix them with "Edit Key Details"\.$/);
    assert.match(missing.message, /secret storage no longer has this key: enter it again with "Rotate Key"\.$/);
    assert.deepEqual(
      [removed, unusable, missing].map((result) => result.notCheckableReason),
      ['provider-removed', 'unusable-settings', 'secret-missing'],
      'the caller can offer the fitting next step',
    );
  });
});
