/** The light bulb on a flagged key: the fixes from `Fixes`, the environment lookup preferred, and the check of a key whose provider can check it. */
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, findingRange, type DocumentLinter } from './diagnostics';
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
      const finding =
        diagnostic.source === DIAGNOSTIC_SOURCE
          ? this.linter.findings(document.uri).find((candidate) => findingRange(candidate).isEqual(diagnostic.range))
          : undefined;
      if (!finding) continue;
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
      if (await this.checks.providerFor(document, finding)) {
        const action = new vscode.CodeAction(CHECK_FOUND_KEY_TITLE, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.command = { command: CHECK_FOUND_KEY_COMMAND, title: CHECK_FOUND_KEY_TITLE, arguments: [findingPlace(document.uri, finding)] };
        actions.push(action);
      }
      const move = moveAction(document, finding, diagnostic);
      if (move) actions.push(move);
    }
    return actions;
  }
}
