/** Re-enter Key: the same key typed again, in place, for a stored value the provider refused (mistyped, pasted wrong). */
import * as vscode from 'vscode';
import type { KeyRecord } from '../../core/keyRecord';
import { maskSecret } from '../../core/redaction';
import { askSecret, confirm, definedProviderOf } from './questions';
import type { CommandServices } from './services';

/**
 * Unlike Rotate Key, the key stays the one the provider issued: its record, name, environment, base URL,
 * parameters and terminal variable stay, only the stored value changes, and nothing waits to be revoked.
 */
export async function reenterKey(services: CommandServices, record: KeyRecord): Promise<KeyRecord | undefined> {
  const provider = await definedProviderOf(services, record);
  if (!provider) {
    return undefined;
  }
  const oldSecret = await services.store.readSecret(record.id);
  const secret = await askSecret(services, `Re-enter '${record.name}' (${record.environment})`, provider, {
    prompt: `Paste the ${provider.displayName} key '${record.name}' again, exactly as ${provider.displayName} shows it.`,
    differentFrom: oldSecret,
  });
  if (secret === undefined) {
    return undefined;
  }
  const replace = await confirm(
    services,
    `Replace the stored key of '${record.name}' with the one you entered?`,
    `The value in VS Code's secret storage is overwritten. The key's name, environment, base URL and parameters stay as they are.`,
    'Replace Key',
  );
  if (!replace) {
    return undefined;
  }
  const updated = await services.store.replaceSecret(record.id, secret);
  if (!updated) {
    await services.prompts().notify('warning', `The key '${record.name}' was removed meanwhile, so nothing was saved.`);
    return undefined;
  }
  services.log.info(`re-entered key '${record.name}' (${record.environment}): now ${maskSecret(secret)}`, [secret, ...(oldSecret ? [oldSecret] : [])]);
  const action = await services
    .prompts()
    .notify('info', `Saved the key of '${record.name}' (${record.environment}) again; its details are unchanged.`, 'Check Again');
  if (action === 'Check Again') {
    await vscode.commands.executeCommand('apiKeyGuard.checkKey', record.id);
  }
  return updated;
}
