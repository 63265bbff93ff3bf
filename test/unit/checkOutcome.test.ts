import * as assert from 'node:assert/strict';
import { providerRemovedResult, readAnswer, secretMissingResult, unusableSettingsResult, type ProviderAnswer } from '../../src/core/checkOutcome';
import { BUILT_IN_PROVIDERS } from '../../src/core/providers/builtIn';

const layerx402 = BUILT_IN_PROVIDERS.find((provider) => provider.id === 'layerx402')!;
const github = BUILT_IN_PROVIDERS.find((provider) => provider.id === 'github')!;
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

  it('records the rate-limit headroom on every outcome', () => {
    const headers = { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '87', 'x-ratelimit-reset': String(NOW / 1000 + 60) };
    const expected = { limit: 100, remaining: 87, resetAt: new Date(NOW + 60_000).toISOString() };
    for (const [status, outcome] of [
      [200, 'ok'],
      [401, 'unauthorized'],
      [403, 'forbidden'],
      [429, 'rate-limited'],
      [503, 'server-error'],
      [302, 'redirect-blocked'],
    ] as const) {
      const reading = read(answer(status, headers, '{}'));
      assert.equal(reading.outcome, outcome);
      assert.deepEqual(reading.rateLimit, expected, `HTTP ${status}`);
    }
    assert.equal('rateLimit' in read(answer(200, { 'x-ratelimit-remaining': 'lots' })), false);
  });

  it("reads GitHub's 403 with no requests left as rate-limited, waiting for the reset, as its definition says", () => {
    const githubRead = (status: number, remaining: string) =>
      readAnswer(
        github,
        {
          ...answer(status, { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': remaining, 'x-ratelimit-reset': String(NOW / 1000 + 600) }),
          body: '{"message":"API rate limit exceeded for user ID 1."}',
        },
        (text) => text,
      );
    const exhausted = githubRead(403, '0');
    assert.equal(exhausted.outcome, 'rate-limited');
    assert.equal(exhausted.retryAfterSeconds, 600);
    assert.match(exhausted.message, /^GitHub is rate limiting this key \(HTTP 403: "API rate limit exceeded for user ID 1\."\): .*; retry in 600 s\.$/);
    assert.equal(githubRead(403, '12').outcome, 'forbidden', 'requests left: a refusal for another reason');
    assert.equal(githubRead(401, '0').outcome, 'unauthorized', 'only the statuses the definition names');
    // Layerx402 documents 403 as a plan without the endpoint, whatever the count says.
    assert.equal(read(answer(403, { 'x-ratelimit-remaining': '0' })).outcome, 'forbidden');
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
    assert.match(missing.message, /secret storage no longer has this key: enter it again with "Re-enter Key"\.$/);
    assert.deepEqual(
      [removed, unusable, missing].map((result) => result.notCheckableReason),
      ['provider-removed', 'unusable-settings', 'secret-missing'],
      'the caller can offer the fitting next step',
    );
  });
});
