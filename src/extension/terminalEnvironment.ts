import * as vscode from 'vscode';
import type { KeyStore } from './keyStore';

/**
 * Puts opted-in keys into new integrated terminals through the extension's environment variable
 * collection. `persistent` is off, because VS Code would otherwise write the values to disk to restore
 * them in the next session; the collection is rebuilt from secret storage on every start instead.
 */
export class TerminalEnvironment implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly collection: vscode.GlobalEnvironmentVariableCollection,
    private readonly store: KeyStore,
    onError: (error: unknown) => void,
  ) {
    collection.persistent = false;
    this.subscription = store.onDidChange(() => void this.update().catch(onError));
  }

  /** Rebuilds the collection from the keys that have a terminal variable. */
  async update(): Promise<void> {
    const wanted = new Map<string, { value: string; name: string }>();
    for (const record of this.store.list()) {
      if (record.terminalVariable && !record.replacedBy) {
        const secret = await this.store.readSecret(record.id);
        if (secret !== undefined) {
          wanted.set(record.terminalVariable, { value: secret, name: record.name });
        }
      }
    }
    this.collection.clear();
    for (const [variable, { value }] of wanted) {
      this.collection.replace(variable, value, { applyAtProcessCreation: true });
    }
    this.collection.description = wanted.size
      ? new vscode.MarkdownString(`API Key Guard sets ${[...wanted].map(([variable, { name }]) => `\`${variable}\` (key '${name}')`).join(', ')} from VS Code's secret storage.`)
      : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
