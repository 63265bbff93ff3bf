/** Every question the key commands ask, so each flow reads as its steps and each question is asked one way. */
import type * as vscode from 'vscode';
import { findKeyProblem } from '../../core/keyHygiene';
import { daysUntil, ENVIRONMENTS, findDateProblem, type KeyRecord } from '../../core/keyRecord';
import { checkOf, defaultBaseUrl, findParameterProblem, findUndeclaredOriginProblem, parametersOf } from '../../core/providers/checkTarget';
import { findProviderBaseUrlProblem, findProviderWebSocketUrlProblem } from '../../core/providers/fields';
import { checkLabel, describeAuth, describeCheckRequest, listChecks } from '../../core/providers/presentation';
import { DEFAULT_CHECK_ID, type ProviderCheck, type ProviderDefinition, type ProviderParameter } from '../../core/providers/types';
import { KeyNode, ProviderNode, unknownProviderName } from '../keyTree';
import type { KeyStore } from '../keyStore';
import { BACK, type Back, type FlowStep, type Prompts, type StepPlace } from '../prompts';
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
  return (await prompts.pick(providerItems(providers, filter), { title, placeHolder: 'Pick a provider' }))?.provider;
}

/** The providers as a pick offers them, the chosen one (if any) preselected. */
export function providerItems(providers: ProviderRegistry, filter: (provider: ProviderDefinition) => boolean = () => true, chosen?: ProviderDefinition) {
  return providers
    .all()
    .filter(filter)
    .map((provider) => ({
      label: provider.displayName,
      description: describeAuth(provider.auth),
      detail: provider.baseUrl,
      picked: provider === chosen,
      provider,
    }));
}

/**
 * Asks in a modal dialog before a key leaves secret storage or is deleted or replaced. Every other question
 * (quick picks, input boxes, notifications, even which tree row a command gets) another extension can
 * answer with VS Code's own commands; a modal dialog it cannot.
 */
export function confirm(services: CommandServices, message: string, detail: string, action: string): Promise<boolean> {
  return services.prompts().confirm(message, detail, action);
}

/** Where a question is asked: alone, under a title (Edit Key Details), or as a step of a flow, where Back is an answer too. */
export type Where = string | StepPlace;
/** What a question gives: its answer, undefined when cancelled, and BACK only where it was a step. */
export type Asked<T, W extends Where> = T | undefined | (W extends StepPlace ? Back : never);

function pick<T extends vscode.QuickPickItem, W extends Where>(services: CommandServices, where: W, items: readonly T[], options: vscode.QuickPickOptions) {
  const prompts = services.prompts();
  return (typeof where === 'string' ? prompts.pick(items, { ...options, title: where }) : prompts.pickStep(items, { ...options, place: where })) as Promise<
    Asked<T, W>
  >;
}

function input<W extends Where>(services: CommandServices, where: W, options: vscode.InputBoxOptions) {
  const prompts = services.prompts();
  return (typeof where === 'string' ? prompts.input({ ...options, title: where }) : prompts.inputStep({ ...options, place: where })) as Promise<
    Asked<string, W>
  >;
}

/** A problem from fields.ts as an input box says it: "Use https://…". */
export function asMessage(problem: string | undefined): string | undefined {
  return problem && `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`;
}

export function askSecret<W extends Where>(
  services: CommandServices,
  where: W,
  provider: ProviderDefinition,
  { value, differentFrom, prompt }: { value?: string | undefined; differentFrom?: string | undefined; prompt?: string } = {},
): Promise<Asked<string, W>> {
  return input(services, where, {
    prompt: `${prompt ?? `Paste the ${provider.displayName} key.`} It is kept in VS Code's secret storage only, never in settings or files.`,
    password: true,
    ...(value === undefined ? {} : { value }),
    validateInput: (text) => (text === differentFrom ? 'This is the key you already have: paste the new one.' : findKeyProblem(text, provider)),
  });
}

/** One of the check's parameters, with an example in the box and the expected format in words when a value is refused. */
export async function askParameter<W extends Where>(
  services: CommandServices,
  where: W,
  parameter: ProviderParameter,
  current: string | undefined,
): Promise<Asked<string, W>> {
  const value = await input(services, where, {
    prompt: parameter.example ? `${parameter.description} For example: ${parameter.example}` : parameter.description,
    ...(parameter.example ? { placeHolder: `e.g. ${parameter.example}` } : {}),
    ...(current === undefined ? {} : { value: current }),
    validateInput: (text) => findParameterProblem(parameter, text.trim()),
  });
  return typeof value === 'string' ? value.trim() : value;
}

