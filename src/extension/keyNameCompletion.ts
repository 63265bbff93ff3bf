/** Completion of stored key names, and of the variables providers document, where launch.json and tasks.json name keys. */
import * as vscode from 'vscode';
import { loadMigrationFlow } from './keyMigration';
import type { KeyStore } from './keyStore';
import type { ProviderRegistry } from './providerRegistry';
import { TASK_TYPE } from './taskKeys';

const FILES: vscode.DocumentSelector = [{ pattern: '**/.vscode/launch.json' }, { pattern: '**/.vscode/tasks.json' }];

export function registerKeyNameCompletion(store: KeyStore, providers: ProviderRegistry): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider(FILES, new KeyNameCompletion(store, providers), '"');
}

/** Names and variables only: nothing here reads a secret. */
class KeyNameCompletion implements vscode.CompletionItemProvider {
  constructor(
    private readonly store: KeyStore,
    private readonly providers: ProviderRegistry,
  ) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const file = /[\\/]launch\.json$/.test(document.fileName) ? 'launch' : 'tasks';
    const location = loadMigrationFlow().keyRequestAt(document.getText(), document.offsetAt(position), file, TASK_TYPE);
    if (!location) return [];
    const range = location.inside && new vscode.Range(document.positionAt(location.inside.start), document.positionAt(location.inside.end));
    const item = (label: string, kind: vscode.CompletionItemKind, detail: string, sortText: string) => {
      const completion = new vscode.CompletionItem(label, kind);
      completion.detail = detail;
      completion.sortText = `${sortText}${label}`;
      // Inside quotes the text between them is replaced; elsewhere a whole JSON string goes in.
      completion.insertText = range ? label : JSON.stringify(label);
      if (range) completion.range = range;
      return completion;
    };
    if (location.at === 'name') {
      return this.store
        .list()
        .filter((record) => !record.replacedBy)
        .map((record) => {
          const provider = this.providers.find(record.providerId);
          const fits = provider?.envVars.includes(location.variable) || record.terminalVariable === location.variable;
          return item(
            record.name,
            vscode.CompletionItemKind.Value,
            `API Key Guard: ${provider?.displayName ?? record.providerId} key · ${record.environment}`,
            fits ? '0' : '1',
          );
        });
    }
    const variables = new Map<string, string>();
    for (const provider of this.providers.all())
      for (const variable of provider.envVars) variables.set(variable, `${provider.displayName}'s documented variable`);
    for (const record of this.store.list()) if (record.terminalVariable) variables.set(record.terminalVariable, `the terminal variable of '${record.name}'`);
    return [...variables].map(([variable, detail]) => item(variable, vscode.CompletionItemKind.Variable, `API Key Guard: ${detail}`, '0'));
  }
}
