import * as assert from 'node:assert/strict';
import { isLaunchEntry, parseKeyRequests, withEnvironment } from '../../src/core/programKeys';

const SECRETS = new Map([['UPPZY_API_KEY', 'upz_live_0123456789abcdef']]);

describe('keys named in a configuration', () => {
  it('maps environment variables to key names, and says what is wrong with anything else', () => {
    assert.deepEqual(
      parseKeyRequests({ UPPZY_API_KEY: ' prod-order-bot ', SL_KEY: 'crm' }),
      new Map([
        ['UPPZY_API_KEY', 'prod-order-bot'],
        ['SL_KEY', 'crm'],
      ]),
    );
    assert.match(String(parseKeyRequests('prod-order-bot')), /must be an object that maps environment variables to key names/);
    assert.match(String(parseKeyRequests(['UPPZY_API_KEY'])), /must be an object/);
    assert.match(String(parseKeyRequests({ '1BAD': 'x' })), /"1BAD" is not an environment variable name/);
    assert.match(String(parseKeyRequests({ 'A;rm -rf': 'x' })), /not an environment variable name/);
    assert.match(String(parseKeyRequests({ UPPZY_API_KEY: '' })), /"UPPZY_API_KEY" must name a key/);
    assert.match(String(parseKeyRequests({ UPPZY_API_KEY: { value: 'upz_live_x' } })), /must name a key/);
  });

  it('puts the keys into the env object of the debug types that have one, keeping what else it held', () => {
    for (const type of ['node', 'python', 'debugpy', 'go', 'java', 'php']) {
      assert.deepEqual(withEnvironment({ type, env: { NODE_ENV: 'test', UPPZY_API_KEY: 'placeholder' } }, type, SECRETS), {
        type,
        env: { NODE_ENV: 'test', UPPZY_API_KEY: 'upz_live_0123456789abcdef' },
      });
    }
    assert.deepEqual(withEnvironment({ type: 'node' }, 'node', SECRETS), { type: 'node', env: { UPPZY_API_KEY: 'upz_live_0123456789abcdef' } });
  });

  it("puts them into cppdbg's environment array, replacing an entry of the same name", () => {
    const configuration = {
      type: 'cppdbg',
      environment: [
        { name: 'UPPZY_API_KEY', value: 'old' },
        { name: 'LANG', value: 'C' },
      ],
    };
    assert.deepEqual(withEnvironment(configuration, 'cppdbg', SECRETS)?.environment, [
      { name: 'LANG', value: 'C' },
      { name: 'UPPZY_API_KEY', value: 'upz_live_0123456789abcdef' },
    ]);
    assert.equal(configuration.environment.length, 2, 'the configuration passed in is left as it was');
  });

  it('puts them nowhere for a debug type whose environment field is unknown', () => {
    assert.equal(withEnvironment({ type: 'made-up', env: {} }, 'made-up', SECRETS), undefined);
  });

  it("tells one of the workspace's own launch configurations from one made up after it", () => {
    const entry = { type: 'node', request: 'launch', name: 'Run', program: '${workspaceFolder}/main.js', apiKeyGuard: { K: 'orders' }, linux: { x: 1 } };
    const filled = { ...entry, type: 'pwa-node', linux: undefined, cwd: '${workspaceFolder}', env: {}, __workspaceFolder: '/w' };
    assert.ok(isLaunchEntry(filled, entry), 'a debugger may add its defaults and rename its type, and the platform sections may be folded in already');
    assert.ok(!isLaunchEntry({ ...filled, type: 'python' }, entry), 'another debugger');
    assert.ok(!isLaunchEntry({ ...filled, program: '/tmp/evil.js' }, entry), 'another program');
    assert.ok(!isLaunchEntry({ ...filled, apiKeyGuard: { K: 'orders', L: 'crm' } }, entry), 'more keys');
    assert.ok(!isLaunchEntry({ ...filled, name: 'Run ' }, entry), 'another name');
  });
});