/** The parameters `check` uses as steps of a flow, one input box each (Add Key, Check Whether This Key Works). */
export function parameterSteps<State extends { readonly params: Readonly<Record<string, string>> }>(
  services: CommandServices,
  provider: ProviderDefinition | undefined,
  check?: ProviderCheck,
): FlowStep<State>[] {
  return (provider ? parametersOf(provider, check ?? provider.check) : []).map((parameter) => ({
    name: parameter.label,
    ask: async (state, place) => {
      const answer = await askParameter(services, place, parameter, state.params[parameter.name]);
      return typeof answer === 'string' ? ({ params: { ...state.params, [parameter.name]: answer } } as Partial<State>) : answer;
    },
  }));
}

/** The key's provider, or undefined after telling the user it is no longer defined (a key to rotate or re-enter needs its format). */
export async function definedProviderOf(services: CommandServices, record: KeyRecord): Promise<ProviderDefinition | undefined> {
  const provider = services.providers.find(record.providerId);
  if (!provider) {
    await services.prompts().notify('error', `The provider '${record.providerId}' of '${record.name}' is no longer defined.`);
  }
  return provider;
}

/** Every parameter the check uses, one input box each (Edit Key Details). */
export async function askParameters(
  services: CommandServices,
  provider: ProviderDefinition,
  current: Readonly<Record<string, string>> = {},
  check: ProviderCheck = provider.check,
): Promise<Record<string, string> | undefined> {
  const params: Record<string, string> = {};
  for (const parameter of parametersOf(provider, check)) {
    const value = await askParameter(services, `${provider.displayName}: ${parameter.label}`, parameter, current[parameter.name]);
    if (value === undefined) {
      return undefined;
    }
    params[parameter.name] = value;
  }
  return params;
}

/**
 * Which of the provider's checks proves the key, asked only when it has more than one: the id of an
 * alternative, null for the default, undefined when cancelled.
 */
export async function askCheck<W extends Where>(
  services: CommandServices,
  where: W,
  provider: ProviderDefinition,
  current = DEFAULT_CHECK_ID,
): Promise<Asked<string | null, W>> {
  const picked = await pick(
    services,
    where,
    listChecks(provider).map((check) => ({
      label: checkLabel(check),
      description: describeCheckRequest(check),
      picked: check.id === current,
      check,
    })),
    { placeHolder: 'Which request proves the key works? Choose the API this key may use.' },
  );
  return typeof picked === 'object' ? (picked.check.id === DEFAULT_CHECK_ID ? null : picked.check.id) : picked;
}

export async function askEnvironment<W extends Where>(services: CommandServices, where: W, current?: string): Promise<Asked<string, W>> {
  const other = '$(edit) Other…';
  const known = (ENVIRONMENTS as readonly string[]).includes(current ?? '');
  for (;;) {
    const picked = await pick(
      services,
      where,
      [...ENVIRONMENTS.map((label) => ({ label, picked: label === current })), { label: other, picked: !!current && !known }],
      {
        placeHolder: 'Which environment is this key for?',
      },
    );
    if (typeof picked !== 'object' || picked.label !== other) {
      return typeof picked === 'object' ? picked.label : picked;
    }
    const named = await input(services, where, {
      prompt: 'Name the environment, e.g. qa or eu-production',
      ...(current && !known ? { value: current } : {}),
      validateInput: (text) => (text.trim() ? undefined : 'Enter a name.'),
    });
    // Back from the name returns to the list.
    if (named !== BACK) {
      return typeof named === 'string' ? named.trim() : named;
    }
  }
}

/**
 * A date or null (left empty). An expiry date already past is confirmed in a modal dialog first: such a key
 * shows as expired at once, which is rarely what was meant.
 */
export async function askOptionalDate<W extends Where>(
  services: CommandServices,
  where: W,
  { prompt, current, expiry }: { prompt: string; current?: string | undefined; expiry?: boolean },
): Promise<Asked<string | null, W>> {
  for (let value = current; ;) {
    const text = await input(services, where, {
      prompt,
      placeHolder: 'YYYY-MM-DD, or leave empty',
      ...(value ? { value } : {}),
      validateInput: (typed) => (typed.trim() === '' ? undefined : findDateProblem(typed.trim())),
    });
    if (typeof text !== 'string') {
      return text;
    }
    const date = text.trim();
    if (
      !expiry ||
      date === '' ||
      daysUntil(date, new Date()) >= 0 ||
      (await confirm(services, `${date} is in the past. Save it as the expiry date?`, 'The key then shows as expired at once.', 'Save Past Date'))
    ) {
      return date || null;
    }
    value = date;
  }
}

/**
 * Where a key's checks may go: an http(s) URL (a ws(s) one for a WebSocket check) without credentials,
 * query or fragment, over TLS unless it is this machine, and on an origin the provider declares (or this
 * machine). One rule for Add Key and Edit Key Details, refused in the input box as it is typed.
 */
