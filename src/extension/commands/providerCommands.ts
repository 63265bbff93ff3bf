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
import { writeSetting, type CommandTable } from './registry';
import type { CommandServices } from './services';

/** Add Custom Provider: asks for the few fields a provider needs and appends it to the user's settings. */
export function providerCommands(services: CommandServices): CommandTable {
  return { 'apiKeyGuard.addCustomProvider': () => addCustomProvider(services) };
}

/** A field's problem as an input box says it. */
function asMessage(problem: string | undefined): string | undefined {
  return problem && `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`;
}

async function addCustomProvider(services: CommandServices): Promise<string | undefined> {
  const prompts = services.prompts();
  const taken = new Set(services.providers.all().map((provider) => provider.id));
  // Each answer is judged as the settings will judge it, so nothing typed is lost to a refusal at the end.
  const ask = (title: string, prompt: string, findProblem: (text: string) => string | undefined, value?: string) =>
    prompts.input({
      title: `Add Custom Provider: ${title}`,
      prompt,
      validateInput: (text) => asMessage(findProblem(text.trim())),
      ...(value === undefined ? {} : { value }),
    });

  const displayName = await ask('name', 'The provider as people call it, e.g. Acme Orders API', findNameProblem);
  if (displayName === undefined) {
    return undefined;
  }
  const suggestedId = displayName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const id = await ask(
    'id',
    'A short lowercase id, used in settings and by the CLI (--provider)',
    (text) => findIdProblem(text) ?? (taken.has(text) ? `'${text}' is already a provider` : undefined),
    suggestedId,
  );
  const baseUrl = id && (await ask('base URL', 'Where the API lives, e.g. https://api.acme.example/v1', findProviderBaseUrlProblem));
  const header = baseUrl && (await ask('key header', 'The header that carries the key, e.g. X-API-Key or Authorization', findKeyNameProblem, 'X-API-Key'));
  const prefix =
    header &&
    (await prompts.input({
      title: 'Add Custom Provider: key prefix',
      prompt: 'Text before the key in the header, e.g. "Bearer " for Authorization; leave empty for none',
      value: header.trim().toLowerCase() === 'authorization' ? 'Bearer ' : '',
      // Not trimmed: the space in "Bearer " belongs to it.
      validateInput: (text) => (text === '' ? undefined : asMessage(findPrefixProblem(text))),
    }));
  const checkPath =
    prefix !== undefined &&
    header &&
    (await ask(
      'check request',
      'A low-risk GET, relative to the base URL, that needs the key, e.g. /me or /items?limit=1',
      (text) => findCheckPathProblem(text.split('?', 1)[0]!),
      '/',
    ));
  const docsUrl = checkPath && (await ask('documentation', "A link to the provider's authentication docs", findDocsUrlProblem));
  if (!docsUrl || !checkPath || !header || !baseUrl || !id) {
    return undefined;
  }
  const [path, query] = checkPath.trim().split('?', 2) as [string, string | undefined];
  const definition = {
    id: id.trim(),
    displayName: displayName.trim(),
    baseUrl: baseUrl.trim(),
    auth: { in: 'header', name: header.trim(), ...(prefix ? { prefix } : {}) },
    docsUrl: docsUrl.trim(),
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
