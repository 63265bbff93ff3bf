import * as vscode from 'vscode';
import { BUILT_IN_PROVIDERS } from '../core/providers';
import { ProviderTreeDataProvider } from './providerTree';

/** What `activate` hands back: the integration tests reach the services through it. */
export interface ApiKeyGuardApi {
  readonly tree: ProviderTreeDataProvider;
}

export function activate(context: vscode.ExtensionContext): ApiKeyGuardApi {
  const tree = new ProviderTreeDataProvider(() => BUILT_IN_PROVIDERS);
  context.subscriptions.push(
    tree,
    vscode.window.createTreeView('apiKeyGuard.keys', { treeDataProvider: tree, showCollapseAll: true }),
    vscode.commands.registerCommand('apiKeyGuard.refresh', () => tree.refresh()),
    vscode.commands.registerCommand('apiKeyGuard.showProviders', async () => {
      const picked = await vscode.window.showQuickPick(
        BUILT_IN_PROVIDERS.map((provider) => ({ label: provider.displayName, detail: provider.baseUrl, provider })),
        { title: 'API Key Guard: Providers', placeHolder: 'Pick a provider to open its documentation' },
      );
      if (picked) {
        await vscode.env.openExternal(vscode.Uri.parse(picked.provider.docsUrl));
      }
    }),
  );
  return { tree };
}

export function deactivate(): void {}