export function findKeyBaseUrlProblem(provider: ProviderDefinition, text: string, check: ProviderCheck = provider.check): string | undefined {
  const problem = check.websocket ? findProviderWebSocketUrlProblem(text) : findProviderBaseUrlProblem(text);
  return asMessage(problem ?? findUndeclaredOriginProblem(provider, new URL(text)));
}

/**
 * Whether the key may go to `baseUrl`, which `findKeyBaseUrlProblem` let through: yes without asking for an
 * origin the provider declares (or the one the key already uses); a server on this machine is confirmed
 * in a modal dialog, since whoever runs it receives the key.
 */
async function mayGoTo(
  services: CommandServices,
  name: string,
  provider: ProviderDefinition,
  check: ProviderCheck,
  baseUrl: string,
  alreadyAt?: string,
): Promise<boolean> {
  const origin = new URL(baseUrl).origin;
  if (provider.origins.includes(origin) || (alreadyAt !== undefined && new URL(alreadyAt).origin === origin)) {
    return true;
  }
  return confirm(
    services,
    `Send the key '${name}' to ${origin}?`,
    `Its checks go to ${baseUrl}, not to ${provider.displayName} at ${new URL(defaultBaseUrl(provider, check)).origin}: whoever runs that server receives the key.`,
    'Send It There',
  );
}

/** Edit Key Details: a new base URL for the key's checks, null for the provider's; a server of another origin is confirmed first. */
export async function askBaseUrl(services: CommandServices, record: KeyRecord, provider: ProviderDefinition): Promise<string | null | undefined> {
  const check = checkOf(provider, record.checkId);
  const value = await input(services, `Edit '${record.name}': base URL`, {
    prompt: `Leave empty for the default (${defaultBaseUrl(provider, check)}). Keys are only ever sent to ${provider.displayName}'s servers (${provider.origins.join(', ')}) over TLS, or to this machine.`,
    value: record.baseUrl ?? '',
    validateInput: (text) => (text.trim() === '' ? undefined : findKeyBaseUrlProblem(provider, text.trim(), check)),
  });
  const baseUrl = value?.trim() || null;
  if (value === undefined || baseUrl === null) {
    return value === undefined ? undefined : null;
  }
  return (await mayGoTo(services, record.name, provider, check, baseUrl, record.baseUrl)) ? baseUrl : undefined;
}

/**
 * The servers a provider's keys go to for `check`: its own (url null), preselected unless `current` is another, and
 * those the user's keys of it use for the same kind of check (a WebSocket URL serves only WebSocket checks).
 */
export function knownServerItems(services: CommandServices, provider: ProviderDefinition, current: string | null | undefined, check = provider.check) {
  const used = services.store
    .list()
    .filter((record) => record.providerId === provider.id && record.baseUrl && !checkOf(provider, record.checkId).websocket === !check.websocket)
    .map((record) => record.baseUrl!);
  return [
    { label: `Default: ${defaultBaseUrl(provider, check)}`, url: null as string | null, picked: !current },
    ...[...new Set(used)].map((url) => ({ label: url, description: `used by other ${provider.displayName} keys`, url, picked: url === current })),
  ];
}

/**
 * Add Key: the server the key's checks go to, the provider's own preselected (null), or another one typed
 * (validated as Edit Key Details validates it); base URLs the provider's other keys use are offered too.
 */
export async function askNewKeyBaseUrl(
  services: CommandServices,
  place: StepPlace,
  name: string,
  provider: ProviderDefinition,
  current: string | null | undefined,
  checkId?: string,
): Promise<string | null | Back | undefined> {
  const check = checkOf(provider, checkId);
  const another = 'Another base URL…';
  for (;;) {
    const known = knownServerItems(services, provider, current, check);
    const items = [...known, { label: another, url: null, picked: !!current && !known.some((item) => item.url === current) }];
    const picked = await pick(services, place, items, {
      placeHolder: `Where are this key's checks sent? Choose another server for a regional or local API.`,
    });
    if (typeof picked !== 'object') {
      return picked;
    }
    const typed =
      picked.label === another
        ? await input(services, place, {
            prompt: `The base URL of the API this key belongs to, on a server of ${provider.displayName} (${provider.origins.join(', ')}) or on this machine, such as ${check.websocket ? 'ws' : 'http'}://localhost:8080.`,
            ...(current ? { value: current } : {}),
            validateInput: (text) => findKeyBaseUrlProblem(provider, text.trim(), check),
          })
        : picked.url;
    if (typeof typed === 'string') {
      const baseUrl = typed.trim();
      if (await mayGoTo(services, name, provider, check, baseUrl)) {
        return baseUrl;
      }
    } else if (typed !== BACK) {
      // null: the default; undefined: cancelled.
      return typed;
    }
  }
}
