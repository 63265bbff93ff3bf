/**
 * What can be done about a flagged key: replace it with an environment lookup, store it as a managed
 * key (then replace it), suppress it on its line, or add its fingerprint to `.apikeyguardignore`.
 * The quick fixes and the hover's links both come here, so they always do the same thing.
 */
import * as vscode from 'vscode';
import { environmentLookup, guessProvider, importFor, suppressionComment, variableOfKey } from '../../core/envLookup';
import type { ProviderDefinition } from '../../core/providers/types';
import type { Finding } from '../../core/scanner/types';
import { IGNORE_FILE_NAME } from '../../core/scanner/suppression';
import type { FoundKey, StoreFoundKey } from '../commands/addKey';
import type { ProviderRegistry } from '../providerRegistry';
import { findingRange, type DocumentLinter } from './diagnostics';
import { findingPlaceOf, positionOf, type FindingPlace } from './findingPlace';
import { loadScanner, readText } from './scanners';

export const FIX_COMMAND = 'apiKeyGuard.lint.fix';
const FIX_KINDS = ['environment', 'store', 'suppress', 'ignore'] as const;
export type FixKind = (typeof FIX_KINDS)[number];

/** The command's argument: the finding's place and the fix to make there. */
export type FixArguments = FindingPlace & { readonly fix: FixKind };

export interface Fix {
  readonly kind: FixKind;
  readonly title: string;
  /** Applied directly by a quick fix; the others run `FIX_COMMAND`. */
  readonly edit?: vscode.WorkspaceEdit;
}

export class Fixes {
  constructor(
    private readonly linter: DocumentLinter,
    private readonly providers: ProviderRegistry,
    private readonly storeFoundKey: StoreFoundKey,
  ) {}

  /** Every fix that applies to the finding, the environment lookup first. */
  async fixesFor(document: vscode.TextDocument, finding: Finding): Promise<Fix[]> {
    const fixes: Fix[] = [];
    const storedKey = finding.ruleId === (await loadScanner()).STORED_KEY_RULE.id;
    // The variable the finding's message names.
    const environment = this.environmentEdit(document, finding, finding.variable);
    if (environment) fixes.push({ kind: 'environment', title: environment.title, edit: environment.edit });
    if (!storedKey) fixes.push({ kind: 'store', title: 'Store as a managed key in API Key Guard' });
    const suppress = this.suppressEdit(document, finding);
    if (suppress) fixes.push({ kind: 'suppress', title: `Suppress on this line (api-key-guard-ignore ${finding.ruleId})`, edit: suppress });
    if (vscode.workspace.getWorkspaceFolder(document.uri)) fixes.push({ kind: 'ignore', title: `Add fingerprint to ${IGNORE_FILE_NAME}` });
    return fixes;
  }

  /** Runs a fix for the finding at a place (the hover links and the quick fixes that are commands); nothing for any other argument. */
  async run(argument: unknown): Promise<void> {
    const place = findingPlaceOf(argument);
    const fix = place && FIX_KINDS.find((candidate) => candidate === (argument as { readonly fix?: unknown }).fix);
    const document = place && vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === place.uri);
    const finding = document && this.linter.findingAt(document.uri, positionOf(place));
    if (!fix || !document || !finding) {
      return;
    }
    if (fix === 'store') {
      await this.storeAsManagedKey(document, finding);
    } else if (fix === 'ignore') {
      await this.addToIgnoreFile(document, finding);
    } else {
      const edit = (await this.fixesFor(document, finding)).find((candidate) => candidate.kind === fix)?.edit;
      if (edit) await vscode.workspace.applyEdit(edit);
    }
  }

  private guessProvider(document: vscode.TextDocument, finding: Finding): ProviderDefinition | undefined {
    return guessProvider(finding.ruleId, document.getText(), this.providers.all());
  }

  private environmentEdit(document: vscode.TextDocument, finding: Finding, variable: string): { title: string; edit: vscode.WorkspaceEdit } | undefined {
    let range = findingRange(finding);
    const quote = wrappingQuote(document, range);
    const replacement = environmentLookup(document.languageId, variable, quote, document.lineAt(finding.line).text.slice(0, finding.column));
    if (!replacement) return undefined;
    if (replacement.withQuotes && quote) range = new vscode.Range(range.start.translate(0, -1), range.end.translate(0, 1));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, range, replacement.text);
    const needed = replacement.withQuotes ? importFor(document.languageId, document.getText()) : undefined;
    if (needed) edit.insert(document.uri, new vscode.Position(needed.line, 0), needed.text);
    return { title: `Replace with ${replacement.text}`, edit };
  }

  private suppressEdit(document: vscode.TextDocument, finding: Finding): vscode.WorkspaceEdit | undefined {
    const comment = suppressionComment(document.languageId, finding.endLine > finding.line, finding.ruleId);
    if (!comment) return undefined;
    const line = document.lineAt(finding.line);
    const edit = new vscode.WorkspaceEdit();
    if (comment.placement === 'end') {
      edit.insert(document.uri, line.range.end, comment.text);
    } else {
      const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
      edit.insert(document.uri, line.range.start, `${indent}${comment.text}${document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n'}`);
    }
    return edit;
  }

  /** The Add Key flow with the literal and a guessed provider filled in; once stored, the literal makes way for a lookup. */
  private async storeAsManagedKey(document: vscode.TextDocument, finding: Finding): Promise<void> {
    const range = findingRange(finding);
    const provider = this.guessProvider(document, finding);
    const argument: FoundKey = {
      value: document.getText(range),
      name:
        document.uri.path
          .split('/')
          .pop()
          ?.replace(/\.[^.]*$/, '') ?? '',
      ...(provider ? { providerId: provider.id } : {}),
    };
    const record = await this.storeFoundKey(argument);
    if (!record) return;
    // The edit is made against the document as it is now: the key may have moved while the user answered.
    const moved = this.linter.findings(document.uri).find((candidate) => document.getText(findingRange(candidate)) === argument.value) ?? finding;
    const environment = this.environmentEdit(document, moved, variableOfKey(record, this.providers.find(record.providerId)));
    if (environment && document.getText(findingRange(moved)) === argument.value) await vscode.workspace.applyEdit(environment.edit);
  }

  private async addToIgnoreFile(document: vscode.TextDocument, finding: Finding): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder) return;
    const file = vscode.Uri.joinPath(folder.uri, IGNORE_FILE_NAME);
    // Derived on the thread pool: the slow derivation must not hold up the extension host.
    const fingerprint = await finding.fingerprint.derive();
    const content = (await readText(file)) ?? '# Secrets API Key Guard does not report: scrypt fingerprints of their values (never the values).\n';
    if (content.includes(fingerprint)) return;
    const note = `${vscode.workspace.asRelativePath(document.uri, false)}:${finding.line + 1} ${finding.ruleId}`;
    const separator = content === '' || content.endsWith('\n') ? '' : '\n';
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(`${content}${separator}${fingerprint} # ${note}\n`));
  }
}

/** The quote character that wraps exactly this range, if one does. */
function wrappingQuote(document: vscode.TextDocument, range: vscode.Range): string | undefined {
  if (range.start.line !== range.end.line || range.start.character === 0) return undefined;
  const line = document.lineAt(range.start.line).text;
  const before = line[range.start.character - 1];
  return before !== undefined && `"'\``.includes(before) && line[range.end.character] === before ? before : undefined;
}
