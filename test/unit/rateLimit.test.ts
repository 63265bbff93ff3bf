import * as assert from 'node:assert/strict';
import { BUILT_IN_PROVIDERS } from '../../src/core/providers/builtIn';
import { describeHeadroom, describePlan, isNearlyOut, readRateLimit, readResetTime, type ResponseHeaders } from '../../src/core/rateLimit';

const NOW = Date.parse('2026-12-02T13:40:00Z');
const read = (headers: ResponseHeaders) => readRateLimit(headers, NOW);
const at = (ms: number) => new Date(ms).toISOString();
const layerx402 = BUILT_IN_PROVIDERS.find((provider) => provider.id === 'layerx402')!;
const github = BUILT_IN_PROVIDERS.find((provider) => provider.id === 'github')!;

describe('readRateLimit', () => {
  it('reads X-RateLimit-* with Reset in Unix seconds (Layerx402, GitHub)', () => {
    const reset = Date.parse('2026-12-02T14:05:00Z') / 1000;
    assert.deepEqual(read({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '87', 'x-ratelimit-reset': String(reset) }), {
      limit: 100,
      remaining: 87,
      resetAt: '2026-12-02T14:05:00.000Z',
    });
  });

  it('tells a Reset in seconds from now, in Unix seconds and in Unix milliseconds apart, and ignores one that is none of them', () => {
    const resetOf = (reset: string) => read({ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': reset })?.resetAt;
    assert.equal(resetOf('30'), at(NOW + 30_000));
    assert.equal(resetOf('0'), at(NOW));
    assert.equal(resetOf('999999999'), at(NOW + 999_999_999_000), 'just below 1e9 is still a delta');
    assert.equal(resetOf('1000000000'), '2001-09-09T01:46:40.000Z', '1e9 and above is Unix seconds');
    assert.equal(resetOf('1796219100.5'), at(1_796_219_100_500), 'fractional Unix seconds');
    assert.equal(resetOf(String(NOW + 60_000)), at(NOW + 60_000), 'Unix milliseconds');
    assert.equal(resetOf('500000000000'), undefined, 'between Unix seconds and milliseconds: neither');
    assert.equal(resetOf('100000000000000'), undefined);
  });

  it('reads the IETF structured fields: RateLimit with the RateLimit-Policy of the same name', () => {
    assert.deepEqual(read({ ratelimit: '"default";r=50;t=30', 'ratelimit-policy': '"default";q=100;w=60' }), {
      limit: 100,
      remaining: 50,
      resetAt: at(NOW + 30_000),
    });
    // The policy that will refuse first counts; names may hold commas and escaped quotes.
    assert.deepEqual(
      read({
        ratelimit: '"hourly, all";r=900;t=3000, "per \\"second\\"";r=2;t=1',
        'ratelimit-policy': '"hourly, all";q=1000;w=3600, "per \\"second\\"";q=10;w=1',
      }),
      { limit: 10, remaining: 2, resetAt: at(NOW + 1000) },
    );
    assert.deepEqual(read({ ratelimit: '"default";r=50;t=30', 'ratelimit-policy': '"other";q=100;w=60' }), { remaining: 50, resetAt: at(NOW + 30_000) });
    assert.deepEqual(read({ ratelimit: '"default";r=7' }), { remaining: 7 });
  });

  it('reads the IETF dictionary of drafts 06 and 07 and the separate fields of drafts 00 to 05, whose Reset is seconds from now', () => {
    assert.deepEqual(read({ ratelimit: 'limit=100, remaining=50, reset=5' }), { limit: 100, remaining: 50, resetAt: at(NOW + 5000) });
    assert.deepEqual(read({ 'ratelimit-limit': '100, 100;w=60, 1000;w=3600', 'ratelimit-remaining': '42', 'ratelimit-reset': '17' }), {
      limit: 100,
      remaining: 42,
      resetAt: at(NOW + 17_000),
    });
  });

  it("reads OpenAI's request counts and their duration reset", () => {
    const openAi = (reset: string) =>
      read({ 'x-ratelimit-limit-requests': '5000', 'x-ratelimit-remaining-requests': '4999', 'x-ratelimit-reset-requests': reset });
    assert.deepEqual(openAi('12ms'), { limit: 5000, remaining: 4999, resetAt: at(NOW + 12) });
    assert.equal(openAi('6m0s')?.resetAt, at(NOW + 360_000));
    assert.equal(openAi('1h2m3.5s')?.resetAt, at(NOW + 3_723_500));
    assert.deepEqual(openAi('soon'), { limit: 5000, remaining: 4999 });
  });

  it('prefers the IETF fields, then a family that gives a remaining count', () => {
    assert.equal(read({ ratelimit: '"default";r=1', 'x-ratelimit-remaining': '99' })?.remaining, 1);
    assert.deepEqual(read({ 'ratelimit-reset': '30', 'x-ratelimit-remaining': '3' }), { remaining: 3 });
    assert.equal(readResetTime({ 'ratelimit-reset': '30', 'x-ratelimit-remaining': '3' }, NOW), undefined);
    assert.equal(readResetTime({ 'x-ratelimit-reset': '30' }, NOW), NOW + 30_000, 'a bare reset still gives a 429 its wait');
  });

  it('ignores what is not a clean number: negative, fractional, hex, exponent, padded garbage, huge or non-text values', () => {
    for (const remaining of ['-1', '1.5', '0x10', '1e3', '12abc', 'abc', '', ' ', 'NaN', 'Infinity', '9'.repeat(16), '٣']) {
      assert.equal(read({ 'x-ratelimit-remaining': remaining, 'x-ratelimit-limit': '100' }), undefined, JSON.stringify(remaining));
    }
    assert.equal(read({ 'x-ratelimit-remaining': 5 as unknown as string }), undefined);
    assert.deepEqual(read({ 'x-ratelimit-remaining': ' 12 ', 'x-ratelimit-limit': '-100', 'x-ratelimit-reset': '-5' }), { remaining: 12 });
    assert.equal(read({ ratelimit: '"default";r=-3;t=1' }), undefined);
    assert.equal(read({ ratelimit: 'remaining=1.5' }), undefined);
  });

  it('reads a repeated field only when its copies agree', () => {
    assert.equal(read({ 'x-ratelimit-remaining': ['7', '7'] })?.remaining, 7);
    assert.equal(read({ 'x-ratelimit-remaining': ['7', '700'] }), undefined);
    assert.equal(read({ 'x-ratelimit-remaining': [] }), undefined);
  });

  it('reads huge and malformed fields in bounded work, without throwing', () => {
    const huge = `${'9'.repeat(1_000_000)}`;
    const hostile: ResponseHeaders[] = [
      { 'x-ratelimit-remaining': huge, 'x-ratelimit-limit': huge, 'x-ratelimit-reset': huge },
      { 'x-ratelimit-remaining': `1${' '.repeat(1_000_000)}x` },
      { ratelimit: `"${'a'.repeat(1_000_000)}` },
      { ratelimit: `${';'.repeat(1_000_000)}`, 'ratelimit-policy': ','.repeat(1_000_000) },
      { ratelimit: Array.from({ length: 100_000 }, (_, index) => `"p${index}";r=${index}`).join(', ') },
      { ratelimit: '"\\', 'ratelimit-policy': '"' },
      { ratelimit: '=;=;=,,,;;"', 'x-ratelimit-reset-requests': `${'1h'.repeat(100_000)}` },
      { 'x-ratelimit-reset-requests': `${'9'.repeat(100_000)}ms`, 'x-ratelimit-remaining-requests': '1' },
    ];
    for (const headers of hostile) {
      assert.doesNotThrow(() => read(headers));
    }
    assert.equal(read(hostile[0]!), undefined);
    // Cut short, `r=12345` could read as `r=12`: an over-long field is not read at all.
    assert.equal(read(hostile[1]!), undefined);
    assert.equal(read(hostile[4]!), undefined);
    assert.deepEqual(read(hostile[7]!), { remaining: 1 });
    const policies = Array.from({ length: 40 }, (_, index) => `"p${index}";r=${40 - index}`).join(',');
    assert.equal(read({ ratelimit: policies })?.remaining, 25, 'only the first 16 members of a list are read');
  });
});

describe('rate-limit headroom in words', () => {
  const time = (ms: number) => new Date(ms).toLocaleString(undefined, { hour: 'numeric', minute: '2-digit' });

  it("says how many requests are left and when the limit resets, in the reader's time format", () => {
    const reset = NOW + 25 * 60_000;
    assert.equal(describeHeadroom({ limit: 100, remaining: 87, resetAt: at(reset) }, NOW), `87 of 100 requests left, resets ${time(reset)}`);
    assert.match(describeHeadroom({ limit: 100, remaining: 87, resetAt: at(reset) }, NOW, 'de-DE'), /^87 of 100 requests left, resets \d\d:\d\d$/);
    assert.equal(describeHeadroom({ limit: 5000, remaining: 4987 }, NOW), '4,987 of 5,000 requests left');
    assert.equal(describeHeadroom({ remaining: 1 }, NOW), '1 request left');
  });

  it('names the day of a reset that is not today, and says so once a reset has passed', () => {
    const tomorrow = describeHeadroom({ limit: 100, remaining: 3, resetAt: '2026-12-04T09:30:00Z' }, NOW, 'en-GB');
    assert.match(tomorrow, /^3 of 100 requests left, resets \d Dec(,| at) \d{1,2}:\d\d$/);
    assert.match(
      describeHeadroom({ limit: 100, remaining: 87, resetAt: at(NOW - 60_000) }, NOW, 'de-DE'),
      /^87 of 100 requests left at the last check; the limit has reset since \(\d\d:\d\d\)$/,
    );
  });

  it('calls a key nearly out at 10% of its limit left or none left', () => {
    assert.equal(isNearlyOut({ limit: 100, remaining: 10 }), true);
    assert.equal(isNearlyOut({ limit: 100, remaining: 11 }), false);
    assert.equal(isNearlyOut({ limit: 100, remaining: 0 }), true);
    assert.equal(isNearlyOut({ remaining: 0 }), true);
    assert.equal(isNearlyOut({ remaining: 3 }), false, 'without a limit, only none left is nearly out');
  });

  it('names the Layerx402 plan a limit implies, from the provider definition', () => {
    const plan = (limit: number | undefined) => describePlan(layerx402, { remaining: 1, ...(limit === undefined ? {} : { limit }) });
    assert.equal(plan(100), 'Standard plan (100 requests a minute)');
    assert.equal(plan(120), 'Standard plan (100 requests a minute)', 'the documented burst');
    assert.equal(plan(1000), 'Premium plan (1,000 requests a minute)');
    assert.equal(plan(5000), 'Enterprise plan (a custom limit of 5,000 requests)');
    assert.equal(plan(undefined), undefined);
    assert.equal(describePlan(github, { limit: 5000, remaining: 1 }), undefined, 'a provider without plans names none');
  });
});
