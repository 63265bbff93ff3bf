/**
 * The light bulb on a flagged key: the fixes from `Fixes`, the environment lookup preferred, and the check
 * of a key whose provider can check it; on a Scan Workspace finding of a file the linter does not show, the check only.
 */
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, findingRange, type DocumentLinter, type ShownFinding } from './diagnostics';
import { findingPlace } from './findingPlace';
import { FIX_COMMAND, type Fixes, type FixArguments } from './fixes';
import { CHECK_FOUND_KEY_COMMAND, CHECK_FOUND_KEY_TITLE, type FoundKeyChecks } from './foundKeyChecks';
import { moveAction } from '../keyMigration';

export class KeyCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(
    private readonly linter: DocumentLinter,
    private readonly fixes: Fixes,
    private readonly checks: FoundKeyChecks,
  ) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const finding = this.linter.findings(document.uri).find((candidate) => findingRange(candidate).isEqual(diagnostic.range));
      if (!finding) {
        // A Scan Workspace finding of a file the linter does not show (Problems asks): its check, which reads the file as it is now.
        const scanned = await this.checks.scanFindingToCheck(document, diagnostic.range);
        if (scanned) actions.push(checkAction(document, scanned, diagnostic));
        continue;
      }
      for (const fix of await this.fixes.fixesFor(document, finding)) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.kind === 'environment';
        if (fix.edit) {
          action.edit = fix.edit;
        } else {
          const argument: FixArguments = { ...findingPlace(document.uri, finding), fix: fix.kind };
          action.command = { command: FIX_COMMAND, title: fix.title, arguments: [argument] };
        }
        actions.push(action);
      }
      if (await this.checks.providerFor(document, finding)) actions.push(checkAction(document, finding, diagnostic));
      const move = moveAction(document, finding, diagnostic);
      if (move) actions.push(move);
    }
    return actions;
  }
}

function checkAction(document: vscode.TextDocument, finding: ShownFinding, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(CHECK_FOUND_KEY_TITLE, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.command = { command: CHECK_FOUND_KEY_COMMAND, title: CHECK_FOUND_KEY_TITLE, arguments: [findingPlace(document.uri, finding)] };
  return action;
}
