import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import { findKeyProblem } from '../../core/keyHygiene';
import { ENVIRONMENTS, findDateProblem, findVariableNameProblem, toLastCheck, type KeyRecord } from '../../core/keyRecord';
import {
  checkLabel,
  DEFAULT_CHECK_ID,
  describeCheckRequest,
  describeKeyCheck,
  findParameterProblem,
  listChecks,
  type ProviderDefinition,
} from '../../core/providers';
import { maskSecret } from '../../core/redaction';
import { SecretStorageError, type NewKeyRecord } from '../keyStore';
import { ProviderNode } from '../keyTree';
import { resolveKey, resolveProvider, type KeyArgument, type ProviderArgument } from './pickers';
import type { CommandServices } from './services';

/** Arguments another command may pass to Add Key, e.g. the linter's "store this literal as a managed key". */
export interface AddKeyArguments {
  providerId?: string;
  value?: string;
  name?: string;
}

/** Add, edit, copy, rotate and remove keys; terminal variables; provider docs. */
export function registerKeyCommands(services: CommandServices): vscode.Disposable[] {
  const { store, providers, log } = services;
  const key = (title: string, run: (record: KeyRecord) => Promise<unknown>, filter?: (record: KeyRecord) => boolean) => async (argument?: KeyArgument) => {
    const record = await resolveKey(argument, store, providers, services.prompts(), title, filter);
    return record && guarded(services, () => run(record));
  };
  return [
    vscode.commands.registerCommand('apiKeyGuard.addKey', async (argument?: ProviderArgument | AddKeyArguments) =>
      guarded(services, () => addKey(services, argument)),
    ),
    vscode.commands.registerCommand(
      'apiKeyGuard.editKey',
      key('Edit Key Details', (record) => editKey(services, record)),
    ),
    vscode.commands.registerCommand(
      'apiKeyGuard.copyKey',
      key('Copy Key', (record) => copyKey(services, record)),
    ),
    vscode.commands.registerCommand(
      'apiKeyGuard.rotateKey',
      key(
        'Rotate Key',
        (record) => rotateKey(services, record),
        (record) => !record.replacedBy && providers.find(record.providerId) !== undefined,
      ),
    ),
    vscode.commands.registerCommand(
      'apiKeyGuard.removeKey',
      key('Remove Key', (record) => removeKey(services, record)),
    ),
    vscode.commands.registerCommand(
      'apiKeyGuard.confirmRevoked',
      key(
        'Confirm Old Key Revoked',
        (record) => confirmRevoked(services, record),
        (record) => !!record.replacedBy,
      ),
    ),
    vscode.commands.registerCommand(
      'apiKeyGuard.setTerminalVariable',
      key('Set as Terminal Variable', (record) => setTerminalVariable(services, record)),
    ),
    vscode.commands.registerCommand(
      'apiKeyGuard.clearTerminalVariable',
      key(
        'Stop Setting Terminal Variable',
        (record) => store.update(record.id, withoutTerminalVariable),
        (record) => !!record.terminalVariable,
      ),
    ),
    vscode.commands.registerCommand('apiKeyGuard.openProviderDocs', async (argument?: ProviderArgument | KeyArgument) => {
      const providerId = argument && typeof argument === 'object' && 'record' in argument ? argument.record.providerId : (argument as ProviderArgument);
      const provider = await resolveProvider(providerId, providers, services.prompts(), 'Open Provider Docs');
      return provider && vscode.env.openExternal(vscode.Uri.parse(provider.docsUrl));
    }),
    vscode.commands.registerCommand('apiKeyGuard.showLog', () => log.show()),
  ];
}

/** Runs a command body; a storage failure becomes an error notification instead of a silent rejection. */
async function guarded<T>(services: CommandServices, body: () => Promise<T>): Promise<T | undefined> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof SecretStorageError) {
      services.log.error(error);
      void services
        .prompts()
        .notify('error', error.message, 'Show Log')
        .then((action) => action && services.log.show());
      return undefined;
    }
    throw error;
  }
}

