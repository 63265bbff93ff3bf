import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LastCheck } from '../../src/core/keyRecord';
import type { KeyTree, TreeNode } from '../../src/extension/keyTree';
import { EXTENSION_ID, activateExtension, eventually } from './activate';
import { FlakySecrets, MemoryMemento } from './storageDoubles';

const SECRETS = ['upz_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaa111', 'upz_live_bbbbbbbbbbbbbbbbbbbbbbbbbbbbb222', 'upz_live_ccccccccccccccccccccccccccccc333'];
const checkResult = (outcome: LastCheck['outcome']): LastCheck => ({
  outcome,
  message: `${outcome} from the test`,
  latencyMs: 1,
  at: '2026-01-01T00:00:00.000Z',
});

/** What a view shows of the key rows: description by key name. */
async function rows(tree: KeyTree): Promise<Record<string, string>> {
  return Object.fromEntries((await tree.keyNodes()).map((node) => [node.record.name, String(node.description)]));
}

describe('key tree over a counting secret storage', () => {
  it('reads each secret once, however many check results redraw the rows and the badge', async () => {
    const api = await activateExtension();
    const secrets = new FlakySecrets();
    const store = api.createStore(secrets, new MemoryMemento());
    const tree = api.createTree(store);
    const records = [];
    for (const [index, secret] of SECRETS.entries()) {
      records.push(await store.add({ providerId: 'uppzy', name: `key-${index}`, environment: 'production', params: { tenantId: 'tenant-42' } }, secret));
    }
    const view = { badge: undefined as vscode.ViewBadge | undefined };
    tree.attach(view as vscode.TreeView<TreeNode>);
    await rows(tree);
    assert.equal(secrets.reads, SECRETS.length, 'the rows and the badge share one read per secret');

    // What Check All does to the store: one result per key, each a metadata change that redraws everything.
    for (const [index, record] of records.entries()) {
      await store.update(record.id, (current) => ({ ...current, lastCheck: checkResult('unauthorized') }));
      await eventually(() => view.badge?.value === index + 1, `the badge to count ${index + 1} failing keys`);
      await rows(tree);
    }
    for (const record of records) {
      await store.update(record.id, (current) => ({ ...current, lastCheck: checkResult('ok') }));
      await rows(tree);
    }
    await eventually(() => view.badge === undefined, 'the badge to clear once every key works');
    assert.equal(secrets.reads, SECRETS.length, 'metadata changes read no secret');
    tree.dispose();
    store.dispose();
  });

  it("puts a key row's masked tail first, where a narrow sidebar cannot cut it, and leaves the status to the icon", async () => {
    const api = await activateExtension();
    const store = api.createStore(new FlakySecrets(), new MemoryMemento());
    const tree = api.createTree(store);
    await store.add({ providerId: 'uppzy', name: 'prod-order-bot', environment: 'production-eu-west', params: {} }, SECRETS[0]!);
    const [node] = await tree.keyNodes();
    const description = String(node!.description);
    assert.ok(description.startsWith(`****${SECRETS[0]!.slice(-4)} · `), `the last four characters open the description: ${description}`);
    assert.equal(description, '****a111 · production-eu-west', 'the environment follows; the status is the icon, not words');
    assert.equal((node!.iconPath as vscode.ThemeIcon).id, 'circle-large-outline');
    const tooltip = (node!.tooltip as vscode.MarkdownString).value.replace(/\\/g, '');
    for (const part of ['prod-order-bot', 'Uppzy M2M API', 'production-eu-west', '****a111', 'not checked yet']) {
      assert.ok(tooltip.includes(part), `the tooltip keeps ${part}: ${tooltip}`);
    }
    tree.dispose();
    store.dispose();
  });

  it('shows a secret changed or deleted in another window, reading only that key again', async () => {
    const api = await activateExtension();
    const secrets = new FlakySecrets();
    const store = api.createStore(secrets, new MemoryMemento());
    const tree = api.createTree(store);
    const [first, second] = [
      await store.add({ providerId: 'uppzy', name: 'first', environment: 'production', params: {} }, SECRETS[0]!),
      await store.add({ providerId: 'uppzy', name: 'second', environment: 'staging', params: {} }, SECRETS[1]!),
    ];
    assert.deepEqual(await rows(tree), { first: '****a111 · production', second: '****b222 · staging' });
    const readsBefore = secrets.reads;

    // Another window writes only to the shared secret storage; its event is all this window sees.
    await secrets.store(`apiKeyGuard.key.${second.id}`, 'upz_live_dddddddddddddddddddddddddddddd444');
    assert.deepEqual(await rows(tree), { first: '****a111 · production', second: '****d444 · staging' });
    assert.equal(secrets.reads, readsBefore + 1, 'only the changed key was read again');

    await secrets.delete(`apiKeyGuard.key.${first.id}`);
    const nodes = await tree.keyNodes();
    assert.equal(nodes.find((node) => node.record.id === first.id)?.status, 'missing-secret');
    assert.equal(nodes.find((node) => node.record.id === second.id)?.status, 'unchecked');
    tree.dispose();
    store.dispose();
  });

  it('shows the newest count in the badge when an older count finishes last', async () => {
    const api = await activateExtension();
    const secrets = new FlakySecrets();
    const store = api.createStore(secrets, new MemoryMemento());
    const tree = api.createTree(store);
    const record = await store.add({ providerId: 'uppzy', name: 'key', environment: 'production', params: { tenantId: 'tenant-42' } }, SECRETS[0]!);
    const view = { badge: undefined as vscode.ViewBadge | undefined };
    tree.attach(view as vscode.TreeView<TreeNode>);
    await rows(tree);
    const settled = () => new Promise((resolve) => setImmediate(resolve));

    // The storage tells of one write twice (its echo), so the count started after the first event and the
    // one started after the check result wait on two different reads, which may finish in either order.
    secrets.holdReads = true;
    await secrets.store(`apiKeyGuard.key.${record.id}`, SECRETS[1]!);
    await secrets.store(`apiKeyGuard.key.${record.id}`, SECRETS[1]!);
    await store.update(record.id, (current) => ({ ...current, lastCheck: checkResult('unauthorized') }));
    await eventually(() => secrets.heldReads.length >= 2 && secrets.heldReads, 'the counts to wait on their reads');
    secrets.holdReads = false;
    const [older, ...newer] = secrets.heldReads.splice(0);
    newer.forEach((release) => release());
    await eventually(() => view.badge?.value === 1, 'the badge to count the failing key');
    older!();
    await settled();
    assert.equal(view.badge?.value, 1, 'the count started before the check result does not overwrite the newer one');
    tree.dispose();
    store.dispose();
  });

  it('shows a secret storage that cannot be read as its own state, without offering Rotate, and reads again on Refresh', async () => {
    const api = await activateExtension();
    const secrets = new FlakySecrets();
    const memento = new MemoryMemento();
    const before = api.createStore(secrets, memento);
    await before.add({ providerId: 'uppzy', name: 'locked', environment: 'production', params: {} }, SECRETS[0]!);
    before.dispose();
    // The next session starts with the keyring locked: the key is there, but no read succeeds
    // (a stand-in: VS Code's server build has no keyring to lock).
    secrets.failGet = true;
    const store = api.createStore(secrets, memento);
    const tree = api.createTree(store);
    const view = { badge: undefined as vscode.ViewBadge | undefined };
    tree.attach(view as vscode.TreeView<TreeNode>);
    const [node] = await tree.keyNodes();
    assert.equal(node!.status, 'storage-unreadable', 'not "secret missing from storage"');
    assert.equal(node!.description, 'unreadable · production');
    assert.equal((node!.iconPath as vscode.ThemeIcon).id, 'lock');
    assert.match(
      (node!.tooltip as vscode.MarkdownString).value,
      /Status: \*\*secret storage could not be read\*\*.*could not be read \(Cannot read from the keyring\): the key is probably still there\. Unlock your keyring, or start one, then use \*\*Refresh\*\*\./s,
    );
    await eventually(() => view.badge?.value === 1, 'the badge to count it');
    const menus: Array<{ command: string; when: string }> = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus['view/item/context'];
    const rotate = menus.find((item) => item.command === 'apiKeyGuard.rotateKey')!;
    const rowPattern = new RegExp(/viewItem =~ \/(.*?)\/ /.exec(rotate.when)![1]!);
    assert.ok(!rowPattern.test(node!.contextValue!), `Rotate is not offered: entering the key again would not help (${node!.contextValue})`);

    secrets.failGet = false;
    tree.refresh();
    const [unlocked] = await tree.keyNodes();
    assert.equal(unlocked!.status, 'unchecked', 'a failed read is not remembered');
    assert.equal(unlocked!.description, '****a111 · production');
    tree.dispose();
    store.dispose();
  });
});
