import * as assert from 'node:assert/strict';
import { planName, type CheckResult } from '../../src/core/checkOutcome';
import {
  describeDaysUntil,
  findDateProblem,
  findVariableNameProblem,
  isDue,
  keyStatus,
  secondsUntilRetry,
  toLastCheck,
  type KeyRecord,
  type LastCheck,
} from '../../src/core/keyRecord';

const NOW = new Date('2026-11-23T12:00:00Z');
const BASE: KeyRecord = { id: 'k1', providerId: 'uppzy', name: 'prod-order-bot', environment: 'production', createdAt: '2026-01-01T00:00:00Z', params: {} };
const checked = (outcome: NonNullable<KeyRecord['lastCheck']>['outcome'], extra: Partial<NonNullable<KeyRecord['lastCheck']>> = {}): KeyRecord => ({
  ...BASE,
  lastCheck: { outcome, message: '', latencyMs: 5, at: NOW.toISOString(), ...extra },
});

describe('key status', () => {
  it('is unchecked, working or failing by the last check', () => {
    assert.equal(keyStatus(BASE, NOW, 14), 'unchecked');
    assert.equal(keyStatus(checked('ok'), NOW, 14), 'working');
    assert.equal(keyStatus(checked('unauthorized'), NOW, 14), 'failing');
    assert.equal(keyStatus(checked('timeout'), NOW, 14), 'failing');
    assert.equal(keyStatus(checked('not-checkable'), NOW, 14), 'not-checkable', 'nothing was sent, so nothing failed');
  });

  it('is rate limited while the provider asked to wait, then back to what it was', () => {
    const limited = checked('rate-limited', { retryAfterSeconds: 60 });
    assert.equal(keyStatus(limited, NOW, 14), 'rate-limited');
    assert.equal(secondsUntilRetry(limited.lastCheck!, NOW), 60);
    const later = new Date(NOW.getTime() + 61_000);
    assert.equal(keyStatus(limited, later, 14), 'unchecked');
    assert.equal(secondsUntilRetry(limited.lastCheck!, later), 0);
  });

  it('warns before expiry or rotation, and says expired once the day has passed', () => {
    assert.equal(keyStatus({ ...checked('ok'), expiresOn: '2026-12-01' }, NOW, 14), 'expiring');
    assert.equal(keyStatus({ ...checked('ok'), expiresOn: '2027-06-01' }, NOW, 14), 'working');
    assert.equal(keyStatus({ ...checked('ok'), rotateBy: '2026-11-30' }, NOW, 14), 'expiring');
    assert.equal(keyStatus({ ...checked('ok'), expiresOn: '2026-11-23' }, NOW, 14), 'expiring', 'valid through its last day');
    assert.equal(keyStatus({ ...checked('ok'), expiresOn: '2026-11-22' }, NOW, 14), 'expired');
    assert.ok(isDue({ ...BASE, rotateBy: '2026-12-07' }, NOW, 14));
    assert.ok(!isDue({ ...BASE, rotateBy: '2026-12-08' }, NOW, 14));
  });

  it('puts what needs the user first: a storage that cannot be read, a missing secret, then a key waiting to be revoked', () => {
    assert.equal(keyStatus({ ...checked('ok'), replacedBy: 'k2' }, NOW, 14), 'to-revoke');
    assert.equal(keyStatus({ ...checked('ok'), replacedBy: 'k2' }, NOW, 14, { secret: 'missing' }), 'missing-secret');
    assert.equal(keyStatus({ ...checked('ok'), replacedBy: 'k2' }, NOW, 14, { secret: 'unreadable' }), 'storage-unreadable');
    assert.equal(keyStatus(checked('unauthorized'), NOW, 14, { secret: 'unreadable', providerDefined: false }), 'storage-unreadable', 'not a missing secret');
    assert.equal(keyStatus({ ...checked('unauthorized'), expiresOn: '2020-01-01' }, NOW, 14), 'expired');
  });

  it('cannot be checked once its provider is no longer defined, whatever the last check said, after what needs the user more', () => {
    const gone = { providerDefined: false };
    for (const record of [
      BASE,
      checked('ok'),
      checked('unauthorized'),
      checked('rate-limited', { retryAfterSeconds: 60 }),
      { ...checked('ok'), rotateBy: '2026-11-30' },
    ]) {
      assert.equal(keyStatus(record, NOW, 14, gone), 'not-checkable', JSON.stringify(record.lastCheck));
    }
    assert.equal(keyStatus({ ...BASE, replacedBy: 'k2' }, NOW, 14, gone), 'to-revoke');
    assert.equal(keyStatus({ ...BASE, expiresOn: '2026-11-22' }, NOW, 14, gone), 'expired');
    assert.equal(keyStatus(BASE, NOW, 14, { ...gone, secret: 'missing' }), 'missing-secret');
  });

  it('describes dates in words', () => {
    assert.equal(describeDaysUntil('2026-11-23', NOW), 'today');
    assert.equal(describeDaysUntil('2026-11-24', NOW), 'in 1 day');
    assert.equal(describeDaysUntil('2026-11-20', NOW), '3 days ago');
  });
});

