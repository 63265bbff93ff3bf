/**
 * Language model tools, so AI agents can work with keys without seeing one: `apiKeyGuard_listKeys` lists
 * them (name, provider, environment, status, dates, last check; never a value, nor any part of one) and
 * `apiKeyGuard_checkKey` runs a key's connectivity check and returns its outcome sentence, after the user
 * confirms. What an agent reads may go to a language model service: the list has the tree's statuses
 * without its masked tails, and the check's sentence is redacted by the check engine, as every notification is.
 */
import * as vscode from 'vscode';
import { checkOf, defaultBaseUrl } from '../core/providers/checkTarget';
import type { CheckService } from './checkService';
import { checkSentence } from './commands/checkCommands';
import type { CommandServices } from './commands/services';
import { unknownProviderName, type KeyTree } from './keyTree';
import { escapeMarkdown } from './markdown';

export const LIST_KEYS_TOOL = 'apiKeyGuard_listKeys';
export const CHECK_KEY_TOOL = 'apiKeyGuard_checkKey';

/** What the check tool takes: the name the API Keys view shows. */
export interface CheckKeyInput {
  readonly name?: unknown;
}

const text = (value: string) => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(value)]);

/** Lists the keys as the API Keys view shows them, with its status words, and nothing of their values. */
export class ListKeysTool implements vscode.LanguageModelTool<Record<string, never>> {
  constructor(
    private readonly services: CommandServices,
    private readonly tree: KeyTree,
  ) {}

  async invoke(): Promise<vscode.LanguageModelToolResult> {
    const nodes = await this.tree.keyNodes();
    if (nodes.length === 0) {
      return text('API Key Guard has no keys stored. The user adds one with the command "API Key Guard: Add Key…".');
    }
    const keys = nodes.map(({ record, status }) => ({
      name: record.name,
      provider: this.services.providers.find(record.providerId)?.displayName ?? unknownProviderName(record.providerId),
      environment: record.environment,
      status,
      ...(record.owner ? { owner: record.owner } : {}),
      ...(record.expiresOn ? { expiresOn: record.expiresOn } : {}),
      ...(record.rotateBy ? { rotateBy: record.rotateBy } : {}),
      ...(record.lastCheck ? { lastCheck: { outcome: record.lastCheck.outcome, at: record.lastCheck.at, message: record.lastCheck.message } } : {}),
      ...(record.replacedBy ? { replacedBy: this.services.store.get(record.replacedBy)?.name } : {}),
    }));
    return text(
      `API Key Guard's stored keys (their values are never shown to agents; a program gets one by name through a launch configuration, a task or a terminal with keys):\n${JSON.stringify(keys, null, 1)}`,
    );
  }
}

/** Runs one key's connectivity check, after the user confirms, and returns the sentence the notification would show. */
export class CheckKeyTool implements vscode.LanguageModelTool<CheckKeyInput> {
  constructor(
    private readonly services: CommandServices,
    private readonly checks: CheckService,
  ) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<CheckKeyInput>): vscode.PreparedToolInvocation {
    const found = this.find(options.input);
    if (typeof found === 'string') {
      return { invocationMessage: found };
    }
    const provider = this.services.providers.find(found.providerId);
    const origin = originOf(found.baseUrl ?? (provider && defaultBaseUrl(provider, checkOf(provider, found.checkId))));
    return {
      invocationMessage: `Checking the key '${found.name}'`,
      confirmationMessages: {
        title: 'Check an API key',
        message: new vscode.MarkdownString(
          `Run the connectivity check of the key **${escapeMarkdown(found.name)}** (${escapeMarkdown(provider?.displayName ?? found.providerId)}, ${escapeMarkdown(found.environment)})? It sends the key to ${origin ? `\`${origin}\`` : 'its provider'} in one read-only request; the agent sees only the outcome.`,
        ),
      },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<CheckKeyInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const found = this.find(options.input);
    if (typeof found === 'string') {
      return text(found);
    }
    const result = (await this.checks.check([found], token)).get(found.id);
    return text(result ? checkSentence(found, result) : `The check of '${found.name}' was cancelled.`);
  }

  /** The one current key of that name, or a sentence saying why there is none. */
  private find(input: CheckKeyInput) {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!name) {
      return 'Give the name of a key, as apiKeyGuard_listKeys lists it.';
    }
    const matches = this.services.store.list().filter((record) => record.name === name && !record.replacedBy);
    if (matches.length !== 1) {
      return matches.length === 0
        ? `API Key Guard has no key named '${name}'. apiKeyGuard_listKeys lists the names.`
        : `${matches.length} keys are named '${name}'; the user can rename one with "Edit Key Details…".`;
    }
    return matches[0]!;
  }
}

function originOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

/** Registers both tools (their names and schemas are in package.json's `languageModelTools`); returns the check tool for the tests' prepareInvocation. */
export function registerAgentTools(services: CommandServices, tree: KeyTree, subscriptions: vscode.Disposable[]): CheckKeyTool {
  const check = new CheckKeyTool(services, services.checks);
  subscriptions.push(vscode.lm.registerTool(LIST_KEYS_TOOL, new ListKeysTool(services, tree)), vscode.lm.registerTool(CHECK_KEY_TOOL, check));
  return check;
}
