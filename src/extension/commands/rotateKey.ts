/** The end of a key's life: Rotate Key, Confirm Old Key Revoked, Remove Key; each asks in a modal dialog before it replaces or deletes. */
import * as vscode from 'vscode';
import { toLastCheck, type KeyRecord } from '../../core/keyRecord';
import { maskSecret } from '../../core/redaction';
import { fieldStep, runSteps } from '../prompts';
import { askOptionalDate, askSecret, confirm, definedProviderOf } from './questions';
import type { CommandServices } from './services';

/**
 * The provider's rotation sequence: enter the new key, check it, move the terminal variable to it, and keep
 * the old key marked "to revoke" (with a reminder) until the user confirms it is revoked at the provider.
 * The new key is checked before it is stored, so a key the user drops, or a storage that fails, leaves nothing behind.
 */
export async function rotateKey(services: CommandServices, record: KeyRecord): Promise<KeyRecord | undefined> {
  const provider = await definedProviderOf(services, record);
  if (!provider) {
    return undefined;
  }
  const oldSecret = await services.store.readSecret(record.id);
  const answers = await runSteps<{ secret?: string; expiresOn?: string | null }>(
    () => `Rotate '${record.name}'`,
    () => [
      fieldStep('New key', 'secret', (state, place) =>
        askSecret(services, place, provider, {
          prompt: `Create a new key at ${provider.displayName}, then paste it here.`,
          value: state.secret,
          differentFrom: oldSecret,
        }),
      ),
      // The old key's dates belong to it: the new key has its own expiry.
      fieldStep('Expiry', 'expiresOn', (state, place) =>
        askOptionalDate(services, place, {
          prompt: 'When does the new key expire? API Key Guard reminds you before it does.',
          current: state.expiresOn ?? undefined,
          expiry: true,
        }),
      ),
    ],
    {},
  );
  const secret = answers?.secret;
  if (secret === undefined) {
    return undefined;
  }
  const { id: _id, createdAt: _createdAt, lastCheck: _lastCheck, replacedBy: _replacedBy, rotateBy: _rotateBy, expiresOn: _expiresOn, ...rest } = record;
  const kept = { ...rest, ...(answers?.expiresOn ? { expiresOn: answers.expiresOn } : {}) };
  const result = await services.checks.checkNewSecret(kept, secret);
  const works = result.outcome === 'ok';
  const keep = await confirm(
    services,
    works ? `Use the new key for '${record.name}'?` : `The new key for '${record.name}' failed its check.`,
    works
      ? `It works: ${result.message}\n\nThe old key stays, marked to revoke, until you confirm it is revoked at ${provider.displayName}.`
      : `${result.message}\n\nKeep it anyway? The old key stays in use until you do.`,
    works ? 'Use New Key' : 'Keep New Key',
  );
  if (!keep) {
    return undefined;
  }
  // The new key takes over the terminal variable; the old one waits to be revoked.
  const replacement = await services.store.replace(record.id, kept, secret, toLastCheck(result, new Date()));
  services.log.info(`rotated '${record.name}': new key ${maskSecret(secret)}, old key kept until revoked`, [secret, ...(oldSecret ? [oldSecret] : [])]);
  const action = await services
    .prompts()
    .notify(
      'info',
      `'${record.name}' now uses the new key${record.terminalVariable ? ` (new terminals get it as $${record.terminalVariable})` : ''}. Deploy it, confirm traffic uses it, then revoke the old key at ${provider.displayName}.`,
      'I Revoked the Old Key',
      'Open Provider Docs',
    );
  if (action === 'I Revoked the Old Key') {
    await vscode.commands.executeCommand('apiKeyGuard.confirmRevoked', record.id);
  } else if (action === 'Open Provider Docs') {
    await vscode.env.openExternal(vscode.Uri.parse(provider.docsUrl));
  }
  return services.store.get(replacement.id);
}

export async function confirmRevoked(services: CommandServices, record: KeyRecord): Promise<boolean> {
  const confirmed = await confirm(
    services,
    `Has the old '${record.name}' key been revoked at the provider?`,
    "API Key Guard then deletes it from VS Code's secret storage.",
    'Yes, Delete It',
  );
  if (confirmed) {
    await services.store.remove(record.id);
  }
  return confirmed;
}

export async function removeKey(services: CommandServices, record: KeyRecord): Promise<boolean> {
  const confirmed = await confirm(
    services,
    `Remove the key '${record.name}'?`,
    "It is deleted from VS Code's secret storage. If nothing uses it any more, revoke it at the provider too.",
    'Remove',
  );
  if (confirmed) {
    await services.store.remove(record.id);
    services.log.info(`removed key '${record.name}'`);
  }
  return confirmed;
}
