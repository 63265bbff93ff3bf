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
import type { ScannerPool } from './linter/scanners';
import { TASK_TYPE } from './taskKeys';

export const IMPORT_COMMAND = 'apiKeyGuard.importKeysFromFile';
const TITLE = 'Move to API Key Guard';

/** The quick fix's argument: where the key is, never the key itself. */
export interface MoveArguments {
  readonly uri: string;
  readonly line: number;
  readonly character: number;
}

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
  const argument: MoveArguments = { uri: document.uri.toString(), line: finding.line, character: finding.column };
  action.command = { command: IMPORT_COMMAND, title: TITLE, arguments: [argument] };
  return action;
}

export function migrationCommands(services: CommandServices, scanners: ScannerPool): CommandTable {
  return { [IMPORT_COMMAND]: (argument?: MoveArguments | vscode.Uri) => migrateKeys(services, scanners, argument) };
}

/** Moves the key at a position, or imports a file's (the file the argument names, else the active editor's or one the user picks). */
export function migrateKeys(services: CommandServices, scanners: ScannerPool, argument: MoveArguments | vscode.Uri | undefined): Promise<void> {
  return loadMigrationFlow().migrateKeys(services, scanners, KIT, argument);
}
