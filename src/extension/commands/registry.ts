import * as vscode from 'vscode';
import { createRedactor } from '../../core/redaction';
import { SecretStorageError } from '../keyStore';
import type { Log } from '../log';
import type { Prompts } from '../prompts';

/**
 * A command's body. VS Code hands it whatever the caller passed (a tree row, an id, anything another
 * extension makes up), so each body takes what it declares and narrows it.
 */
export type Command = (...args: never[]) => unknown;

/** A command id and its body: every command of the extension, the linter's too, is one of these. */
export type CommandTable = Readonly<Record<string, Command>>;

/** Writing the user's settings failed: VS Code refuses while settings.json has an error, or cannot write the file. */
export class SettingsWriteError extends Error {
  override readonly name = 'SettingsWriteError';
  constructor(cause: unknown) {
    super(`Could not write your user settings (${cause instanceof Error ? cause.message : String(cause)}). Open them, fix what VS Code marks, and try again.`, {
      cause,
    });
  }
}

/** A settings write whose failure says so in the words above. */
export async function writeSetting(write: () => Thenable<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    throw new SettingsWriteError(error);
  }
}

/**
 * Registers a table of commands, in the spirit of rust-analyzer's command table, under one policy: a
 * failure (the secret storage, a settings write, or anything unexpected) becomes one notification that
 * says what failed and what to do, and a log entry, never VS Code's generic "command failed"; a
 * result goes back as a plain copy, so no caller holds one of the extension's own objects.
 */
export function registerCommands(table: CommandTable, log: Log, prompts: () => Prompts, titles: Readonly<Record<string, string>>): vscode.Disposable[] {
  return Object.entries(table).map(([id, command]) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        return structuredClone(await command(...args));
      } catch (error) {
        report(error, titles[id] ?? id, log, prompts());
        return undefined;
      }
    }),
  );
}

function report(error: unknown, title: string, log: Log, prompts: Prompts): void {
  const known = error instanceof SecretStorageError || error instanceof SettingsWriteError;
  // The message of an unexpected error may quote anything, a key included (the log masks what it writes).
  const reason = createRedactor([])(error instanceof Error ? error.message : String(error));
  log.error(`${title} failed: ${error instanceof Error && !known ? (error.stack ?? error.message) : reason}`);
  const message = known ? reason : `${title} failed unexpectedly: ${reason}. The log has the details.`;
  const actions = error instanceof SettingsWriteError ? ['Open Settings', 'Show Log'] : ['Show Log'];
  void prompts.notify('error', message, ...actions).then((action) => {
    if (action === 'Show Log') {
      log.show();
    } else if (action === 'Open Settings') {
      void vscode.commands.executeCommand('workbench.action.openSettingsJson');
    }
  });
}
