/** The ways a key leaves secret storage, Copy Key and the terminal variable: each asks in a modal dialog first. */
import * as vscode from 'vscode';
import { findVariableNameProblem, type KeyRecord } from '../../core/keyRecord';
import { maskSecret } from '../../core/redaction';
import { confirm } from './questions';
import type { CommandServices } from './services';

export async function copyKey(services: CommandServices, record: KeyRecord): Promise<void> {
  const copy = await confirm(
    services,
    `Copy the key '${record.name}' to the clipboard?`,
    'Every program and extension on this machine can read the clipboard until something else is copied.',
    'Copy Key',
  );
  if (!copy) {
    return;
  }
  const secret = await services.store.readSecret(record.id);
  if (secret === undefined) {
    await services.prompts().notify('warning', `The key '${record.name}' is no longer in VS Code's secret storage. Use "Re-enter Key" to enter it again.`);
    return;
  }
  await vscode.env.clipboard.writeText(secret);
  void services.prompts().notify('info', `Copied '${record.name}' (${maskSecret(secret)}) to the clipboard.`);
}

/** Who receives a terminal variable, in the words both of its questions use. */
const TERMINAL_REACH =
  'Every new integrated terminal of every trusted VS Code window gets the key, including task terminals and terminals that other extensions and AI agents open; untrusted workspaces get none. To give a key to one terminal only, use "Open Terminal with Keys…" instead.';

/** `suggested`: the variable to propose, when the caller knows the one the program reads (a moved `.env` line's). */
export async function setTerminalVariable(services: CommandServices, record: KeyRecord, suggested?: string): Promise<KeyRecord | undefined> {
  const provider = services.providers.find(record.providerId);
  const name = await services.prompts().input({
    title: `'${record.name}' in every new terminal`,
    prompt: `${TERMINAL_REACH} Name the environment variable:`,
    value: suggested ?? record.terminalVariable ?? provider?.envVars[0] ?? 'API_KEY',
    validateInput: (text) => findVariableNameProblem(text.trim()),
  });
  if (name === undefined) {
    return undefined;
  }
  const set = await confirm(
    services,
    `Give every new terminal the key '${record.name}' as $${name.trim()}?`,
    `${TERMINAL_REACH} Terminals already open keep their environment. "Stop Setting Terminal Variable" ends it.`,
    'Set Variable',
  );
  if (!set) {
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

export function withoutTerminalVariable(record: KeyRecord): KeyRecord {
  const { terminalVariable: _dropped, ...rest } = record;
  return rest;
}
