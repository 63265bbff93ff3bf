/** Every question the key commands ask, so each flow reads as its steps and each question is asked one way. */
import { findKeyProblem } from '../../core/keyHygiene';
import { ENVIRONMENTS, findDateProblem, type KeyRecord } from '../../core/keyRecord';
import { findParameterProblem } from '../../core/providers/checkTarget';
import { checkLabel, describeAuth, describeCheckRequest, listChecks } from '../../core/providers/presentation';
import { DEFAULT_CHECK_ID, type ProviderDefinition } from '../../core/providers/types';
import { KeyNode, ProviderNode, unknownProviderName } from '../keyTree';
import type { KeyStore } from '../keyStore';
import type { Prompts } from '../prompts';
import type { ProviderRegistry } from '../providerRegistry';
import type { CommandServices } from './services';

/**
 * What a command may be invoked with: a tree row (menus), an id (links, other commands), or nothing
 * (palette). Each only names where a command starts, never the user's consent: another extension can
 * pass any of them (VS Code even turns its tree-item references into our own rows), so what must be the
 * user's choice is asked in a modal dialog (`confirm`).
 */
export type KeyArgument = KeyNode | { keyId: string } | string | undefined;
export type ProviderArgument = ProviderNode | { providerId: string } | string | undefined;

/** The key a command acts on: the one its argument names, or one the user picks. */
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

/**
 * Asks in a modal dialog before a key leaves secret storage or is deleted or replaced. Every other question
 * (quick picks, input boxes, notifications, even which tree row a command gets) another extension can
 * answer with VS Code's own commands; a modal dialog it cannot.
 */
export function confirm(services: CommandServices, message: string, detail: string, action: string): Promise<boolean> {
  return services.prompts().confirm(message, detail, action);
}

export async function askSecret(
  services: CommandServices,
  provider: ProviderDefinition,
  title: string,
  value?: string,
  differentFrom?: string,
): Promise<string | undefined> {
  return services.prompts().input({
    title,
    prompt: `Paste the ${provider.displayName} key. It is kept in VS Code's secret storage only, never in settings or files.`,
    password: true,
    ...(value === undefined ? {} : { value }),
    validateInput: (text) => (text === differentFrom ? 'This is the key you already have: paste the new one.' : findKeyProblem(text, provider)),
  });
}

export async function askParameters(
  services: CommandServices,
  provider: ProviderDefinition,
  current: Readonly<Record<string, string>> = {},
): Promise<Record<string, string> | undefined> {
  const params: Record<string, string> = {};
  for (const parameter of provider.parameters) {
    const value = await services.prompts().input({
      title: `${provider.displayName}: ${parameter.label}`,
      prompt: parameter.description,
      ...(current[parameter.name] === undefined ? {} : { value: current[parameter.name] }),
      validateInput: (text) => findParameterProblem(parameter, text.trim()),
    });
    if (value === undefined) {
      return undefined;
    }
    params[parameter.name] = value.trim();
  }
  return params;
}

/**
 * Which of the provider's checks proves the key, asked only when it has more than one: the id of an
 * alternative, null for the default, undefined when cancelled.
 */
export async function askCheck(
  services: CommandServices,
  provider: ProviderDefinition,
  title: string,
  current = DEFAULT_CHECK_ID,
): Promise<string | null | undefined> {
  const picked = await services.prompts().pick(
    listChecks(provider).map((check) => ({
      label: checkLabel(check),
      description: describeCheckRequest(check),
      picked: check.id === current,
      check,
    })),
    { title, placeHolder: 'Which request proves the key works? Choose the API this key may use.' },
  );
  return picked === undefined ? undefined : picked.check.id === DEFAULT_CHECK_ID ? null : picked.check.id;
}

export async function askEnvironment(services: CommandServices, current?: string): Promise<string | undefined> {
  const other = '$(edit) Other…';
  const picked = await services.prompts().pick([...ENVIRONMENTS.map((label) => ({ label, picked: label === current })), { label: other }], {
    title: 'Environment',
    placeHolder: 'Which environment is this key for?',
  });
  if (picked?.label !== other) {
    return picked?.label;
  }
  return services.prompts().input({
    title: 'Environment',
    prompt: 'Name the environment, e.g. qa or eu-production',
    validateInput: (text) => (text.trim() ? undefined : 'Enter a name.'),
  });
}

export async function askOptionalDate(services: CommandServices, title: string, prompt: string, current?: string): Promise<string | null | undefined> {
  const text = await services.prompts().input({
    title,
    prompt,
    placeHolder: 'YYYY-MM-DD, or leave empty',
    ...(current ? { value: current } : {}),
    validateInput: (value) => (value.trim() === '' ? undefined : findDateProblem(value.trim())),
  });
  return text === undefined ? undefined : text.trim() === '' ? null : text.trim();
}

/** A new base URL for the key's checks, null for the provider's; a server of another origin than the provider's is confirmed first. */
export async function askBaseUrl(services: CommandServices, record: KeyRecord, provider: ProviderDefinition): Promise<string | null | undefined> {
  const value = await services.prompts().input({
    title: `Edit '${record.name}': base URL`,
    prompt: `Leave empty for the default (${provider.baseUrl}). Keys are only ever sent over HTTPS, or plain HTTP to this machine.`,
    value: record.baseUrl ?? '',
    validateInput: (text) =>
      text.trim() === '' || (URL.canParse(text.trim()) && /^https?:\/\/\S+$/.test(text.trim())) ? undefined : 'Enter a URL such as https://api.example.com',
  });
  const baseUrl = value?.trim() || null;
  const origin = baseUrl && new URL(baseUrl).origin;
  if (value === undefined || !origin || [new URL(provider.baseUrl).origin, new URL(record.baseUrl ?? provider.baseUrl).origin].includes(origin)) {
    return value === undefined ? undefined : baseUrl;
  }
  const send = await confirm(
    services,
    `Send the key '${record.name}' to ${origin}?`,
    `Its checks go to ${baseUrl} from now on, not to ${provider.displayName} at ${new URL(provider.baseUrl).origin}: whoever runs that server receives the key.`,
    'Send It There',
  );
  return send ? baseUrl : undefined;
}
