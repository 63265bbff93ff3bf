/** Add Key: from the palette, a provider row, a link, or the linter with the literal it found. */
import * as vscode from 'vscode';
import type { KeyRecord } from '../../core/keyRecord';
import { maskSecret } from '../../core/redaction';
import type { NewKeyRecord } from '../keyStore';
import { ProviderNode } from '../keyTree';
import type { ProviderDefinition } from '../../core/providers/types';
import { fieldStep, runSteps, type FlowStep } from '../prompts';
import { checkOf, parametersOf } from '../../core/providers/checkTarget';
import {
  askCheck,
  askEnvironment,
  askNewKeyBaseUrl,
  askOptionalDate,
  askSecret,
  parameterSteps,
  providerItems,
  resolveProvider,
  type ProviderArgument,
} from './questions';
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

/** What Add Key has been told so far; Back keeps all of it. */
interface NewKeyAnswers {
  provider?: ProviderDefinition;
  name?: string;
  environment?: string;
  secret?: string;
  params: Record<string, string>;
  /** null: the provider's own. */
  baseUrl?: string | null;
  checkId?: string | null;
  expiresOn?: string | null;
}

export async function addKey(services: CommandServices, argument?: ProviderArgument | AddKeyArguments, value?: string): Promise<KeyRecord | undefined> {
  // A tree row or a provider id names only the provider; an object may also suggest a name.
  const namesProviderOnly = argument instanceof ProviderNode || typeof argument === 'string';
  const prefill: AddKeyArguments = namesProviderOnly ? {} : (argument ?? {});
  const named = namesProviderOnly ? argument : prefill.providerId;
  const given = named === undefined ? undefined : await resolveProvider(named, services.providers, services.prompts(), 'Add Key: provider');
  if (named !== undefined && !given) {
    return undefined;
  }
  const keysOf = (provider: ProviderDefinition | undefined) => services.store.list().filter((record) => record.providerId === provider?.id);
  // A second key of a provider most often shares the first one's tenant, project or wallet.
  const paramsLike = (provider: ProviderDefinition | undefined) => ({ ...keysOf(provider).at(-1)?.params });
  // Asked when no argument named the provider; choosing another one starts its parameters afresh.
  const providerStep: FlowStep<NewKeyAnswers> = {
    name: 'Provider',
    ask: async (state, place) => {
      const picked = await services.prompts().pickStep(providerItems(services.providers, undefined, state.provider), { place, placeHolder: 'Pick a provider' });
      if (typeof picked !== 'object') {
        return picked;
      }
      return picked.provider === state.provider ? {} : { provider: picked.provider, params: paramsLike(picked.provider), checkId: null };
    },
  };
  const answers = await runSteps<NewKeyAnswers>(
    ({ provider }) => (provider ? `Add ${provider.displayName} key` : 'Add API key'),
    ({ provider, checkId }) => [
      ...(given ? [] : [providerStep]),
      fieldStep<NewKeyAnswers, 'name'>('Name', 'name', (state, place) => {
        const taken = new Set(keysOf(state.provider).map((record) => record.name));
        return services.prompts().inputStep({
          place,
          prompt: 'A name that says where the key is used, e.g. prod-order-bot',
          ...(state.name ? { value: state.name } : {}),
          validateInput: (text) =>
            !text.trim() ? 'Enter a name.' : taken.has(text.trim()) ? `${state.provider!.displayName} already has a key named '${text.trim()}'.` : undefined,
        });
      }),
      fieldStep<NewKeyAnswers, 'environment'>('Environment', 'environment', (state, place) => askEnvironment(services, place, state.environment)),
      fieldStep<NewKeyAnswers, 'secret'>('Key', 'secret', (state, place) => askSecret(services, place, state.provider!, { value: state.secret })),
      // The check first: it decides which parameters are asked and what kind of URL the key's checks go to.
      ...(provider?.alternativeChecks?.length
        ? [fieldStep<NewKeyAnswers, 'checkId'>('Check', 'checkId', (state, place) => askCheck(services, place, state.provider!, state.checkId ?? undefined))]
        : []),
      ...parameterSteps<NewKeyAnswers>(services, provider, provider && checkOf(provider, checkId ?? undefined)),
      fieldStep<NewKeyAnswers, 'baseUrl'>('Base URL', 'baseUrl', (state, place) =>
        askNewKeyBaseUrl(services, place, state.name!.trim(), state.provider!, state.baseUrl, state.checkId ?? undefined),
      ),
      fieldStep<NewKeyAnswers, 'expiresOn'>('Expiry', 'expiresOn', (state, place) =>
        askOptionalDate(services, place, {
          prompt: 'When does the key expire? API Key Guard reminds you before it does.',
          current: state.expiresOn ?? undefined,
          expiry: true,
        }),
      ),
    ],
    {
      ...(given ? { provider: given } : {}),
      ...(prefill.name ? { name: prefill.name } : {}),
      ...(value === undefined ? {} : { secret: value }),
      params: paramsLike(given),
    },
  );
  if (!answers?.provider || answers.name === undefined || answers.environment === undefined || answers.secret === undefined) {
    return undefined;
  }
  const { provider, params, baseUrl, checkId, expiresOn, secret } = answers;
  const input: NewKeyRecord = {
    providerId: provider.id,
    name: answers.name.trim(),
    environment: answers.environment.trim(),
    // Only the parameters its check uses: a first pick of another provider or check may have left others.
    params: Object.fromEntries(
      parametersOf(provider, checkOf(provider, checkId ?? undefined)).map((parameter) => [parameter.name, params[parameter.name] ?? '']),
    ),
    ...(baseUrl ? { baseUrl } : {}),
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
