import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/core/checkOutcome';
import { BUILT_IN_PROVIDERS } from '../../src/core/providers/builtIn';
import type { ApiKeyGuardApi } from '../../src/extension/extension';
import type { KeyNode, TreeNode } from '../../src/extension/keyTree';
import { closedPortOrigin } from '../fixtures/providerServers';
import { EXTENSION_ID, activateExtension, eventually, removeAllKeys } from './activate';
import { ScriptedPrompts } from './scriptedPrompts';

const settings = () => vscode.workspace.getConfiguration('apiKeyGuard');
const ACME = {
  id: 'acme',
  displayName: 'Acme Orders',
  baseUrl: 'https://api.acme.example/v1',
  auth: { in: 'header', name: 'X-Acme-Key' },
  docsUrl: 'https://docs.acme.example/auth',
  check: { path: '/me' },
};

/** The commands a row's context menu and inline buttons offer, by the `when` clauses in package.json (the forms it uses). */
function menuCommands(row: TreeNode): string[] {
  const items: Array<{ command: string; when: string }> = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus['view/item/context'];
  const holds = (term: string) => {
    if (term === 'view == apiKeyGuard.keys') {
      return true;
    }
    const match = /^(!\()?viewItem =~ \/(.*)\/\)?$/.exec(term);
    assert.ok(match, `a when clause this test reads: ${term}`);
    return new RegExp(match[2]!).test(row.contextValue ?? '') !== Boolean(match[1]);
  };
  const offered = items.filter((item) => item.when.split(' && ').every(holds)).map((item) => item.command.replace('apiKeyGuard.', ''));
  return [...new Set(offered)].sort();
}

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
    const prompts = new ScriptedPrompts([]);
    api.usePrompts(prompts);
    await settings().update(
      'customProviders',
      [
        ACME,
        {
          id: 'broken',
          displayName: 'Broken',
          baseUrl: 'not a url',
          auth: { in: 'header', name: 'X-Key' },
          docsUrl: 'https://docs.example/auth',
          check: { path: '/me' },
        },
        {
          id: 'saleslayer',
          displayName: 'Impostor',
          baseUrl: 'https://evil.example',
          auth: { in: 'header', name: 'X-API-KEY' },
          docsUrl: 'https://evil.example',
          check: { path: '/' },
        },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await eventually(() => api.providers.find('acme'), 'the custom provider to load');
    assert.equal(api.providers.find('broken'), undefined);
    assert.equal(api.providers.find('saleslayer')?.displayName, 'Sales Layer', 'a custom provider cannot replace a built-in one');
    const warning = await eventually(() => prompts.notifications[0], 'the warning');
    assert.equal(warning.level, 'warning');
    assert.match(warning.message, /^API Key Guard skipped 2 custom provider definitions: provider 'broken' \(#2\), field 'baseUrl': /);
    assert.deepEqual(warning.actions, ['Open Settings', 'Show Log']);
    assert.deepEqual(await rootLabels(), ['Sales Layer', 'Uppzy M2M API', 'Scaleflex DAM', 'Layerx402', 'Acme Orders']);
  });

  it('reports a key whose custom provider was removed as not checkable, and offers to remove the key', async () => {
    await settings().update('customProviders', [ACME], vscode.ConfigurationTarget.Global);
    await eventually(() => api.providers.find('acme'), 'the custom provider to load');
    const record = await api.store.add(
      { providerId: 'acme', name: 'acme-bot', environment: 'production', params: {} },
      'acme_live_0123456789abcdef0123456789abcdef',
    );
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

  it('lists the keys of a removed provider under an unknown provider, with only the actions that still work, and removes them from there', async () => {
    await settings().update('customProviders', [ACME], vscode.ConfigurationTarget.Global);
    await eventually(() => api.providers.find('acme'), 'the custom provider to load');
    const record = await api.store.add(
      { providerId: 'acme', name: 'acme-bot', environment: 'production', params: {} },
      'acme_live_0123456789abcdef0123456789abcdef',
    );
    await api.store.add(
      { providerId: 'uppzy', name: 'uppzy-bot', environment: 'production', params: { tenantId: 'tenant-1' } },
      'upz_live_1234567890abcdef1234567890abcdef',
    );
    await settings().update('customProviders', undefined, vscode.ConfigurationTarget.Global);
    await eventually(() => api.providers.find('acme') === undefined, 'the custom provider to go');

    assert.deepEqual(await rootLabels(), ['Sales Layer', 'Uppzy M2M API', 'Scaleflex DAM', 'Layerx402', "Unknown provider 'acme'"]);
    const group = (await api.tree.getChildren()).at(-1)!;
    assert.equal((group.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match(
      (group.tooltip as vscode.MarkdownString).value,
      /removed from your settings.*Its 1 key cannot be checked or rotated\..*Add the definition back.*or remove the keys/s,
    );
    assert.deepEqual(menuCommands(group), [], 'no Add Key, Check or docs for a provider that is not defined');
    const [row] = (await api.tree.getChildren(group)) as KeyNode[];
    assert.equal(row?.label, 'acme-bot');
    assert.equal(row.status, 'not-checkable', 'never checked, yet nothing can be sent');
    assert.match((row.tooltip as vscode.MarkdownString).value, /Its provider 'acme' is no longer defined, so it cannot be checked/);
    assert.equal(api.tree.getParent(row)?.id, group.id, 'the view can reveal the row');
    assert.deepEqual(menuCommands(row), ['copyKey', 'editKey', 'removeKey', 'setTerminalVariable']);
    const uppzyRow = (await api.tree.keyNodes()).find((node) => node.record.providerId === 'uppzy')!;
    assert.deepEqual(
      menuCommands(uppzyRow),
      ['checkKey', 'copyKey', 'editKey', 'openProviderDocs', 'reenterKey', 'removeKey', 'rotateKey', 'setTerminalVariable'],
      'a key of a defined provider keeps them all',
    );

    const prompts = new ScriptedPrompts([{ confirm: true }]);
    api.usePrompts(prompts);
    await vscode.commands.executeCommand('apiKeyGuard.removeKey', row);
    assert.deepEqual(prompts.asked, ["confirm: Remove the key 'acme-bot'?"]);
    assert.equal(api.store.get(record.id), undefined);
    assert.deepEqual(await rootLabels(), ['Sales Layer', 'Uppzy M2M API', 'Scaleflex DAM', 'Layerx402'], 'the unknown provider goes with its last key');
  });

  it('treats the keys of a removed provider alike everywhere: counted in the badge, never failing in Check All, left out where they cannot be used', async () => {
    await settings().update('customProviders', [ACME], vscode.ConfigurationTarget.Global);
    await eventually(() => api.providers.find('acme'), 'the custom provider to load');
    await api.store.add({ providerId: 'acme', name: 'acme-bot', environment: 'production', params: {} }, 'acme_live_0123456789abcdef0123456789abcdef');
    // A key that fails without reaching any real server: nothing listens at its base URL.
    await api.store.add(
      { providerId: 'uppzy', name: 'uppzy-bot', environment: 'staging', baseUrl: await closedPortOrigin(), params: { tenantId: 'tenant-1' } },
      'upz_live_1234567890abcdef1234567890abcdef',
    );
    await settings().update('customProviders', undefined, vscode.ConfigurationTarget.Global);
    await eventually(() => api.view.badge?.value === 1, 'the badge to count the key that cannot be checked, never checked as it is');

    const prompts = new ScriptedPrompts([{ pick: undefined }, { pick: undefined }, { pick: undefined }, { pick: undefined }, { pick: undefined }]);
    api.usePrompts(prompts);
    for (const command of ['checkKey', 'reenterKey', 'rotateKey', 'copyKey', 'removeKey']) {
      await vscode.commands.executeCommand(`apiKeyGuard.${command}`);
    }
    const usable = 'uppzy-bot (Uppzy M2M API · staging)';
    const orphan = "acme-bot (Unknown provider 'acme' · production)";
    assert.deepEqual(prompts.offered, {
      'Check Key': [usable],
      'Re-enter Key': [usable],
      'Rotate Key': [usable],
      'Copy Key': [orphan, usable],
      'Remove Key': [orphan, usable],
    });

    await vscode.commands.executeCommand('apiKeyGuard.checkAllKeys');
    assert.deepEqual(
      prompts.notifications.map((notification) => notification.message),
      ["Checked 2 keys: 0 working, 1 failing, 1 could not be checked. Failing: 'uppzy-bot'. Could not be checked: 'acme-bot'."],
    );
    await eventually(() => api.view.badge?.value === 2, 'the badge to count the failing key too');
  });

  it('survives a setting that is not a list at all', async () => {
    const prompts = new ScriptedPrompts([]);
    api.usePrompts(prompts);
    await settings().update('customProviders', { not: 'a list' }, vscode.ConfigurationTarget.Global);
    await eventually(() => prompts.notifications.length > 0, 'the problem to be reported');
    assert.match(prompts.notifications[0]!.message, /skipped 1 custom provider definition: providers: expected a list of provider definitions$/);
    assert.equal(api.providers.all().length, BUILT_IN_PROVIDERS.length);
  });

  it('Add Custom Provider writes a valid definition to the user settings', async () => {
    const prompts = new ScriptedPrompts([
      { input: 'Acme Orders API' },
      { input: 'Acme', expectProblem: /lowercase/ },
      { input: 'a', expectProblem: /^Use 2 to 40 lowercase letters/ },
      { input: 'acme-orders' },
      { input: 'http://api.acme.example', expectProblem: /https/ },
      { input: 'https://api.acme.example/v1' },
      { back: true },
      { back: true },
      { input: 'acme-orders' },
      { input: 'https://api.acme.example/v1' },
      { input: 'Authorization' },
      { input: 'Bearer ' },
      { input: 'me', expectProblem: /^Start the path with \/\.$/ },
      { input: '/me?fields=id' },
      { input: 'http://docs.acme.example/auth', expectProblem: /https:\/\/ link/ },
      { input: 'https://docs.acme.example/auth' },
      { notify: undefined },
    ]);
    api.usePrompts(prompts);
    const id = await vscode.commands.executeCommand<string>('apiKeyGuard.addCustomProvider');
    assert.equal(id, 'acme-orders');
    assert.deepEqual(
      [...new Set(prompts.asked)],
      ['Name', 'Id', 'Base URL', 'Key header', 'Key prefix', 'Check request', 'Documentation'].map(
        (step, at) => `input: Add Custom Provider (${at + 1}/7): ${step}`,
      ),
    );
    assert.equal(prompts.prefilled['Add Custom Provider (3/7): Base URL'], 'https://api.acme.example/v1', 'Back keeps what was typed');
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

  it('lists a catalogue provider only once it has a key, or the user turns it on', async () => {
    await eventually(async () => (await rootLabels()).join() === 'Sales Layer,Uppzy M2M API,Scaleflex DAM,Layerx402', 'only the four seeds');
    await api.store.add({ providerId: 'stripe', name: 'billing-worker', environment: 'production', params: {} }, 'sk_test_4eC39HqLyjWDarjtT1zdp7dcLocal');
    await eventually(async () => (await rootLabels()).includes('Stripe'), 'Stripe listed with its key');
    assert.ok(!(await rootLabels()).includes('GitHub'));
    await settings().update('builtInProviders', ['saleslayer', 'github'], vscode.ConfigurationTarget.Global);
    await eventually(async () => (await rootLabels()).join() === 'Sales Layer,GitHub,Stripe', 'the chosen ones and the one with a key');
  });

  it('asks which key when a command runs from the palette without a tree row', async () => {
    const record = await api.store.add(
      { providerId: 'uppzy', name: 'staging-crm-sync', environment: 'staging', params: { tenantId: 'tenant-1' } },
      'upz_live_1234567890abcdef1234567890abcdef',
    );
    const prompts = new ScriptedPrompts([{ pick: 'staging-crm-sync' }, { confirm: true }]);
    api.usePrompts(prompts);
    await vscode.commands.executeCommand('apiKeyGuard.removeKey');
    assert.equal(api.store.get(record.id), undefined);
    assert.deepEqual(prompts.asked, ['pick: Remove Key', "confirm: Remove the key 'staging-crm-sync'?"]);
  });
});
