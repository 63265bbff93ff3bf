/** What API Key Guard's editor tests share: reading its diagnostics and code actions, and closing what they opened. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually } from './activate';

export function keyDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'API Key Guard');
}

/** Waits until the document's API Key Guard diagnostics satisfy `condition`. */
export async function diagnosticsWhere(uri: vscode.Uri, what: string, condition: (diagnostics: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  try {
    return await eventually(() => {
      const diagnostics = keyDiagnostics(uri);
      return condition(diagnostics) ? diagnostics : undefined;
    }, what);
  } catch (error) {
    const seen = keyDiagnostics(uri).map((diagnostic) => `${diagnostic.range.start.line}: ${diagnostic.message}`);
    throw new Error(`${(error as Error).message} in ${uri.toString()}; diagnostics: ${JSON.stringify(seen)}`, { cause: error });
  }
}

export async function openUntitled(language: string, content: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language, content });
  await vscode.window.showTextDocument(document);
  return document;
}

/**
 * Closes every editor without saving: the clean ones in one call, then each dirty one (an untitled
 * document would otherwise ask) by reverting it, which takes one command per editor.
 */
export async function closeAllEditors(): Promise<void> {
  const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs);
  await vscode.window.tabGroups.close(tabs().filter((tab) => !tab.isDirty));
  for (let open = tabs().length; open > 0; open--) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

/**
 * The code actions offered for a diagnostic once they include one matching `title`: code actions read the editor's
 * markers, which receive a diagnostic a moment after the extension host has it, so the first ask may see none.
 */
export async function codeActionsOffering(
  document: vscode.TextDocument,
  diagnostic: vscode.Diagnostic,
  title: RegExp,
  kind?: vscode.CodeActionKind,
): Promise<vscode.CodeAction[]> {
  let offered: vscode.CodeAction[] = [];
  const asked = () =>
    vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, ...(kind ? [kind.value] : []));
  try {
    await eventually(async () => (offered = await asked()).some((candidate) => title.test(candidate.title)), `a code action matching ${title}`);
  } catch {
    assert.fail(`a code action matching ${title} (offered: ${offered.map((candidate) => candidate.title).join(' | ')})`);
  }
  return offered;
}
