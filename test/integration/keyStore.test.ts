import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/extension/keyTree';
import { TEST_KEYS, TEST_PARAMS, startProviderServer } from '../fixtures/providerServers';
import { activateExtension, eventually, removeAllKeys } from './activate';
import { FlakySecrets, MemoryMemento, MemoryTerminalVariables } from './storageDoubles';

const SECRET = 'upz_live_0123456789abcdef0123456789abcdef';
const KEY_INPUT = { providerId: 'uppzy', name: 'prod-order-bot', environment: 'production', params: { tenantId: 'tenant-42' } };

describe('KeyStore over SecretStorage', () => {
  it('round-trips a key through the real SecretStorage and keeps the secret out of global state', async () => {
    const api = await activateExtension();
    const record = await api.store.add(KEY_INPUT, SECRET);
    try {
      assert.equal(await api.store.readSecret(record.id), SECRET);
      assert.equal(api.store.get(record.id)?.name, 'prod-order-bot');
      assert.ok(!JSON.stringify(api.store.list()).includes(SECRET), 'metadata holds no secret');
      assert.ok(!JSON.stringify(api.store.list()).includes(SECRET.slice(-4)), 'metadata holds not even its tail');
    } finally {
      await api.store.remove(record.id);
    }
    assert.equal(api.store.get(record.id), undefined);
    assert.equal(await api.store.readSecret(record.id), undefined);
  });

  it('keeps metadata apart from secrets: the memento never sees a secret', async () => {
    const api = await activateExtension();
    const memento = new MemoryMemento();
    const secrets = new FlakySecrets();
    const store = api.createStore(secrets, memento);
    const record = await store.add(KEY_INPUT, SECRET);
    assert.ok(!JSON.stringify([...memento.values]).includes(SECRET));
    assert.deepEqual([...secrets.values.values()], [SECRET]);
    assert.equal(await store.readSecret(record.id), SECRET);
    store.dispose();
  });

  it('reports a storage that throws with an error that says what to do, leaks nothing and loses nothing', async () => {
    const api = await activateExtension();
    const memento = new MemoryMemento();
    const secrets = new FlakySecrets();
    const store = api.createStore(secrets, memento);
    const kept = await store.add({ ...KEY_INPUT, name: 'kept' }, 'upz_live_kept0000000000000000000000000000');
    secrets.failStore = true;
    await assert.rejects(store.add(KEY_INPUT, SECRET), (error: unknown) => {
      // By name: the extension runs from its bundle, so its classes are not the ones this test imports.
      assert.equal((error as Error).name, 'SecretStorageError');
      const { message } = error as Error;
      assert.match(message, /keyring/);
      assert.ok(!message.includes(SECRET), 'the error does not contain the key, though the keyring quoted it');
      return true;
    });
    assert.deepEqual(
      store.list().map((record) => record.name),
      ['kept'],
      'no record points at a secret that was never stored',
    );
    assert.equal(await store.readSecret(kept.id), 'upz_live_kept0000000000000000000000000000', 'the key already stored is still there');
    store.dispose();
    // Next session, the keyring is locked: what the store never read it cannot give.
    secrets.failGet = true;
    const locked = api.createStore(secrets, memento);
    await assert.rejects(locked.readSecret(kept.id), { name: 'SecretStorageError' });
    locked.dispose();
  });

  it('finds keys a session-only storage forgot across a restart', async () => {
    const api = await activateExtension();
    const memento = new MemoryMemento();
    const secrets = new FlakySecrets();
    const before = api.createStore(secrets, memento);
    const record = await before.add(KEY_INPUT, SECRET);
    before.dispose();
    secrets.forgetAll();
    const after = api.createStore(secrets, memento);
    assert.deepEqual(await after.findMissingSecrets(), [record.id]);
    after.dispose();
  });

  it('notices changes made by another window through SecretStorage events', async () => {
    const api = await activateExtension();
    const secrets = new FlakySecrets();
    const store = api.createStore(secrets, new MemoryMemento());
    let changes = 0;
    store.onDidChange(() => (changes += 1));
    // Another window writing a key of ours: only the secret storage event arrives here.
    await secrets.store('apiKeyGuard.key.from-elsewhere', 'value');
    await secrets.store('someOtherExtension.token', 'value');
    assert.equal(changes, 1);
    store.dispose();
  });

  it('notices metadata another window changed once asked (on focus), and announces each change once', async () => {
    const api = await activateExtension();
    // Two windows: one global state and one secret storage, a store each.
    const secrets = new FlakySecrets();
    const memento = new MemoryMemento();
    const here = api.createStore(secrets, memento);
    const elsewhere = api.createStore(secrets, memento);
    const record = await here.add(KEY_INPUT, SECRET);
    let changes = 0;
    here.onDidChange(() => (changes += 1));
    here.noticeChangesFromOtherWindows();
    assert.equal(changes, 0, 'nothing changed since the add was announced');
    await elsewhere.update(record.id, (current) => ({
      ...current,
      lastCheck: { outcome: 'ok', message: 'checked elsewhere', latencyMs: 1, at: '2026-01-01T00:00:00.000Z' },
    }));
    assert.equal(changes, 0, 'a metadata write in another window brings no event');
    here.noticeChangesFromOtherWindows();
    assert.equal(changes, 1);
    assert.equal(here.get(record.id)?.lastCheck?.message, 'checked elsewhere');
    here.noticeChangesFromOtherWindows();
    assert.equal(changes, 1, 'the same change is not announced twice');
    await here.update(record.id, (current) => ({ ...current, owner: 'orders team' }));
    here.noticeChangesFromOtherWindows();
    assert.equal(changes, 2, 'a change made here is announced when made, and not again');
    here.dispose();
    elsewhere.dispose();
  });

  it('says whose secret changed, here or in another window, and stays quiet when only metadata changes', async () => {
    const api = await activateExtension();
    const secrets = new FlakySecrets();
    const store = api.createStore(secrets, new MemoryMemento());
    const changed: string[] = [];
    store.onDidChangeSecret((id) => changed.push(id));
    const record = await store.add(KEY_INPUT, SECRET);
    assert.ok(changed.length > 0 && changed.every((id) => id === record.id), `added: ${changed.join()}`);
    changed.length = 0;
    await store.update(record.id, (current) => ({ ...current, owner: 'orders team' }));
    assert.deepEqual(changed, [], 'a metadata change is no secret change');
    await secrets.store(`apiKeyGuard.key.${record.id}`, 'upz_live_fromanotherwindow0000000000000000');
    assert.deepEqual(changed, [record.id], 'another window wrote the secret');
    changed.length = 0;
    await store.remove(record.id);
    assert.ok(changed.length > 0 && changed.every((id) => id === record.id), `removed: ${changed.join()}`);
    store.dispose();
  });

  it('keeps every result of checks that finish moments apart in the real global state', async () => {
    // VS Code applies a globalState update at once, then replaces the whole state with the copy it
    // persisted when that write's echo comes back (microsoft/vscode#137132). A change computed from the
    // state in between is computed from an old copy and drops a result written just before.
    const api = await activateExtension();
    await removeAllKeys(api);
    const records = [];
    for (let index = 0; index < 20; index++) {
      records.push(await api.store.add({ ...KEY_INPUT, name: `key-${index}` }, SECRET));
    }
    try {
      const writes: Promise<unknown>[] = [];
      for (const [index, record] of records.entries()) {
        writes.push(
          api.store.update(record.id, (current) => ({
            ...current,
            lastCheck: { outcome: 'unauthorized', message: `result of ${current.name}`, latencyMs: 1, at: '2026-01-01T00:00:00.000Z' },
          })),
        );
        // As Check All's results arrive: a moment apart, more or less than a write's round trip.
        await new Promise((resolve) => setTimeout(resolve, index + 1));
      }
      await Promise.all(writes);
      const lost = () =>
        api.store
          .list()
          .filter((record) => record.lastCheck === undefined)
          .map((record) => record.name);
      assert.deepEqual(lost(), [], 'no result is lost once its write finished');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(lost(), [], 'nor after the last echoes arrived');
    } finally {
      await removeAllKeys(api);
    }
  });

  it('replaces a key in one write, and a storage that fails on either side leaves no orphan', async () => {
    const api = await activateExtension();
    const secrets = new FlakySecrets();
    const memento = new MemoryMemento();
    const store = api.createStore(secrets, memento);
    const old = await store.add({ ...KEY_INPUT, terminalVariable: 'UPPZY_API_KEY' }, SECRET);
    const lastCheck = { outcome: 'ok' as const, message: 'checked before it was stored', latencyMs: 1, at: '2026-01-01T00:00:00.000Z' };
    const replacement = await store.replace(
      old.id,
      { ...KEY_INPUT, terminalVariable: 'UPPZY_API_KEY' },
      'upz_live_1111111111111111111111111111111a',
      lastCheck,
    );
    assert.deepEqual(
      store.list().map(({ id, replacedBy, terminalVariable, lastCheck: check }) => ({ id, replacedBy, terminalVariable, check: check?.message })),
      [
        { id: old.id, replacedBy: replacement.id, terminalVariable: undefined, check: undefined },
        { id: replacement.id, replacedBy: undefined, terminalVariable: 'UPPZY_API_KEY', check: 'checked before it was stored' },
      ],
    );
    const before = store.list();
    const stored = () => [...secrets.values.values()].sort();
    const secretsBefore = stored();

    secrets.failStore = true;
    await assert.rejects(store.replace(replacement.id, KEY_INPUT, 'upz_live_2222222222222222222222222222222b'), { name: 'SecretStorageError' });
    assert.deepEqual(store.list(), before, 'no record without its secret');
    secrets.failStore = false;

    memento.failUpdate = true;
    await assert.rejects(store.replace(replacement.id, KEY_INPUT, 'upz_live_3333333333333333333333333333333c'), /global state/);
    memento.failUpdate = false;
    assert.deepEqual(store.list(), before);
    assert.deepEqual(stored(), secretsBefore, 'no secret without its record');
    store.dispose();
  });

  it('finishes Check All when one key cannot be read: that key says why, the others keep their results', async () => {
    const api = await activateExtension();
    const server = await startProviderServer('uppzy');
    const secrets = new FlakySecrets();
    const store = api.createStore(secrets, new MemoryMemento());
    const checks = api.createChecks(store);
    try {
      const records = [];
      for (const name of ['a-works', 'b-locked', 'c-works']) {
        records.push(await store.add({ ...KEY_INPUT, name, baseUrl: server.baseUrl, params: { ...TEST_PARAMS.uppzy! } }, TEST_KEYS.uppzy!));
      }
      secrets.unreadable.add(`apiKeyGuard.key.${records[1]!.id}`);
      const results = await checks.check(records);
      assert.deepEqual(
        records.map((record) => [record.name, results.get(record.id)?.outcome, store.get(record.id)?.lastCheck?.outcome]),
        [
          ['a-works', 'ok', 'ok'],
          ['b-locked', 'not-checkable', 'not-checkable'],
          ['c-works', 'ok', 'ok'],
        ],
      );
      const locked = results.get(records[1]!.id)!;
      assert.equal(locked.notCheckableReason, 'storage-unreadable', 'not a missing key: nothing to enter again');
      assert.equal(
        locked.message,
        "Nothing was sent, because VS Code's secret storage could not be read (Cannot read from the keyring): unlock your keyring, or start one, then check again.",
      );
    } finally {
      store.dispose();
      await server.close();
    }
  });

  it('reads each secret once for the tree, the terminal, the linter and Check All together, and a changed one once again', async () => {
    const api = await activateExtension();
    const server = await startProviderServer('uppzy');
    const secrets = new FlakySecrets();
    const store = api.createStore(secrets, new MemoryMemento());
    const tree = api.createTree(store);
    const view = { badge: undefined as vscode.ViewBadge | undefined };
    tree.attach(view as vscode.TreeView<TreeNode>);
    const variables = new MemoryTerminalVariables();
    const terminal = api.createTerminalEnvironment(store, variables);
    const scanners = api.createScanners(store);
    const checks = api.createChecks(store);
    const outsideAnyFolder = vscode.Uri.file(path.join(os.tmpdir(), 'akg-not-in-a-folder.js'));
    // What the window does on every change: redraw the rows and the badge, update the terminal
    // variables, rebuild the linter's scanner for the next keystroke.
    const redraw = async () => {
      await tree.keyNodes();
      await terminal.update();
      await scanners.forDocument(outsideAnyFolder);
    };
    try {
      const records = [];
      for (const [index, secret] of [TEST_KEYS.uppzy!, 'upz_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaa111', 'upz_live_bbbbbbbbbbbbbbbbbbbbbbbbbbbbb222'].entries()) {
        const input = { ...KEY_INPUT, name: `key-${index}`, baseUrl: server.baseUrl, params: { ...TEST_PARAMS.uppzy! } };
        records.push(await store.add(index === 0 ? { ...input, terminalVariable: 'UPPZY_API_KEY' } : input, secret));
      }
      await redraw();
      assert.equal(secrets.reads, records.length, 'one read per secret for all of them');
      assert.equal(variables.values.get('UPPZY_API_KEY'), TEST_KEYS.uppzy);

      let rebuilds = 0;
      const counting = scanners.onDidChange(() => rebuilds++);
      const results = await checks.check(records);
      assert.deepEqual(
        [...results.values()].map((result) => result.outcome),
        ['ok', 'unauthorized', 'unauthorized'],
      );
      assert.equal(rebuilds, 0, 'check results change no stored key the linter matches: its scanners stay, and no document is linted again');
      counting.dispose();
      await eventually(() => view.badge?.value === 2, 'the badge to count the two failing keys');
      await redraw();
      assert.equal(secrets.reads, records.length, 'Check All, and every redraw its results caused, read nothing more');

      // Another window enters a new secret for one key: its event is all this window sees.
      await secrets.store(`apiKeyGuard.key.${records[0]!.id}`, 'upz_live_cccccccccccccccccccccccccccccc333');
      await redraw();
      assert.equal(variables.values.get('UPPZY_API_KEY'), 'upz_live_cccccccccccccccccccccccccccccc333');
      assert.equal(secrets.reads, records.length + 1, 'the changed key was read once again, for all of them');
    } finally {
      scanners.dispose();
      terminal.dispose();
      tree.dispose();
      store.dispose();
      await server.close();
    }
  });
});
