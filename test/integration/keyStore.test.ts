import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SecretBackend } from '../../src/extension/keyStore';
import { activateExtension } from './activate';

/** An in-memory Memento: the store's metadata half, inspectable by the test. */
class MemoryMemento implements vscode.Memento {
  readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, defaultValue?: T): T | undefined {
    return (this.values.has(key) ? this.values.get(key) : defaultValue) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

/**
 * Secret backends that cannot exist on this machine's VS Code server (its SecretStorage neither
 * throws nor forgets), so they are stand-ins, as a keyring that is missing or session-only behaves.
 */
class FlakySecrets implements SecretBackend {
  readonly values = new Map<string, string>();
  failStore = false;
  failGet = false;
  private readonly emitter = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.emitter.event;
  async get(key: string) {
    if (this.failGet) {
      throw new Error('Cannot read from the keyring');
    }
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    if (this.failStore) {
      throw new Error(`No keyring available to store ${value}`);
    }
    this.values.set(key, value);
    this.emitter.fire({ key });
  }
  async delete(key: string) {
    this.values.delete(key);
    this.emitter.fire({ key });
  }
  /** What a session-only keyring does across a restart. */
  forgetAll() {
    this.values.clear();
  }
}

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
    assert.deepEqual(store.list().map((record) => record.name), ['kept'], 'no record points at a secret that was never stored');
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
});
