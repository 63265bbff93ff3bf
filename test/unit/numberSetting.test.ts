import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { boundedNumber, type NumberSchema } from '../../src/core/numberSetting';

const TIMEOUT: NumberSchema = { type: 'integer', default: 10000, minimum: 1000, maximum: 120000 };

describe('boundedNumber', () => {
  it('clamps a number to the bounds, so a workspace cannot set a 24-day timeout or none at all', () => {
    assert.equal(boundedNumber(24 * 24 * 3600 * 1000, TIMEOUT), 120000);
    assert.equal(boundedNumber(0, TIMEOUT), 1000);
    assert.equal(boundedNumber(-1, TIMEOUT), 1000);
    assert.equal(boundedNumber(5000, TIMEOUT), 5000);
  });

  it('gives the default for what is not a finite number', () => {
    for (const value of ['abc', '5000', null, undefined, Number.NaN, Number.POSITIVE_INFINITY, true, [5000], { value: 5000 }]) {
      assert.equal(boundedNumber(value, TIMEOUT), 10000, JSON.stringify(value));
    }
  });

  it('rounds an integer setting and keeps a fraction where the schema allows one', () => {
    assert.equal(boundedNumber(2.6, { type: 'integer', default: 4, minimum: 1, maximum: 20 }), 3);
    assert.equal(boundedNumber(2.5, { type: 'number', default: 1 }), 2.5);
  });

  it('covers every numeric setting package.json declares, each with a default and both bounds', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, NumberSchema & { type: string }> } };
    };
    const numeric = Object.entries(manifest.contributes.configuration.properties).filter(([, schema]) => ['integer', 'number'].includes(schema.type));
    assert.deepEqual(
      numeric.map(([name]) => name),
      ['apiKeyGuard.checkTimeoutMs', 'apiKeyGuard.checkConcurrency', 'apiKeyGuard.reminderDays'],
      'settings.ts names exactly these',
    );
    for (const [name, schema] of numeric) {
      assert.ok(typeof schema.default === 'number' && schema.minimum !== undefined && schema.maximum !== undefined, name);
      assert.equal(boundedNumber(schema.default, schema), schema.default, `${name}: the default is within the bounds`);
    }
  });
});
