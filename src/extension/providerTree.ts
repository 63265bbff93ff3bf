import * as vscode from 'vscode';
import { describeAuth, type ProviderDefinition } from '../core/providers';

export class ProviderTreeItem extends vscode.TreeItem {
  constructor(readonly provider: ProviderDefinition) {
    super(provider.displayName, vscode.TreeItemCollapsibleState.None);
    this.id = `provider:${provider.id}`;
    this.description = describeAuth(provider.auth);
    this.tooltip = new vscode.MarkdownString(
      `**${provider.displayName}**\n\nKey sent as: ${describeAuth(provider.auth)}\n\nBase URL: \`${provider.baseUrl}\``,
    );
    this.iconPath = new vscode.ThemeIcon('plug');
    this.contextValue = 'provider';
  }
}

export class ProviderTreeDataProvider implements vscode.TreeDataProvider<ProviderTreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ProviderTreeItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly listProviders: () => readonly ProviderDefinition[]) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(element: ProviderTreeItem): vscode.TreeItem {
    return element;
  }

  getChildren(element?: ProviderTreeItem): ProviderTreeItem[] {
    return element ? [] : this.listProviders().map((provider) => new ProviderTreeItem(provider));
  }

  dispose(): void {
    this.changed.dispose();
  }
}
