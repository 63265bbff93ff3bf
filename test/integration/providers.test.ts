import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/core/checkOutcome';
import type { ApiKeyGuardApi } from '../../src/extension/extension';
import { activateExtension, eventually, removeAllKeys } from './activate';
import { ScriptedPrompts } from './scriptedPrompts';

const settings = () => vscode.workspace.getConfiguration('apiKeyGuard');

describe('providers in settings', () => {
  let api: ApiKeyGuardApi;

  before(async () => {
    api = await activateExtension();
    await removeAllKeys(api);
  });
  afterEach(async () => {
    api.usePrompts(undefined);
    await removeAllKeys(api);
    await settings().update('customProviders', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('builtInProviders', undefined, vscode.ConfigurationTarget.Global);
  });

  const rootLabels = async () => (await api.tree.getChildren()).map((node) => String(node.label));

  it('keeps the valid custom providers and names the field at fault in the broken ones', async () => {
    await settings().update(
      'customProviders',
      [
        { id: 'acme', displayName: 'Acme Orders', baseUrl: 'https://api.acme.example/v1', auth: { in: 'header', name: 'X-Acme-Key' }, docsUrl: 'https://docs.acme.example/auth', check: { path: '/me' } },
        { id: 'broken', displayName: 'Broken', baseUrl: 'not a url', auth: { in: 'header', name: 'X-Key' }, docsUrl: 'https://docs.example/auth', check: { path: '/me' } },
        { id: 'saleslayer', displayName: 'Impostor', baseUrl: 'https://evil.example', auth: { in: 'header', name: 'X-API-KEY' }, docsUrl: 'https://evil.example', check: { path: '/' } },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await eventually(() => api.providers.find('acme'), 'the custom provider to load');
    assert.equal(api.providers.find('broken'), undefined);
    assert.equal(api.providers.find('saleslayer')?.displayName, 'Sales Layer', 'a custom provider cannot replace a built-in one');
    const problems = api.providers.definitionProblems();
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /'broken'.*'baseUrl'/);
    assert.match(problems[1]!, /'saleslayer'.*'id'.*built-in/);
    assert.deepEqual(await rootLabels(), ['Sales Layer', 'Uppzy M2M API', 'Scaleflex DAM', 'Layerx402', 'Acme Orders']);
  });

  it('reports a key whose custom provider was removed as not checkable, and offers to remove the key', async () => {
    await settings().update(
      'customProviders',
      [{ id: 'acme', displayName: 'Acme Orders', baseUrl: 'https://api.acme.example/v1', auth: { in: 'header', name: 'X-Acme-Key' }, docsUrl: 'https://docs.acme.example/auth', check: { path: '/me' } }],
      vscode.ConfigurationTarget.Global,
    );
    await eventually(() => api.providers.find('acme'), 'the custom provider to load');
    const record = await api.store.add({ providerId: 'acme', name: 'acme-bot', environment: 'production', params: {} }, 'acme_live_0123456789abcdef0123456789abcdef');
    await settings().update('customProviders', undefined, vscode.ConfigurationTarget.Global);
    await eventually(() => api.providers.find('acme') === undefined, 'the custom provider to go');

    const prompts = new ScriptedPrompts([]);
    api.usePrompts(prompts);
    const result = await vscode.commands.executeCommand<CheckResult>('apiKeyGuard.checkKey', record.id);
    assert.equal(result.outcome, 'not-checkable');
    assert.match(result.message, /the provider 'acme' is no longer defined: add it back in settings \(apiKeyGuard\.customProviders\) or remove this key\.$/);
    assert.equal(api.store.get(record.id)?.lastCheck?.outcome, 'not-checkable');
    const [node] = await api.tree.keyNodes();
    assert.equal(node!.status, 'not-checkable');
    assert.equal((node!.iconPath as vscode.ThemeIcon).id, 'settings-gear');
    await eventually(() => api.view.badge?.value === 1, 'the badge to count the key that cannot be checked');
    await eventually(() => prompts.notifications.length > 0, 'the notification');
    assert.match(prompts.notifications[0]!.message, /^Key 'acme-bot' \(production\) could not be checked: Nothing was sent/);
    assert.deepEqual(prompts.notifications[0]!.actions, ['Remove Key', 'Show Log']);
  });

  it('survives a setting that is not a list at all', async () => {
    await settings().update('customProviders', { not: 'a list' }, vscode.ConfigurationTarget.Global);
    await eventually(() => api.providers.definitionProblems().length > 0, 'the problem to be reported');
    assert.equal(api.providers.all().length, 4);
  });

  it('Add Custom Provider writes a valid definition to the user settings', async () => {
    const prompts = new ScriptedPrompts([
      { input: 'Acme Orders API' },
      { input: 'Acme', expectProblem: /lowercase/ },
      { input: 'acme-orders' },
      { input: 'http://api.acme.example', expectProblem: /https/ },
      { input: 'https://api.acme.example/v1' },
      { input: 'Authorization' },
      { input: 'Bearer ' },
      { input: '/me?fields=id' },
      { input: 'https://docs.acme.example/auth' },
      { notify: undefined },
    ]);
    api.usePrompts(prompts);
    const id = await vscode.commands.executeCommand<string>('apiKeyGuard.addCustomProvider');
    assert.equal(id, 'acme-orders');
    const provider = await eventually(() => api.providers.find('acme-orders'), 'the new provider');
    assert.deepEqual(provider.auth, { in: 'header', name: 'Authorization', prefix: 'Bearer ' });
    assert.deepEqual(provider.check, { path: '/me', query: { fields: 'id' } });
  });

  it('shows the welcome view when no provider is listed', async () => {
    await settings().update('builtInProviders', [], vscode.ConfigurationTarget.Global);
    await eventually(async () => (await rootLabels()).length === 0, 'an empty tree');
    await settings().update('builtInProviders', ['uppzy'], vscode.ConfigurationTarget.Global);
    await eventually(async () => (await rootLabels()).join() === 'Uppzy M2M API', 'only Uppzy listed');
  });

  it('asks which key when a command runs from the palette without a tree row', async () => {
    const record = await api.store.add({ providerId: 'uppzy', name: 'staging-crm-sync', environment: 'staging', params: { tenantId: 'tenant-1' } }, 'upz_live_1234567890abcdef1234567890abcdef');
    const prompts = new ScriptedPrompts([{ pick: 'staging-crm-sync' }, { confirm: true }]);
    api.usePrompts(prompts);
    await vscode.commands.executeCommand('apiKeyGuard.removeKey');
    assert.equal(api.store.get(record.id), undefined);
    assert.deepEqual(prompts.asked, ['pick: Remove Key', "confirm: Remove the key 'staging-crm-sync'?"]);
  });
});
