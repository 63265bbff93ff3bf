/** The linter's entry point: live diagnostics, quick fixes, hover, checks of found keys and the workspace scan, wired to the key store. */
import * as vscode from 'vscode';
import type { StoreFoundKey } from '../commands/addKey';
import type { CommandTable } from '../commands/registry';
import type { CommandServices } from '../commands/services';
import { KeyCodeActions } from './codeActions';
import { DocumentLinter } from './diagnostics';
import { FIX_COMMAND, Fixes } from './fixes';
import { CHECK_FOUND_KEY_COMMAND, FoundKeyChecks } from './foundKeyChecks';
import { KeyHover } from './hover';
import { KeyVerdicts } from './keyVerdicts';
import { ScannerPool } from './scanners';
import { SCAN_WORKSPACE_COMMAND, WorkspaceScan } from './workspaceScan';

const DOCUMENTS: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];

export function registerLinter(
  context: vscode.ExtensionContext,
  services: CommandServices,
  storeFoundKey: StoreFoundKey,
): { commands: CommandTable; scanners: ScannerPool } {
  const scanners = new ScannerPool(services.store, services.providers, services.log);
  const verdicts = new KeyVerdicts(services.providers);
  const linter = new DocumentLinter(scanners, verdicts);
  const fixes = new Fixes(linter, services.providers, storeFoundKey);
  const workspaceScan = new WorkspaceScan(linter, scanners, verdicts);
  const checks = new FoundKeyChecks(linter, workspaceScan, scanners, verdicts, services);
  context.subscriptions.push(
    scanners,
    verdicts,
    linter,
    checks,
    workspaceScan,
    vscode.languages.registerCodeActionsProvider(DOCUMENTS, new KeyCodeActions(linter, fixes, checks), KeyCodeActions.metadata),
    vscode.languages.registerHoverProvider(DOCUMENTS, new KeyHover(linter, fixes, checks)),
  );
  // Registered with the extension's other commands, under their error policy.
  const commands = {
    [FIX_COMMAND]: (argument?: unknown) => fixes.run(argument),
    [CHECK_FOUND_KEY_COMMAND]: (argument?: unknown) => checks.run(argument),
    [SCAN_WORKSPACE_COMMAND]: () => workspaceScan.scan(),
  };
  return { commands, scanners };
}
