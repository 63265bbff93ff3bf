import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ApiKeyGuardApi } from '../../src/extension/extension';
import type { Prompts } from '../../src/extension/prompts';
import { EXTENSION_ID, activateExtension, removeAllKeys } from './activate';
import { FlakySecrets, MemoryMemento } from './storageDoubles';

interface Notice {
  level: string;
  message: string;
  actions: string[];
}

/** A user who dismisses every question, or a window in which every question fails with `failure`; notifications are kept. */
class AnsweringPrompts implements Prompts {
  readonly notifications: Notice[] = [];
  readonly asked: string[] = [];

  constructor(private readonly failure?: Error) {}

  async pick<T extends vscode.QuickPickItem>(_items: readonly T[], options: { title: string }): Promise<T | undefined> {
    return this.ask(options.title, undefined);
  }
  async pickMany<T extends vscode.QuickPickItem>(_items: readonly T[], options: { title: string }): Promise<readonly T[] | undefined> {
    return this.ask(options.title, undefined);
  }
  async input(options: { title: string }): Promise<string | undefined> {
    return this.ask(options.title, undefined);
  }
  async confirm(message: string): Promise<boolean> {
    return this.ask(message, false);
  }
  async notify(level: 'info' | 'warning' | 'error', message: string, ...actions: string[]): Promise<string | undefined> {
    this.notifications.push({ level, message, actions });
    return undefined;
  }

  private ask<T>(question: string, answer: T): T {
    this.asked.push(question);
    if (this.failure !== undefined) {
      throw this.failure;
    }
    return answer;
  }
}

/** The commands the extension contributes, as the palette lists them, with their titles. */
function contributedCommands(): Array<{ command: string; title: string }> {
  return vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands;
}

/** Runs a command as the palette does, with no argument; resolves with what VS Code would have said had it failed. */
async function runFromPalette(command: string): Promise<string | undefined> {
  try {
    await vscode.commands.executeCommand(command);
    return undefined;
  } catch (error) {
    // What VS Code shows for a command that throws: "Running the contributed command: '…' failed."
    return `Running the contributed command: '${command}' failed: ${String(error)}`;
  }
}

describe('API Key Guard in a real extension host', () => {
  let api: ApiKeyGuardApi;

  before(async () => {
    api = await activateExtension();
  });
  beforeEach(() => removeAllKeys(api));
  after(() => api.usePrompts(undefined));

  it('lists the four built-in providers with how each sends its key', async () => {
    const rows = (await api.tree.getChildren()).map((item) => `${item.label} | ${item.description}`);
    assert.deepEqual(rows, [
      'Sales Layer | X-API-KEY header',
      'Uppzy M2M API | X-API-Key header',
      'Scaleflex DAM | X-Filerobot-Key header',
      'Layerx402 | Bearer token',
    ]);
  });

  it('registers every command it contributes, and in its namespace only those, the quick-fix command and its view', async () => {
    const registered = (await vscode.commands.getCommands(true)).filter((command) => command.startsWith('apiKeyGuard.'));
    const contributed = contributedCommands().map(({ command }) => command);
    const missing = contributed.filter((command) => !registered.includes(command));
    assert.deepEqual(missing, [], 'every contributed command is registered');
    const extra = registered.filter(
      (command) => !contributed.includes(command) && command !== 'apiKeyGuard.lint.fix' && !command.startsWith('apiKeyGuard.keys.'),
    );
    assert.deepEqual(extra, [], 'no command outside the manifest');
  });

  it('runs every contributed command from the palette with no key stored: each ends in its own words, none fails', async function () {
    this.timeout(60000);
    const prompts = new AnsweringPrompts();
    api.usePrompts(prompts);
    const refreshed = new Promise<void>((resolve) => {
      const listener = api.tree.onDidChangeTreeData(() => {
        listener.dispose();
        resolve();
      });
    });
    const failures: string[] = [];
    for (const { command } of contributedCommands()) {
      const failure = await runFromPalette(command);
      if (failure) failures.push(failure);
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(
      prompts.notifications.filter((notice) => notice.level === 'error'),
      [],
    );
    assert.ok(
      prompts.notifications.some((notice) => /no keys/.test(notice.message)),
      'a command that needs a key says there is none',
    );
    await refreshed;
  });

  it('turns an unexpected failure of any command into one notification that names it, and a log entry, never a rejection', async function () {
    this.timeout(60000);
    const failures: string[] = [];
    for (const { command, title } of contributedCommands()) {
      const prompts = new AnsweringPrompts(new Error('the window refused the question'));
      api.usePrompts(prompts);
      const failure = await runFromPalette(command);
      if (failure) failures.push(failure);
      if (prompts.asked.length > 0) {
        assert.deepEqual(prompts.notifications, [
          { level: 'error', message: `${title} failed unexpectedly: the window refused the question. The log has the details.`, actions: ['Show Log'] },
        ]);
      }
    }
    assert.deepEqual(failures, []);
  });

  it("reports a secret storage failure in the storage's own words, with what to do", async () => {
    // This host's secret storage never fails; a store over a failing backend hands over the error it throws.
    const secrets = new FlakySecrets();
    secrets.failGet = true;
    const storageError = await api
      .createStore(secrets, new MemoryMemento())
      .readSecret('any')
      .then(
        () => assert.fail('the failing backend failed'),
        (error: Error) => error,
      );
    const prompts = new AnsweringPrompts(storageError);
    api.usePrompts(prompts);
    assert.equal(await runFromPalette('apiKeyGuard.checkProviderKeys'), undefined);
    assert.equal(prompts.notifications.length, 1);
    assert.match(prompts.notifications[0]!.message, /^Could not read the key in VS Code's secret storage \(.*\)\. On Linux this usually means no keyring/);
    assert.deepEqual(prompts.notifications[0]!.actions, ['Show Log']);
  });
});
