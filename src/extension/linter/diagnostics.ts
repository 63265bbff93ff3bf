/**
 * Live diagnostics: every file or untitled document shown in an editor is scanned on open and, after
 * a pause in typing, again on change, re-scanning only the lines that changed. Hover and peek
 * previews, output channels and git's original-file views are never shown as tabs of these schemes,
 * so they are never linted. The scan runs on the extension host's thread, so its work is bounded:
 * a document is linted up to MAX_LINTED_CHARS (a notice marks where it stopped), a whole scan runs
 * in slices of SLICE_CHARS with a yield to the host between them, and an edit larger than a slice
 * is linted that way too.
 */
import * as vscode from 'vscode';
import { isTestPath } from '../../core/scanner/fileKinds';
import type { Finding, Rule } from '../../core/scanner/types';
import type { DocumentScanner } from '../../core/scanner/documentScanner';
import { MAX_FILE_BYTES } from '../../core/scanner/files';
import { describeVerification } from '../../core/rotation';
import type { FindingVerdict, KeyVerdicts } from './keyVerdicts';
import { loadScanner, type ScannerModules, type ScannerPool, type SecretScanner } from './scanners';

export const DIAGNOSTIC_SOURCE = 'API Key Guard';
const DEBOUNCE_MS = 300;
/** What the linter reads of a document, at most: the CLI's and the workspace scan's file limit. */
const MAX_LINTED_CHARS = MAX_FILE_BYTES;
/** What one synchronous step of a scan reads, about: a few milliseconds of the host's time. */
const SLICE_CHARS = 256 * 1024;
/** The code of the notice where linting stopped in a document over MAX_LINTED_CHARS. */
export const PARTIAL_SCAN_CODE = 'partial-scan';
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
  /**
   * The document as last scanned; undefined until the first scan, or after the scanner changed.
   * `partial` when only its first MAX_LINTED_CHARS were: such a document is scanned again whole.
   */
  incremental?: { readonly scanner: SecretScanner; readonly lines: DocumentScanner; lineCount: number; readonly partial: boolean };
  /** A whole scan is running in slices: a lint meanwhile waits for it. */
  slicing?: boolean;
  /** Lines changed since the last scan: all lines from `top` to `tail` lines before the end. */
  top: number;
  tail: number;
  timer?: NodeJS.Timeout;
  /** Where the last single-line edit ended: a value ending there, with the cursor, may still be growing. */
  typed?: vscode.Position;
  /** The findings last published in full, while one of them is held back as still growing (see `growingValue`). */
  holding?: { readonly findings: readonly Finding[]; readonly stoppedAt: vscode.Position | undefined };
  findings: readonly Finding[];
}

/** What a lint showed of a document, and what it was found with. */
export interface PublishedFindings {
  readonly document: vscode.TextDocument;
  readonly findings: readonly Finding[];
  readonly rules: readonly Rule[];
  readonly modules: ScannerModules;
}

/** What a finding's diagnostic shows of it: no key, and nothing the key could be told from. */
export type ShownFinding = Pick<Finding, 'line' | 'column' | 'endLine' | 'endColumn' | 'ruleId' | 'message' | 'preview'>;

export function findingRange(finding: ShownFinding): vscode.Range {
  return new vscode.Range(finding.line, finding.column, finding.endLine, finding.endColumn);
}

