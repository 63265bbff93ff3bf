/**
 * Live diagnostics: every file or untitled document shown in an editor is scanned on open and, after
 * a pause in typing, again on change, re-scanning only the lines that changed. Hover and peek
 * previews, output channels and git's original-file views are never shown as tabs of these schemes,
 * so they are never linted.
 */
import * as vscode from 'vscode';
import { isTestPath } from '../../core/scanner/fileKinds';
import type { Finding } from '../../core/scanner/types';
import type { DocumentScanner } from '../../core/scanner/documentScanner';
import { loadScanner, type ScannerPool, type SecretScanner } from './scanners';

export const DIAGNOSTIC_SOURCE = 'API Key Guard';
const DEBOUNCE_MS = 300;
const LINTED_SCHEMES = new Set(['file', 'untitled']);
/** Where each rule is explained: README anchors `#rule-<id>`. */
const README_URL = 'https://example.com/api-key-guard/api-key-guard';

const SEVERITIES: Readonly<Record<string, vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

interface LintedDocument {
  readonly document: vscode.TextDocument;
  /** The document as last scanned; undefined until the first scan, or after the scanner changed. */
  incremental?: { readonly scanner: SecretScanner; readonly lines: DocumentScanner; lineCount: number };
  /** Lines changed since the last scan: all lines from `top` to `tail` lines before the end. */
  top: number;
  tail: number;
  timer?: NodeJS.Timeout;
  findings: readonly Finding[];
}

export function findingRange(finding: Finding): vscode.Range {
  return new vscode.Range(finding.line, finding.column, finding.endLine, finding.endColumn);
}

export function toDiagnostic(finding: Finding, severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(findingRange(finding), `${finding.message} (${finding.preview})`, severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.ruleId, target: vscode.Uri.parse(`${README_URL}#rule-${finding.ruleId}`) };
  return diagnostic;
}

export function configuredSeverity(): vscode.DiagnosticSeverity {
  return SEVERITIES[vscode.workspace.getConfiguration('apiKeyGuard.lint').get<string>('severity', 'warning')] ?? vscode.DiagnosticSeverity.Warning;
}

/**
 * The diagnostics of a file's findings: at the configured severity, one step lower in a test,
 * fixture or example folder (by its path in the workspace), or none there when
 * `apiKeyGuard.lint.testPaths` is `off`.
 */
export function diagnosticsFor(uri: vscode.Uri, findings: readonly Finding[]): vscode.Diagnostic[] {
  const severity = configuredSeverity();
  if (!isTestPath(vscode.workspace.asRelativePath(uri, false))) return findings.map((finding) => toDiagnostic(finding, severity));
  if (vscode.workspace.getConfiguration('apiKeyGuard.lint', uri).get<string>('testPaths', 'lower') === 'off') return [];
  const lower = Math.min(vscode.DiagnosticSeverity.Hint, severity + 1) as vscode.DiagnosticSeverity;
  return findings.map((finding) => toDiagnostic(finding, lower));
}

/** Whether the settings let the linter look at this document at all. */
function isLintable(document: vscode.TextDocument): boolean {
  if (!LINTED_SCHEMES.has(document.uri.scheme)) return false;
  const settings = vscode.workspace.getConfiguration('apiKeyGuard.lint', document);
  if (!settings.get<boolean>('enabled', true) || settings.get<string[]>('disabledLanguages', []).includes(document.languageId)) return false;
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  return !settings
    .get<string[]>('exclude', [])
    .some(
      (glob) =>
        vscode.languages.match({ pattern: glob }, document) > 0 ||
        (folder !== undefined && vscode.languages.match({ pattern: new vscode.RelativePattern(folder, glob) }, document) > 0),
    );
}

/** Documents a person is looking at: visible editors and open tabs (not previews inside hovers or peeks). */
function shownDocuments(): Set<string> {
  const shown = new Set(vscode.window.visibleTextEditors.map((editor) => editor.document.uri.toString()));
  for (const tab of vscode.window.tabGroups.all.flatMap((group) => group.tabs)) {
    if (tab.input instanceof vscode.TabInputText) shown.add(tab.input.uri.toString());
    if (tab.input instanceof vscode.TabInputTextDiff) shown.add(tab.input.modified.toString());
  }
  return shown;
}

