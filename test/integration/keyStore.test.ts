import * as assert from 'node:assert/strict';
import { activateExtension, removeAllKeys } from './activate';
import { FlakySecrets, MemoryMemento } from './storageDoubles';

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
    secrets.failGet = true;
    await assert.rejects(store.readSecret(kept.id), { name: 'SecretStorageError' });
    store.dispose();
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
});
