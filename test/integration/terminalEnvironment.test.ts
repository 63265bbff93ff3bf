import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KeyRecord, LastCheck } from '../../src/core/keyRecord';
import { activateExtension, eventually } from './activate';
import { FlakySecrets, MemoryMemento, MemoryTerminalVariables } from './storageDoubles';

const SECRETS = ['upz_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaa111', 'upz_live_bbbbbbbbbbbbbbbbbbbbbbbbbbbbb222', 'upz_live_ccccccccccccccccccccccccccccc333'];
const checkResult = (outcome: LastCheck['outcome']): LastCheck => ({
  outcome,
  message: `${outcome} from the test`,
  latencyMs: 1,
  at: '2026-01-01T00:00:00.000Z',
});

describe('terminal variables over a counting secret storage', () => {
  it('read a secret only when its key gets a variable or its secret changes, never for check results or renames', async () => {
    const api = await activateExtension();
    const secrets = new FlakySecrets();
    const store = api.createStore(secrets, new MemoryMemento());
    const variables = new MemoryTerminalVariables();
    const terminal = api.createTerminalEnvironment(store, variables);
    const orders = await store.add(
      { providerId: 'uppzy', name: 'orders', environment: 'production', params: {}, terminalVariable: 'UPPZY_API_KEY' },
      SECRETS[0]!,
    );
    const crm = await store.add({ providerId: 'uppzy', name: 'crm', environment: 'staging', params: {} }, SECRETS[1]!);
    await terminal.update();
    assert.deepEqual(Object.fromEntries(variables.values), { UPPZY_API_KEY: SECRETS[0] });
    assert.equal(secrets.reads, 1, 'only the key with a variable was read, once');

    // What Check All does to the store: one result per key, each a metadata change; then a rename.
    for (const outcome of ['unauthorized', 'ok'] as const) {
      for (const record of [orders, crm]) {
        await store.update(record.id, (current) => ({ ...current, lastCheck: checkResult(outcome) }));
      }
    }
    await store.update(orders.id, (current) => ({ ...current, name: 'orders-bot' }));
    await terminal.update();
    assert.equal(secrets.reads, 1, 'metadata changes read no secret');
    assert.match((variables.description as vscode.MarkdownString).value, /`UPPZY_API_KEY` \(key 'orders-bot'\)/, 'the description has the new name');

    // Another window enters a new secret for the key: only its event arrives here.
    await secrets.store(`apiKeyGuard.key.${orders.id}`, SECRETS[2]!);
    await terminal.update();
    assert.equal(variables.values.get('UPPZY_API_KEY'), SECRETS[2], 'new terminals get the new secret');
    assert.equal(secrets.reads, 2, 'only the changed key was read again');

    await store.update(crm.id, (current) => ({ ...current, terminalVariable: 'CRM_API_KEY' }));
    await terminal.update();
    assert.deepEqual(Object.fromEntries(variables.values), { UPPZY_API_KEY: SECRETS[2], CRM_API_KEY: SECRETS[1] });
    assert.equal(secrets.reads, 3, 'a key that gets a variable is read once');

    await store.update(orders.id, ({ terminalVariable: _dropped, ...rest }): KeyRecord => rest);
    await terminal.update();
    assert.deepEqual(Object.fromEntries(variables.values), { CRM_API_KEY: SECRETS[1] }, 'a key that no longer has a variable is gone');
    assert.equal(secrets.reads, 3, 'taking a variable away reads nothing');
    terminal.dispose();
    store.dispose();
  });
});

describe('terminal variables in an untrusted workspace', () => {
  it('give no key until the user trusts the workspace, then every variable at once', async () => {
    // The test host runs with workspace trust off (--disable-workspace-trust), so the workspace's trust is
    // simulated: a stand-in with vscode.workspace's shape, which the extension otherwise reads directly.
    const api = await activateExtension();
    const store = api.createStore(new FlakySecrets(), new MemoryMemento());
    const variables = new MemoryTerminalVariables();
    const granted = new vscode.EventEmitter<void>();
    const trust = { isTrusted: false, onDidGrantWorkspaceTrust: granted.event };
    const terminal = api.createTerminalEnvironment(store, variables, trust);
    await store.add({ providerId: 'uppzy', name: 'orders', environment: 'production', params: {}, terminalVariable: 'UPPZY_API_KEY' }, SECRETS[0]!);
    await terminal.update();
    assert.deepEqual(Object.fromEntries(variables.values), {}, 'an untrusted workspace gets no key');
    assert.equal(variables.description, undefined, 'and the terminal says nothing is set');

    trust.isTrusted = true;
    granted.fire();
    await eventually(() => variables.values.size > 0, 'the variable once the workspace is trusted');
    assert.deepEqual(Object.fromEntries(variables.values), { UPPZY_API_KEY: SECRETS[0] });
    terminal.dispose();
    store.dispose();
    granted.dispose();
  });
});
