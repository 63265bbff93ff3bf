/**
 * The context keys menus and the walkthrough read: what the stored keys' metadata says (never a
 * secret), and that a program received keys, which completes the walkthrough's last step.
 */
import * as vscode from 'vscode';
import type { KeyAccess } from './keyAccess';
import type { KeyStore } from './keyStore';

export function trackContextKeys(store: KeyStore, access: KeyAccess): vscode.Disposable {
  const set = (key: string, value: boolean) => void vscode.commands.executeCommand('setContext', `apiKeyGuard.${key}`, value);
  const update = () => {
    const records = store.list();
    set('hasKeys', records.length > 0);
    set(
      'hasWorkingKey',
      records.some((record) => record.lastCheck?.outcome === 'ok'),
    );
    set(
      'hasTerminalVariables',
      records.some((record) => record.terminalVariable),
    );
    set(
      'hasKeysToRevoke',
      records.some((record) => record.replacedBy),
    );
  };
  update();
  return vscode.Disposable.from(
    store.onDidChange(update),
    access.onDidProvideKeys(() => set('keysGivenToProgram', true)),
  );
}