describe('key detail validation', () => {
  it('accepts calendar dates only', () => {
    assert.equal(findDateProblem('2027-01-31'), undefined);
    assert.match(findDateProblem('2027-02-30')!, /calendar/);
    assert.match(findDateProblem('31/01/2027')!, /YYYY-MM-DD/);
  });

  it('accepts environment variable names every shell takes', () => {
    assert.equal(findVariableNameProblem('UPPZY_API_KEY'), undefined);
    assert.ok(findVariableNameProblem('1KEY'));
    assert.ok(findVariableNameProblem('MY-KEY'));
    assert.ok(findVariableNameProblem('KEY; rm -rf /'));
  });
});

describe('the last check as recorded', () => {
  const result = (extra: Partial<CheckResult> = {}): CheckResult => ({ outcome: 'ok', latencyMs: 12.4, message: 'Layerx402 accepted the key.', ...extra });

  it('keeps the plan the answer named, through the JSON the metadata is stored as', () => {
    const recorded = toLastCheck(result({ plan: 'Premium', rateLimit: { limit: 1000, remaining: 999 } }), NOW);
    assert.deepEqual(recorded, {
      outcome: 'ok',
      message: 'Layerx402 accepted the key.',
      latencyMs: 12,
      at: NOW.toISOString(),
      rateLimit: { limit: 1000, remaining: 999 },
      plan: 'Premium',
    });
    assert.deepEqual(JSON.parse(JSON.stringify(recorded)), recorded);
  });

  it('records no plan for an answer that named none, as records of older versions have none', () => {
    assert.ok(!('plan' in toLastCheck(result(), NOW)));
    const older = { outcome: 'ok', message: '', latencyMs: 5, at: NOW.toISOString() } as LastCheck;
    assert.equal(keyStatus({ ...BASE, lastCheck: older }, NOW, 14), 'working');
  });

  it('records a hostile plan name as one short line of visible text, or not at all', () => {
    const plan = (value: unknown) => toLastCheck(result({ plan: value as string }), NOW).plan;
    assert.equal(plan('Premium\r\n\u001b[2J\u202eTrial\u200b'), 'Premium [2J Trial');
    assert.equal(plan(`Premium ${'x'.repeat(100)}`), `Premium ${'x'.repeat(31)}…`);
    assert.equal(plan(`Premium ${'x'.repeat(100)}`)!.length, 40);
    for (const nothing of ['', ' \n\t\u200b', 42, { name: 'Premium' }, ['Premium'], null]) {
      assert.equal(plan(nothing), undefined, JSON.stringify(nothing));
    }
    // What the tooltip shows of stored metadata goes through the same reading.
    assert.equal(planName('  Enterprise  '), 'Enterprise');
    assert.equal(planName({ toString: () => 'Premium' }), undefined);
  });
});