export class DocumentLinter implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('api-key-guard');
  private readonly documents = new Map<string, LintedDocument>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly closed = new vscode.EventEmitter<vscode.Uri>();
  /** A document stopped being linted (closed, or excluded by a setting). */
  readonly onDidStopLinting = this.closed.event;

  constructor(private readonly scanners: ScannerPool) {
    this.subscriptions = [
      this.collection,
      this.closed,
      vscode.workspace.onDidOpenTextDocument(() => this.syncShown()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.syncShown()),
      vscode.window.tabGroups.onDidChangeTabs(() => this.syncShown()),
      // An untitled name is reused: the close of an old `Untitled-1` must not end the linting of a new one.
      vscode.workspace.onDidCloseTextDocument(
        (document) => this.documents.get(document.uri.toString())?.document === document && this.forget(document.uri.toString()),
      ),
      vscode.workspace.onDidChangeTextDocument((event) => this.onChange(event)),
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('apiKeyGuard.lint') && this.relintAll()),
      scanners.onDidChange(() => this.relintAll()),
    ];
    this.syncShown();
  }

  /** The findings of a linted document, as its diagnostics show them. */
  findings(uri: vscode.Uri): readonly Finding[] {
    return this.documents.get(uri.toString())?.findings ?? [];
  }

  findingAt(uri: vscode.Uri, position: vscode.Position): Finding | undefined {
    return this.findings(uri).find((finding) => findingRange(finding).contains(position));
  }

  isLinting(uri: vscode.Uri): boolean {
    return this.documents.has(uri.toString());
  }

  dispose(): void {
    [...this.documents.keys()].forEach((key) => this.forget(key));
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  /** Starts linting newly shown documents and stops for those no longer shown or no longer allowed. */
  private syncShown(): void {
    const shown = shownDocuments();
    for (const document of vscode.workspace.textDocuments) {
      const key = document.uri.toString();
      const wanted = shown.has(key) && isLintable(document);
      if (wanted && this.documents.get(key)?.document !== document) {
        this.forget(key);
        this.documents.set(key, { document, top: 0, tail: 0, findings: [] });
        this.schedule(key, 0);
      } else if (!wanted && this.documents.has(key)) {
        this.forget(key);
      }
    }
  }

  private relintAll(): void {
    for (const [key, linted] of this.documents) {
      linted.incremental = undefined;
      this.schedule(key, 0);
    }
    this.syncShown();
  }

  private onChange(event: vscode.TextDocumentChangeEvent): void {
    const key = event.document.uri.toString();
    const linted = this.documents.get(key);
    if (!linted || event.contentChanges.length === 0) return;
    // Every change in one event refers to the document before the event.
    const lineCountBefore =
      event.document.lineCount -
      event.contentChanges.reduce((sum, change) => sum + lineBreaks(change.text) - (change.range.end.line - change.range.start.line), 0);
    for (const change of event.contentChanges) {
      linted.top = Math.min(linted.top, change.range.start.line);
      linted.tail = Math.min(linted.tail, lineCountBefore - change.range.end.line - 1);
    }
    this.schedule(key, DEBOUNCE_MS);
  }

  private schedule(key: string, delay: number): void {
    const linted = this.documents.get(key);
    if (!linted) return;
    clearTimeout(linted.timer);
    linted.timer = setTimeout(() => void this.lint(key), delay);
  }

  private async lint(key: string): Promise<void> {
    const linted = this.documents.get(key);
    if (!linted) return;
    const [folder, modules] = await Promise.all([this.scanners.forDocument(linted.document.uri), loadScanner()]);
    // Anything may have happened while loading: the document closed, or changed again (its pending region covers that).
    if (this.documents.get(key) !== linted || linted.document.isClosed) return;
    const document = linted.document;
    if (folder.isIgnored(document.uri)) {
      linted.incremental = undefined;
      this.publish(linted, []);
      return;
    }
    const incremental = linted.incremental;
    if (incremental === undefined || incremental.scanner !== folder.scanner) {
      const lines = new modules.DocumentScanner(folder.scanner, { fileName: document.fileName, languageId: document.languageId }, document.getText());
      linted.incremental = { scanner: folder.scanner, lines, lineCount: document.lineCount };
      this.publish(linted, lines.findings);
    } else if (linted.top !== Number.POSITIVE_INFINITY) {
      const newEnd = document.lineCount - linted.tail;
      this.publish(linted, incremental.lines.replaceLines(linted.top, incremental.lineCount - linted.tail, changedLines(document, linted.top, newEnd)));
      incremental.lineCount = document.lineCount;
    }
    linted.top = Number.POSITIVE_INFINITY;
    linted.tail = Number.POSITIVE_INFINITY;
  }

  private publish(linted: LintedDocument, findings: readonly Finding[]): void {
    linted.findings = findings;
    this.collection.set(linted.document.uri, diagnosticsFor(linted.document.uri, findings));
  }

  private forget(key: string): void {
    const linted = this.documents.get(key);
    if (!linted) return;
    clearTimeout(linted.timer);
    this.documents.delete(key);
    this.collection.delete(linted.document.uri);
    this.closed.fire(linted.document.uri);
  }
}

function lineBreaks(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

/** Lines [from, to) of the document as the scanner splits text: at `\n`, keeping any `\r`. */
function changedLines(document: vscode.TextDocument, from: number, to: number): string[] {
  if (to >= document.lineCount) {
    return document.getText(new vscode.Range(from, 0, document.lineCount, 0)).split('\n');
  }
  const lines = document.getText(new vscode.Range(from, 0, to, 0)).split('\n');
  lines.pop();
  return lines;
}