async function askSecret(
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

async function askParameters(
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
async function askCheck(
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

async function askEnvironment(services: CommandServices, current?: string): Promise<string | undefined> {
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

async function askOptionalDate(services: CommandServices, title: string, prompt: string, current?: string): Promise<string | null | undefined> {
  const text = await services.prompts().input({
    title,
    prompt,
    placeHolder: 'YYYY-MM-DD, or leave empty',
    ...(current ? { value: current } : {}),
    validateInput: (value) => (value.trim() === '' ? undefined : findDateProblem(value.trim())),
  });
  return text === undefined ? undefined : text.trim() === '' ? null : text.trim();
}

async function addKey(services: CommandServices, argument?: ProviderArgument | AddKeyArguments): Promise<KeyRecord | undefined> {
  // A tree row or a provider id names only the provider; an object may also carry a name and the key.
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
  const secret = await askSecret(services, provider, `Add ${provider.displayName} key: the key`, prefill.value);
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

/** The details a check request is built from, besides the secret and the provider. */
const CHECK_REQUEST_FIELDS: ReadonlySet<keyof KeyRecord> = new Set(['baseUrl', 'params', 'checkId']);

async function editKey(services: CommandServices, record: KeyRecord): Promise<KeyRecord | undefined> {
  const provider = services.providers.find(record.providerId);
  const fields = [
    { label: 'Name', description: record.name, field: 'name' },
    { label: 'Environment', description: record.environment, field: 'environment' },
    { label: 'Owner', description: record.owner ?? 'not set', field: 'owner' },
    { label: 'Expiry date', description: record.expiresOn ?? 'not set', field: 'expiresOn' },
    { label: 'Rotate-by date', description: record.rotateBy ?? 'not set', field: 'rotateBy' },
    // Without the provider's definition there is no default base URL to show and no check to point elsewhere.
    ...(provider ? [{ label: 'Base URL', description: record.baseUrl ?? `${provider.baseUrl} (default)`, field: 'baseUrl' as const }] : []),
    // Also offered when the key's check is gone from the provider, so the key can be made checkable again.
    ...(provider && (provider.alternativeChecks?.length || record.checkId)
      ? [{ label: 'Check', description: describeKeyCheck(provider, record.checkId), field: 'checkId' as const }]
      : []),
    ...(provider?.parameters.length
      ? [
          {
            label: 'Check parameters',
            description: provider.parameters.map((parameter) => `${parameter.label}: ${record.params[parameter.name] ?? '—'}`).join(', '),
            field: 'params' as const,
          },
        ]
      : []),
  ] as const;
  const picked = await services.prompts().pick(fields, { title: `Edit '${record.name}'`, placeHolder: 'Which detail?' });
  if (!picked) {
    return undefined;
  }
  const prompts = services.prompts();
  let change: Partial<KeyRecord> | undefined;
  switch (picked.field) {
    case 'name':
    case 'owner': {
      const value = await prompts.input({
        title: `Edit '${record.name}': ${picked.label}`,
        value: record[picked.field] ?? '',
        validateInput: (text) => (picked.field === 'name' && !text.trim() ? 'Enter a name.' : undefined),
      });
      change = value === undefined ? undefined : { [picked.field]: value.trim() || undefined };
      break;
    }
    case 'environment': {
      const value = await askEnvironment(services, record.environment);
      change = value === undefined ? undefined : { environment: value.trim() };
      break;
    }
    case 'expiresOn':
    case 'rotateBy': {
      const value = await askOptionalDate(
        services,
        `Edit '${record.name}': ${picked.label}`,
        picked.field === 'rotateBy' ? 'When should this key be rotated?' : 'When does this key expire?',
        record[picked.field],
      );
      change = value === undefined ? undefined : { [picked.field]: value ?? undefined };
      break;
    }
    case 'baseUrl': {
      const value = await prompts.input({
        title: `Edit '${record.name}': base URL`,
        prompt: `Leave empty for the default (${provider?.baseUrl}). Keys are only ever sent over HTTPS, or plain HTTP to this machine.`,
        value: record.baseUrl ?? '',
        validateInput: (text) => (text.trim() === '' || /^https?:\/\/[^\s]+$/.test(text.trim()) ? undefined : 'Enter a URL such as https://api.example.com'),
      });
      change = value === undefined ? undefined : { baseUrl: value.trim() || undefined };
      break;
    }
    case 'params': {
      const params = provider && (await askParameters(services, provider, record.params));
      change = params ? { params } : undefined;
      break;
    }
    case 'checkId': {
      const checkId = provider && (await askCheck(services, provider, `Edit '${record.name}': check`, record.checkId));
      change = checkId === undefined ? undefined : { checkId: checkId ?? undefined };
      break;
    }
  }
  if (!change) {
    return undefined;
  }
  // Only a new request makes the last result stale; a new name or date does not.
  const changesRequest = CHECK_REQUEST_FIELDS.has(picked.field) && !isDeepStrictEqual(change[picked.field], record[picked.field]);
  return services.store.update(record.id, (current) => dropUndefined({ ...current, ...change, ...(changesRequest ? { lastCheck: undefined } : {}) }));
}

async function copyKey(services: CommandServices, record: KeyRecord): Promise<void> {
  const secret = await services.store.readSecret(record.id);
  if (secret === undefined) {
    await services.prompts().notify('warning', `The key '${record.name}' is no longer in VS Code's secret storage. Use "Rotate Key" to enter it again.`);
    return;
  }
  await vscode.env.clipboard.writeText(secret);
  void services.prompts().notify('info', `Copied '${record.name}' (${maskSecret(secret)}) to the clipboard.`);
}

async function removeKey(services: CommandServices, record: KeyRecord): Promise<boolean> {
  const confirmed = await services
    .prompts()
    .confirm(
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

/**
 * The provider's rotation sequence: enter the new key, check it, move the terminal variable to it, and keep
 * the old key marked "to revoke" (with a reminder) until the user confirms it is revoked at the provider.
 * The new key is checked before it is stored, so a failing key, or a storage that fails, leaves nothing behind.
 */
async function rotateKey(services: CommandServices, record: KeyRecord): Promise<KeyRecord | undefined> {
  const provider = services.providers.find(record.providerId);
  if (!provider) {
    await services.prompts().notify('error', `The provider '${record.providerId}' of '${record.name}' is no longer defined.`);
    return undefined;
  }
  const oldSecret = await services.store.readSecret(record.id);
  const secret = await askSecret(
    services,
    provider,
    `Rotate '${record.name}': create a new key at ${provider.displayName}, then paste it here`,
    undefined,
    oldSecret,
  );
  if (secret === undefined) {
    return undefined;
  }
  const { id: _id, createdAt: _createdAt, lastCheck: _lastCheck, replacedBy: _replacedBy, rotateBy: _rotateBy, expiresOn: _expiresOn, ...kept } = record;
  const result = await services.checks.checkNewSecret(kept, secret);
  if (result.outcome !== 'ok') {
    const keep = await services
      .prompts()
      .confirm(
        `The new key for '${record.name}' failed its check.`,
        `${result.message}\n\nKeep it anyway? The old key stays in use until you do.`,
        'Keep New Key',
      );
    if (!keep) {
      return undefined;
    }
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

async function confirmRevoked(services: CommandServices, record: KeyRecord): Promise<boolean> {
  const confirmed = await services
    .prompts()
    .confirm(
      `Has the old '${record.name}' key been revoked at the provider?`,
      "API Key Guard then deletes it from VS Code's secret storage.",
      'Yes, Delete It',
    );
  if (confirmed) {
    await services.store.remove(record.id);
  }
  return confirmed;
}

async function setTerminalVariable(services: CommandServices, record: KeyRecord): Promise<KeyRecord | undefined> {
  const provider = services.providers.find(record.providerId);
  const name = await services.prompts().input({
    title: `'${record.name}' in new terminals`,
    prompt: 'New integrated terminals of this workspace get the key in this environment variable, so programs read it without a .env file.',
    value: record.terminalVariable ?? provider?.envVars[0] ?? 'API_KEY',
    validateInput: (text) => findVariableNameProblem(text.trim()),
  });
  if (name === undefined) {
    return undefined;
  }
  // One key per variable: another key that had it gives it up.
  for (const other of services.store.list()) {
    if (other.id !== record.id && other.terminalVariable === name.trim()) {
      await services.store.update(other.id, withoutTerminalVariable);
    }
  }
  return services.store.update(record.id, (current) => ({ ...current, terminalVariable: name.trim() }));
}

function withoutTerminalVariable(record: KeyRecord): KeyRecord {
  const { terminalVariable: _dropped, ...rest } = record;
  return rest;
}

function dropUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
