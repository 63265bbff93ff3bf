import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, removeAllKeys } from './activate';

describe('API Key Guard in a real extension host', () => {
  it('activates lazily: never on `*`, only after start-up, a view or a command', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const events: string[] = extension.packageJSON.activationEvents;
    assert.ok(!events.includes('*'));
    assert.deepEqual(
      events.filter((event) => event !== 'onStartupFinished'),
      [],
    );
  });

  it('lists the four built-in providers with how each sends its key', async () => {
    const api = await activateExtension();
    await removeAllKeys(api);
    const rows = (await api.tree.getChildren()).map((item) => `${item.label} | ${item.description}`);
    assert.deepEqual(rows, [
      'Sales Layer | X-API-KEY header',
      'Uppzy M2M API | X-API-Key header',
      'Scaleflex DAM | X-Filerobot-Key header',
      'Layerx402 | Bearer token',
    ]);
  });

  it('contributes its palette commands and runs them', async () => {
    const api = await activateExtension();
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'addKey',
      'checkKey',
      'checkAllKeys',
      'checkProviderKeys',
      'copyKey',
      'editKey',
      'rotateKey',
      'removeKey',
      'addCustomProvider',
      'showLog',
      'refresh',
    ].map((name) => `apiKeyGuard.${name}`)) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
    const refreshed = new Promise<void>((resolve) => {
      const listener = api.tree.onDidChangeTreeData(() => {
        listener.dispose();
        resolve();
      });
    });
    await vscode.commands.executeCommand('apiKeyGuard.refresh');
    await refreshed;
  });
});
