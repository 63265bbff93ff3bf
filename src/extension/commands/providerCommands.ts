import * as vscode from 'vscode';
import { describeDefinitionError, parseProviderDefinitions } from '../../core/providers/definitions';
import {
  findCheckPathProblem,
  findDocsUrlProblem,
  findIdProblem,
  findKeyNameProblem,
  findNameProblem,
  findPrefixProblem,
  findProviderBaseUrlProblem,
} from '../../core/providers/fields';
import { CUSTOM_PROVIDERS_SETTING } from '../providerRegistry';
import { fieldStep, runSteps } from '../prompts';
import { asMessage } from './questions';
import { writeSetting, type CommandTable } from './registry';
import type { CommandServices } from './services';

/** Add Custom Provider: asks for the few fields a provider needs and appends it to the user's settings. */
export function providerCommands(services: CommandServices): CommandTable {
  return { 'apiKeyGuard.addCustomProvider': () => addCustomProvider(services) };
}

interface ProviderAnswers {
  displayName?: string;
  id?: string;
  baseUrl?: string;
  header?: string;
  prefix?: string;
  checkPath?: string;
  docsUrl?: string;
}

async function addCustomProvider(services: CommandServices): Promise<string | undefined> {
  const prompts = services.prompts();
  const taken = new Set(services.providers.all().map((provider) => provider.id));
  // Each answer is judged as the settings will judge it, so nothing typed is lost to a refusal at the end.
  const text = (
    name: string,
    field: keyof ProviderAnswers,
    prompt: string,
    findProblem: (text: string) => string | undefined,
    suggested: (state: ProviderAnswers) => string | undefined = () => undefined,
  ) =>
    fieldStep<ProviderAnswers, typeof field>(name, field, async (state, place) => {
      const value = state[field] ?? suggested(state);
      const answer = await prompts.inputStep({
        place,
        prompt,
        validateInput: (typed) => asMessage(findProblem(typed.trim())),
        ...(value === undefined ? {} : { value }),
      });
      return typeof answer === 'string' ? answer.trim() : answer;
    });
  const answers = await runSteps<ProviderAnswers>(
    () => 'Add Custom Provider',
    () => [
      text('Name', 'displayName', 'The provider as people call it, e.g. Acme Orders API', findNameProblem),
      text(
        'Id',
        'id',
        'A short lowercase id, used in settings and by the CLI (--provider)',
        (typed) => findIdProblem(typed) ?? (taken.has(typed) ? `'${typed}' is already a provider` : undefined),
        (state) =>
          state.displayName
            ?.toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .replace(/^-+|-+$/g, ''),
      ),
      text('Base URL', 'baseUrl', 'Where the API lives, e.g. https://api.acme.example/v1', findProviderBaseUrlProblem),
      text('Key header', 'header', 'The header that carries the key, e.g. X-API-Key or Authorization', findKeyNameProblem, () => 'X-API-Key'),
      fieldStep<ProviderAnswers, 'prefix'>('Key prefix', 'prefix', (state, place) =>
        prompts.inputStep({
          place,
          prompt: 'Text before the key in the header, e.g. "Bearer " for Authorization; leave empty for none',
          value: state.prefix ?? (state.header?.toLowerCase() === 'authorization' ? 'Bearer ' : ''),
          // Not trimmed: the space in "Bearer " belongs to it.
          validateInput: (typed) => (typed === '' ? undefined : asMessage(findPrefixProblem(typed))),
        }),
      ),
      text(
        'Check request',
        'checkPath',
        'A low-risk GET, relative to the base URL, that needs the key, e.g. /me or /items?limit=1',
        (typed) => findCheckPathProblem(typed.split('?', 1)[0]!),
        () => '/',
      ),
      text('Documentation', 'docsUrl', "A link to the provider's authentication docs", findDocsUrlProblem),
    ],
    {},
  );
  const { displayName, id, baseUrl, header, prefix, checkPath, docsUrl } = answers ?? {};
  if (!displayName || !id || !baseUrl || !header || prefix === undefined || !checkPath || !docsUrl) {
    return undefined;
  }
  const [path, query] = checkPath.split('?', 2) as [string, string | undefined];
  const definition = {
    id,
    displayName,
    baseUrl,
    auth: { in: 'header', name: header, ...(prefix ? { prefix } : {}) },
    docsUrl,
    check: { path, ...(query ? { query: Object.fromEntries(new URLSearchParams(query)) } : {}) },
  };
  const { errors } = parseProviderDefinitions([definition]);
  if (errors.length > 0) {
    await prompts.notify('error', `This provider definition is not valid: ${describeDefinitionError(errors[0]!)}`);
    return undefined;
  }
  const configuration = vscode.workspace.getConfiguration();
  const current = configuration.inspect<unknown[]>(CUSTOM_PROVIDERS_SETTING)?.globalValue ?? [];
  await writeSetting(() => configuration.update(CUSTOM_PROVIDERS_SETTING, [...current, definition], vscode.ConfigurationTarget.Global));
  void prompts
    .notify('info', `Added the provider ${definition.displayName}. Add its first key?`, 'Add Key')
    .then((action) => action && vscode.commands.executeCommand('apiKeyGuard.addKey', definition.id));
  return definition.id;
}
