import * as assert from 'node:assert/strict';
import { BUILT_IN_PROVIDERS } from '../../src/core/providers/builtIn';
import { describeAuth } from '../../src/core/providers/presentation';

describe('built-in providers', () => {
  it('are the four documented providers, by id', () => {
    assert.deepEqual(
      BUILT_IN_PROVIDERS.map((provider) => provider.id),
      ['saleslayer', 'uppzy', 'scaleflex', 'layerx402'],
    );
  });

  it('describe how each sends its key', () => {
    assert.deepEqual(
      BUILT_IN_PROVIDERS.map((provider) => describeAuth(provider.auth)),
      ['X-API-KEY header', 'X-API-Key header', 'X-Filerobot-Key header', 'Bearer token'],
    );
  });
});