/** A finding's diagnostic; a check's verdict on its key comes first, and a live key is an error wherever it is. */
export function toDiagnostic(finding: ShownFinding, severity: vscode.DiagnosticSeverity, verdict?: FindingVerdict): vscode.Diagnostic {
  const message = `${verdict === undefined ? '' : `${describeVerification(verdict.verification)} `}${finding.message} (${finding.preview})`;
  const live = verdict?.verification.status === 'live';
  const diagnostic = new vscode.Diagnostic(findingRange(finding), message, live ? vscode.DiagnosticSeverity.Error : severity);
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
 * `apiKeyGuard.lint.testPaths` is `off`. `verdictOf` gives what a check said of a finding's key.
 */
export function diagnosticsFor<F extends ShownFinding>(
  uri: vscode.Uri,
  findings: readonly F[],
  verdictOf: (finding: F) => FindingVerdict | undefined,
): vscode.Diagnostic[] {
  const severity = configuredSeverity();
  if (!isTestPath(vscode.workspace.asRelativePath(uri, false))) return findings.map((finding) => toDiagnostic(finding, severity, verdictOf(finding)));
  if (vscode.workspace.getConfiguration('apiKeyGuard.lint', uri).get<string>('testPaths', 'lower') === 'off') return [];
  const lower = Math.min(vscode.DiagnosticSeverity.Hint, severity + 1) as vscode.DiagnosticSeverity;
  return findings.map((finding) => toDiagnostic(finding, lower, verdictOf(finding)));
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
  private readonly published = new vscode.EventEmitter<PublishedFindings>();
  /** The scanner's modules, once a lint has loaded them. */
  private modules: ScannerModules | undefined;
  /** A document stopped being linted (closed, or excluded by a setting). */
  readonly onDidStopLinting = this.closed.event;
  /** A document's findings were shown. */
  readonly onDidPublish = this.published.event;

  constructor(
    private readonly scanners: ScannerPool,
    private readonly verdicts: KeyVerdicts,
  ) {
    this.subscriptions = [
      this.collection,
      this.closed,
      this.published,
      // A verdict changes what its finding's diagnostic says, wherever that key is.
      verdicts.onDidChange(() => this.relintAll()),
      vscode.workspace.onDidOpenTextDocument(() => this.syncShown()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.syncShown()),
      vscode.window.tabGroups.onDidChangeTabs(() => this.syncShown()),
      // An untitled name is reused: the close of an old `Untitled-1` must not end the linting of a new one.
      vscode.workspace.onDidCloseTextDocument(
        (document) => this.documents.get(document.uri.toString())?.document === document && this.forget(document.uri.toString()),
      ),
      vscode.workspace.onDidChangeTextDocument((event) => this.onChange(event)),
      vscode.window.onDidChangeTextEditorSelection((event) => this.onSelection(event.textEditor)),
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
    const [only] = event.contentChanges;
    linted.typed =
      event.contentChanges.length === 1 && only !== undefined && !only.text.includes('\n') ? only.range.start.translate(0, only.text.length) : undefined;
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
    if (linted.slicing) {
      // The slices read the document as it was; what changed since is linted after them.
      this.schedule(key, DEBOUNCE_MS);
      return;
    }
    const [folder, modules] = await Promise.all([this.scanners.forDocument(linted.document.uri), loadScanner()]);
    this.modules = modules;
    // Anything may have happened while loading: the document closed, or changed again (its pending region covers that).
    if (this.documents.get(key) !== linted || linted.document.isClosed || linted.slicing) return;
    const document = linted.document;
    if (folder.isIgnored(document.uri)) {
      linted.incremental = undefined;
      this.publish(linted, []);
      return;
    }
    const incremental = linted.incremental;
    if (incremental !== undefined && incremental.scanner === folder.scanner && !incremental.partial) {
      if (linted.top === Number.POSITIVE_INFINITY) return;
      const newEnd = document.lineCount - linted.tail;
      const changed = document.offsetAt(new vscode.Position(newEnd, 0)) - document.offsetAt(new vscode.Position(linted.top, 0));
      if (changed <= SLICE_CHARS) {
        const findings = incremental.lines.replaceLines(linted.top, incremental.lineCount - linted.tail, changedLines(document, linted.top, newEnd));
        incremental.lineCount = document.lineCount;
        linted.top = Number.POSITIVE_INFINITY;
        linted.tail = Number.POSITIVE_INFINITY;
        this.show(key, linted, folder.scanner, findings);
        return;
      }
    }
    await this.scanInSlices(key, linted, folder.scanner, modules);
  }

  /** A whole scan of the document as it is now, a slice at a time; edits made meanwhile are pending for the next lint. */
  private async scanInSlices(key: string, linted: LintedDocument, scanner: SecretScanner, modules: ScannerModules): Promise<void> {
    const document = linted.document;
    const text = document.getText();
    const lineCount = document.lineCount;
    linted.top = Number.POSITIVE_INFINITY;
    linted.tail = Number.POSITIVE_INFINITY;
    const partial = text.length > MAX_LINTED_CHARS;
    // Cut after a line break where there is one, so the last line read is whole.
    const cut = partial ? text.lastIndexOf('\n', MAX_LINTED_CHARS) + 1 || MAX_LINTED_CHARS : text.length;
    linted.slicing = true;
    try {
      const slices = modules.DocumentScanner.sliced(scanner, { fileName: document.fileName, languageId: document.languageId }, text.slice(0, cut), SLICE_CHARS);
      let step = slices.next();
      while (step.done !== true) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.documents.get(key) !== linted || document.isClosed) return;
        step = slices.next();
      }
      linted.incremental = { scanner, lines: step.value, lineCount, partial };
      this.show(key, linted, scanner, step.value.findings, partial ? document.positionAt(cut) : undefined);
    } finally {
      linted.slicing = false;
    }
  }

  /**
   * Publishes the findings that the ignore file does not hide. With fingerprint entries in it, a
   * finding whose fingerprint is not derived yet waits, hidden, while it is derived on the thread
   * pool; then the findings are shown again.
   */
  private show(key: string, linted: LintedDocument, scanner: SecretScanner, findings: readonly Finding[], stoppedAt?: vscode.Position): void {
    const ready = (finding: Finding): boolean => !scanner.ignored.derivesFingerprints || finding.fingerprint.derived;
    this.publish(
      linted,
      findings.filter((finding) => ready(finding) && !scanner.ignored.hides(finding.fingerprint, true)),
      stoppedAt,
    );
    if (findings.every(ready)) return;
    const showIfCurrent = (shown: readonly Finding[]): void => {
      if (this.documents.get(key) === linted && linted.incremental?.lines.findings === findings) this.publish(linted, shown, stoppedAt);
    };
    void scanner.withoutIgnored(findings).then(showIfCurrent);
  }

  private publish(linted: LintedDocument, findings: readonly Finding[], stoppedAt?: vscode.Position): void {
    const growing = this.growingValue(linted, findings);
    linted.holding = growing === undefined ? undefined : { findings, stoppedAt };
    const shown = growing === undefined ? findings : findings.filter((finding) => finding !== growing);
    linted.findings = shown;
    const rules = linted.incremental?.scanner.rules ?? [];
    const modules = this.modules;
    const diagnostics = diagnosticsFor(linted.document.uri, shown, (finding) => modules && this.verdicts.verdictOf(finding, rules, modules));
    if (stoppedAt !== undefined) diagnostics.push(partialScanNotice(stoppedAt));
    this.collection.set(linted.document.uri, diagnostics);
    if (modules && shown.length > 0) this.published.fire({ document: linted.document, findings: shown, rules, modules });
  }

  /** The cursor left a value held back as growing: it is shown, unless an edit is still to be linted (its lint shows what is current). */
  private onSelection(editor: vscode.TextEditor): void {
    const linted = this.documents.get(editor.document.uri.toString());
    const holding = linted?.holding;
    if (!linted || !holding || linted.top !== Number.POSITIVE_INFINITY || this.cursorAt(linted, editor)) return;
    linted.typed = undefined;
    this.publish(linted, holding.findings, holding.stoppedAt);
  }

  /** Whether the editor's only cursor is where the last edit ended. */
  private cursorAt(linted: LintedDocument, editor: vscode.TextEditor): boolean {
    return linted.typed !== undefined && editor.selections.length === 1 && editor.selection.isEmpty && editor.selection.active.isEqual(linted.typed);
  }

  /**
   * The finding, if any, that is being typed: the last edit ended at its end, the cursor is still there, and its
   * value may still grow into a vendor's key (`ghp_…` typed into `token`). It is held back until the cursor leaves
   * it, so the vendor's finding comes at once when the key is whole, not after a generic one. Only that one finding is looked at.
   */
  private growingValue(linted: LintedDocument, findings: readonly Finding[]): Finding | undefined {
    const typed = linted.typed;
    const editor = vscode.window.activeTextEditor;
    if (typed === undefined || this.modules === undefined || editor?.document !== linted.document || !this.cursorAt(linted, editor)) return undefined;
    const finding = findings.find((candidate) => candidate.endLine === typed.line && candidate.endColumn === typed.character);
    if (finding === undefined || finding.line !== finding.endLine) return undefined;
    return this.modules.mayBecomeVendorKey(finding.ruleId, linted.document.getText(findingRange(finding))) ? finding : undefined;
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

/** Where linting stopped in a document too large to lint whole. */
function partialScanNotice(at: vscode.Position): vscode.Diagnostic {
  const megabytes = MAX_LINTED_CHARS / 1024 / 1024;
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(at, at),
    `API Key Guard checks the first ${megabytes} MB of a file for keys while you type, and stopped here: the rest of this file was not checked.`,
    vscode.DiagnosticSeverity.Information,
  );
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = PARTIAL_SCAN_CODE;
  return diagnostic;
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
