/** The linter's entry point: live diagnostics, quick fixes, hover and the workspace scan, wired to the key store. */
import * as vscode from 'vscode';
import type { StoreFoundKey } from '../commands/addKey';
import type { CommandTable } from '../commands/registry';
import type { CommandServices } from '../commands/services';
import { KeyCodeActions } from './codeActions';
import { DocumentLinter } from './diagnostics';
import { FIX_COMMAND, Fixes, type FixArguments } from './fixes';
import { KeyHover } from './hover';
import { ScannerPool } from './scanners';
import { SCAN_WORKSPACE_COMMAND, WorkspaceScan } from './workspaceScan';

const DOCUMENTS: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];

export function registerLinter(
  context: vscode.ExtensionContext,
  services: Pick<CommandServices, 'store' | 'providers' | 'log'>,
  storeFoundKey: StoreFoundKey,
): { commands: CommandTable; scanners: ScannerPool } {
  const scanners = new ScannerPool(services.store, services.providers, services.log);
  const linter = new DocumentLinter(scanners);
  const fixes = new Fixes(linter, services.providers, storeFoundKey);
  const workspaceScan = new WorkspaceScan(linter, scanners);
  context.subscriptions.push(
    scanners,
    linter,
    workspaceScan,
    vscode.languages.registerCodeActionsProvider(DOCUMENTS, new KeyCodeActions(linter, fixes), KeyCodeActions.metadata),
    vscode.languages.registerHoverProvider(DOCUMENTS, new KeyHover(linter, fixes)),
  );
  // Registered with the extension's other commands, under their error policy.
  const commands = {
    [FIX_COMMAND]: (argument?: FixArguments) => argument && fixes.run(argument),
    [SCAN_WORKSPACE_COMMAND]: () => workspaceScan.scan(),
  };
  return { commands, scanners };
}
