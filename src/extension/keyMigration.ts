/**
 * "Move to API Key Guard" (a quick fix on a key found in a `.env`, YAML or JSON file) and "Import Keys from
 * File…" (a whole `.env` file at once). This part is what activation loads: the quick fix and the command;
 * the flow itself (keyMigrationFlow.ts) loads on first use.
 */
import * as vscode from 'vscode';
import { fileKindOf } from '../core/dotenv';
import { guessProvider, variableFor } from '../core/envLookup';
import type { Finding } from '../core/scanner/types';
import { askEnvironment, askParameters } from './commands/questions';
import { writeSetting, type CommandTable } from './commands/registry';
import type { CommandServices } from './commands/services';
import { setTerminalVariable } from './commands/shareKey';
import type { MigrationKit } from './keyMigrationFlow';
import { findingPlace, findingPlaceOf } from './linter/findingPlace';
import type { ScannerPool } from './linter/scanners';
import { TASK_TYPE } from './taskKeys';

export const IMPORT_COMMAND = 'apiKeyGuard.importKeysFromFile';
const TITLE = 'Move to API Key Guard';

const KIT: MigrationKit = { askEnvironment, askParameters, writeSetting, setTerminalVariable, taskType: TASK_TYPE, guessProvider, variableFor };

/** The flow, and the JSON reading and editing it shares with key name completion: jsonc-parser, bundled apart as dist/keyMigration.js. */
export function loadMigrationFlow(): typeof import('./keyMigrationFlow') {
  // `require`, not `import()`: the bundler maps it to dist/keyMigration.js, loaded only now.
  return require('./keyMigrationFlow') as typeof import('./keyMigrationFlow');
}

/** The quick fix on a finding in a `.env`, YAML or JSON file, or undefined elsewhere. */
export function moveAction(document: vscode.TextDocument, finding: Finding, diagnostic: vscode.Diagnostic): vscode.CodeAction | undefined {
  if (!fileKindOf(document.languageId, document.fileName)) return undefined;
  const action = new vscode.CodeAction(TITLE, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.command = { command: IMPORT_COMMAND, title: TITLE, arguments: [findingPlace(document.uri, finding)] };
  return action;
}

export function migrationCommands(services: CommandServices, scanners: ScannerPool): CommandTable {
  return { [IMPORT_COMMAND]: (argument?: unknown) => migrateKeys(services, scanners, argument) };
}

/**
 * Moves the key at a finding's place, or imports a file's (the file the argument names, else the active
 * editor's or one the user picks). Anything else, which only another extension passes, is refused.
 */
export async function migrateKeys(services: CommandServices, scanners: ScannerPool, argument: unknown): Promise<void> {
  const target = argument instanceof vscode.Uri ? argument : findingPlaceOf(argument);
  if (argument !== undefined && target === undefined) {
    await services
      .prompts()
      .notify('error', `"${TITLE}" takes the place of a key in a file, and "Import Keys from File…" a file: neither was given, so nothing was read.`);
    return;
  }
  return loadMigrationFlow().migrateKeys(services, scanners, KIT, target);
}
