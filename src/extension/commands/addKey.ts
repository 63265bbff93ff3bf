/** Add Key: from the palette, a provider row, a link, or the linter with the literal it found. */
import * as vscode from 'vscode';
import type { KeyRecord } from '../../core/keyRecord';
import { maskSecret } from '../../core/redaction';
import type { NewKeyRecord } from '../keyStore';
import { ProviderNode } from '../keyTree';
import { askCheck, askEnvironment, askOptionalDate, askParameters, askSecret, resolveProvider, type ProviderArgument } from './questions';
import type { CommandServices } from './services';

/**
 * What anyone may pass to Add Key (a link, another extension): a provider to preselect and a name to
 * suggest. A key value is never taken from a command's argument.
 */
export interface AddKeyArguments {
  providerId?: string;
  name?: string;
}

/** A literal the linter found in a file, for Add Key to fill in: the one way a value is prefilled, and only API Key Guard's own code takes it. */
export interface FoundKey extends AddKeyArguments {
  value: string;
}

export type StoreFoundKey = (found: FoundKey) => Promise<KeyRecord | undefined>;

/** The linter's "Store as a managed key": Add Key with the literal filled in. */
export function addFoundKey(services: CommandServices, found: FoundKey): Promise<KeyRecord | undefined> {
  return addKey(services, found, found.value);
}

export async function addKey(services: CommandServices, argument?: ProviderArgument | AddKeyArguments, value?: string): Promise<KeyRecord | undefined> {
  // A tree row or a provider id names only the provider; an object may also suggest a name.
  const namesProviderOnly = argument instanceof ProviderNode || typeof argument === 'string';
  const prefill: AddKeyArguments = namesProviderOnly ? {} : (argument ?? {});
  const provider = await resolveProvider(namesProviderOnly ? argument : prefill.providerId, services.providers, services.prompts(), 'Add Key: provider');
  if (!provider) {
    return undefined;
  }
  const taken = new Set(
    services.store
      .list()
      .filter((record) => record.providerId === provider.id)
      .map((record) => record.name),
  );
  const name = await services.prompts().input({
    title: `Add ${provider.displayName} key: name`,
    prompt: 'A name that says where the key is used, e.g. prod-order-bot',
    ...(prefill.name ? { value: prefill.name } : {}),
    validateInput: (text) =>
      !text.trim() ? 'Enter a name.' : taken.has(text.trim()) ? `${provider.displayName} already has a key named '${text.trim()}'.` : undefined,
  });
  if (name === undefined) {
    return undefined;
  }
  const environment = await askEnvironment(services);
  if (environment === undefined) {
    return undefined;
  }
  const secret = await askSecret(services, provider, `Add ${provider.displayName} key: the key`, value);
  if (secret === undefined) {
    return undefined;
  }
  const params = await askParameters(services, provider);
  if (params === undefined) {
    return undefined;
  }
  const checkId = provider.alternativeChecks?.length ? await askCheck(services, provider, `Add ${provider.displayName} key: check`) : null;
  if (checkId === undefined) {
    return undefined;
  }
  const expiresOn = await askOptionalDate(
    services,
    `Add ${provider.displayName} key: expiry`,
    'When does the key expire? API Key Guard reminds you before it does.',
  );
  if (expiresOn === undefined) {
    return undefined;
  }
  const input: NewKeyRecord = {
    providerId: provider.id,
    name: name.trim(),
    environment: environment.trim(),
    params,
    ...(checkId ? { checkId } : {}),
    ...(expiresOn ? { expiresOn } : {}),
  };
  const record = await services.store.add(input, secret);
  services.log.info(`added ${provider.displayName} key '${record.name}' (${record.environment}, ${maskSecret(secret)})`, [secret]);
  const action = await services.prompts().notify('info', `Saved ${provider.displayName} key '${record.name}' in VS Code's secret storage.`, 'Check Now');
  if (action === 'Check Now') {
    await vscode.commands.executeCommand('apiKeyGuard.checkKey', record.id);
  }
  return record;
}
