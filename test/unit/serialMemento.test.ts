import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { SerialMemento } from '../../src/extension/serialMemento';

/**
 * VS Code's global state as microsoft/vscode#137132 describes it, which no test can make happen on
 * demand with the real one: one object, sent whole a moment after each update, and replaced by the
 * persisted copy when that update's echo comes back, just before the update resolves.
 */
class EchoingState implements vscode.Memento {
  private value: Record<string, unknown> = {};
  private persisted: Record<string, unknown> = {};

  keys(): readonly string[] {
    return Object.keys(this.value);
  }

  get<T>(key: string, defaultValue?: T): T | undefined {
    return (this.value[key] as T | undefined) ?? defaultValue;
  }

  async update(key: string, value: unknown): Promise<void> {
    this.value = { ...this.value, [key]: value };
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Sent whole, as it is when the send runs; its echo replaces the copy with what was persisted then.
    const sent = { ...this.value };
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.persisted = sent;
    this.value = { ...this.persisted };
  }

  stored(): Record<string, unknown> {
    return this.persisted;
  }
}

/** Two writers of different keys, as the key store and the workspaces' access are: the second starts while the first is in flight. */
async function twoWriters(state: vscode.Memento): Promise<void> {
  const first = state.update('records', ['orders-bot']);
  await new Promise((resolve) => setTimeout(resolve, 7));
  await Promise.all([first, state.update('access', { workspace: ['orders-bot'] })]);
}

describe('the global state, one update at a time', () => {
  it('keeps both of two updates made at once, where the state itself loses one', async () => {
    const bare = new EchoingState();
    await twoWriters(bare);
    assert.deepEqual(bare.stored(), { records: ['orders-bot'] }, 'the double loses an update as VS Code does');

    const inner = new EchoingState();
    await twoWriters(new SerialMemento(inner));
    assert.deepEqual(inner.stored(), { records: ['orders-bot'], access: { workspace: ['orders-bot'] } });
  });

  it('goes on after an update that failed, and reads what the state holds', async () => {
    const inner = new EchoingState();
    const update = inner.update.bind(inner);
    let failures = 1;
    inner.update = (key, value) => (failures-- > 0 ? Promise.reject(new Error('storage is gone')) : update(key, value));
    const state = new SerialMemento(inner);
    const [failed, next] = await Promise.allSettled([state.update('records', []), state.update('records', ['crm'])]);
    assert.match(String(failed.status === 'rejected' && failed.reason), /storage is gone/);
    assert.equal(next.status, 'fulfilled');
    assert.deepEqual(state.get('records'), ['crm']);
    assert.equal(state.get('missing', 'default'), 'default');
  });
});
