import type { KeyRecord } from '../../core/keyRecord';
import { describeAuth, type ProviderDefinition } from '../../core/providers';
import { KeyNode, ProviderNode, unknownProviderName } from '../keyTree';
import type { KeyStore } from '../keyStore';
import type { Prompts } from '../prompts';
import type { ProviderRegistry } from '../providerRegistry';

/** What a command may be invoked with: a tree row (menus), an id (links, other commands), or nothing (palette). */
export type KeyArgument = KeyNode | { keyId: string } | string | undefined;
export type ProviderArgument = ProviderNode | { providerId: string } | string | undefined;

/** The key a command acts on: the tree row it was invoked on, or one the user picks. */
export async function resolveKey(
  argument: KeyArgument,
  store: KeyStore,
  providers: ProviderRegistry,
  prompts: Prompts,
  title: string,
  filter: (record: KeyRecord) => boolean = () => true,
): Promise<KeyRecord | undefined> {
  const id = argument instanceof KeyNode ? argument.record.id : typeof argument === 'string' ? argument : argument?.keyId;
  if (id !== undefined) {
    return store.get(id);
  }
  const records = store.list().filter(filter);
  if (records.length === 0) {
    await prompts.notify('info', 'API Key Guard has no keys for this yet. Use "API Key Guard: Add Key…" to add one.');
    return undefined;
  }
  const picked = await prompts.pick(
    records.map((record) => ({
      label: record.name,
      description: `${providers.find(record.providerId)?.displayName ?? unknownProviderName(record.providerId)} · ${record.environment}`,
      record,
    })),
    { title, placeHolder: 'Pick a key', matchOnDescription: true },
  );
  return picked?.record;
}

export async function resolveProvider(
  argument: ProviderArgument,
  providers: ProviderRegistry,
  prompts: Prompts,
  title: string,
  filter: (provider: ProviderDefinition) => boolean = () => true,
): Promise<ProviderDefinition | undefined> {
  const id = argument instanceof ProviderNode ? argument.provider.id : typeof argument === 'string' ? argument : argument?.providerId;
  if (id !== undefined) {
    return providers.find(id);
  }
  const picked = await prompts.pick(
    providers
      .all()
      .filter(filter)
      .map((provider) => ({ label: provider.displayName, description: describeAuth(provider.auth), detail: provider.baseUrl, provider })),
    { title, placeHolder: 'Pick a provider' },
  );
  return picked?.provider;
}
