/**
 * Scan Workspace for Hardcoded Keys: every file of every workspace folder on disk, walked the way the
 * CLI walks (`.gitignore`, default excludes, binary and huge files skipped) plus VS Code's
 * `files.exclude`/`search.exclude`, `apiKeyGuard.lint.exclude` and `.disabledLanguages`. Findings go
 * to Problems; documents open in an editor are left to the live linter so nothing is reported twice.
 * A check's verdict on a key shows on the findings of that key here as in the editor: each finding is
 * kept by what its diagnostic shows and where its key's verdict is filed, never by its key.
 */
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { MAX_FILE_BYTES, walkFiles } from '../../core/scanner/files';
import { diagnosticsFor, DIAGNOSTIC_SOURCE, findingRange, PARTIAL_SCAN_CODE, type DocumentLinter, type ShownFinding } from './diagnostics';
import type { KeyVerdicts, VerdictFiling } from './keyVerdicts';
import { loadScanner, type ScannerPool } from './scanners';

export const SCAN_WORKSPACE_COMMAND = 'apiKeyGuard.scanWorkspace';

/** A finding as the scan keeps it: what its diagnostic shows, and where its key's verdict is filed if its provider can check it. */
interface ScannedFinding extends ShownFinding {
  readonly filing: VerdictFiling | undefined;
}

/** A file's findings whose diagnostics the scan shows. */
interface ScannedFile {
  readonly uri: vscode.Uri;
  readonly findings: readonly ScannedFinding[];
}

export class WorkspaceScan implements vscode.Disposable {
  /** Its own collection: the live linter replaces a file's entries while it is open. */
  private readonly collection = vscode.languages.createDiagnosticCollection('api-key-guard-workspace');
  /** The findings behind the collection's diagnostics, by URI: a file has an entry here exactly when it has diagnostics there. */
  private readonly files = new Map<string, ScannedFile>();
  private readonly statusItem = vscode.window.createStatusBarItem('apiKeyGuard.findings', vscode.StatusBarAlignment.Left, 10);
  private scanned = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly linter: DocumentLinter,
    private readonly scanners: ScannerPool,
    private readonly verdicts: KeyVerdicts,
  ) {
    this.statusItem.name = 'API Key Guard: hardcoded keys';
    this.statusItem.command = 'workbench.actions.view.problems';
    this.subscriptions = [
      this.collection,
      this.statusItem,
      vscode.languages.onDidChangeDiagnostics((event) => {
        event.uris.filter((uri) => linter.isLinting(uri) && this.collection.has(uri)).forEach((uri) => this.show(uri, []));
        this.updateStatus();
      }),
      // A file that leaves the editor gets its findings from disk again.
      linter.onDidStopLinting((uri) => this.scanned && uri.scheme === 'file' && void this.rescan(uri)),
      // The linter shows a new verdict in the files it has open; these are the others.
      verdicts.onDidChange(() => {
        for (const { uri, findings } of this.files.values()) if (!linter.isLinting(uri)) this.show(uri, findings);
      }),
    ];
  }

  /** The finding whose diagnostic the scan shows at a position of a file (the URI as text, as a command's argument names it). */
  findingAt(uri: string, position: vscode.Position): { readonly uri: vscode.Uri; readonly finding: ShownFinding } | undefined {
    const file = this.files.get(uri);
    const finding = file?.findings.find((candidate) => findingRange(candidate).contains(position));
    return file && finding && { uri: file.uri, finding };
  }

  /** Scans every workspace folder; resolves with the number of findings, or undefined when cancelled. */
  scan(): Thenable<number | undefined> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Scanning the workspace for hardcoded keys', cancellable: true },
      async (progress, token) => {
        const found: ScannedFile[] = [];
        let files = 0;
        for (const folder of vscode.workspace.workspaceFolders ?? []) {
          if (folder.uri.scheme !== 'file') continue;
          for (const path of walkFiles(folder.uri.fsPath, { gitignore: true, excludes: excludesFor(folder), base: folder.uri.fsPath })) {
            if (token.isCancellationRequested) return undefined;
            const uri = vscode.Uri.file(path);
            const findings = await this.scanFile(uri);
            if (findings.length > 0) found.push({ uri, findings });
            if (++files % 50 === 0) progress.report({ message: `${files} files` });
          }
        }
        this.collection.clear();
        this.files.clear();
        const shown = found.reduce((sum, { uri, findings }) => sum + this.show(uri, findings), 0);
        this.scanned = true;
        this.updateStatus();
        return shown;
      },
    );
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private async rescan(uri: vscode.Uri): Promise<void> {
    const findings = await this.scanFile(uri);
    if (!this.linter.isLinting(uri)) this.show(uri, findings);
  }

  /** Shows a file's findings with the verdicts on their keys, and keeps those it shows; returns how many diagnostics it shows. */
  private show(uri: vscode.Uri, findings: readonly ScannedFinding[]): number {
    const diagnostics = diagnosticsFor(uri, findings, (finding) => finding.filing && this.verdicts.verdictFiledAs(finding.filing));
    if (diagnostics.length === 0) {
      this.collection.delete(uri);
      this.files.delete(uri.toString());
    } else {
      this.collection.set(uri, diagnostics);
      this.files.set(uri.toString(), { uri, findings });
    }
    return diagnostics.length;
  }

  /** A file's findings from disk; none for files open in an editor, ignored, unreadable, binary or huge. */
  private async scanFile(uri: vscode.Uri): Promise<ScannedFinding[]> {
    if (this.linter.isLinting(uri)) return [];
    const [folder, modules] = await Promise.all([this.scanners.forDocument(uri), loadScanner()]);
    if (folder.isIgnored(uri)) return [];
    let content: Buffer;
    try {
      const stat = await fs.stat(uri.fsPath);
      if (stat.size > MAX_FILE_BYTES) return [];
      content = await fs.readFile(uri.fsPath);
    } catch {
      return [];
    }
    const findings = await folder.scanner.withoutIgnored(folder.scanner.scanFile(content, { fileName: uri.fsPath }));
    if (findings.length === 0 || (await isInDisabledLanguage(uri))) return [];
    // Field by field: the finding's fingerprint holds its key, which is not kept.
    return findings.map((finding) => ({
      line: finding.line,
      column: finding.column,
      endLine: finding.endLine,
      endColumn: finding.endColumn,
      ruleId: finding.ruleId,
      message: finding.message,
      preview: finding.preview,
      filing: this.verdicts.filingOf(finding, folder.scanner.rules, modules),
    }));
  }

  private updateStatus(): void {
    let count = 0;
    for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
      count += diagnostics.filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE && diagnostic.code !== PARTIAL_SCAN_CODE).length;
    }
    if (count === 0 && !this.scanned) {
      this.statusItem.hide();
      return;
    }
    this.statusItem.text = `$(shield) ${count}`;
    this.statusItem.tooltip =
      count === 0 ? 'API Key Guard: no hardcoded keys found' : `API Key Guard: ${count} hardcoded key${count === 1 ? '' : 's'}. Click to open Problems.`;
    this.statusItem.show();
  }
}

/**
 * Whether the file is in a language `apiKeyGuard.lint.disabledLanguages` turns off, as the live linter
 * decides. Only VS Code knows a file's language (associations, extensions, first line), so the file is
 * opened as a document without an editor; only files with findings get this far.
 */
async function isInDisabledLanguage(uri: vscode.Uri): Promise<boolean> {
  const disabled = vscode.workspace.getConfiguration('apiKeyGuard.lint', uri).get<string[]>('disabledLanguages', []);
  if (disabled.length === 0) return false;
  const languageId = await vscode.workspace.openTextDocument(uri).then(
    (document) => document.languageId,
    () => undefined,
  );
  return languageId !== undefined && disabled.includes(languageId);
}

/** VS Code's own excludes and the linter's, as the walker's gitignore-style patterns (`**` globs read the same). */
function excludesFor(folder: vscode.WorkspaceFolder): string[] {
  const enabled = (setting: string) =>
    Object.entries(vscode.workspace.getConfiguration(undefined, folder.uri).get<Record<string, unknown>>(setting, {}))
      .filter(([, value]) => value === true)
      .map(([glob]) => glob);
  return [
    ...enabled('files.exclude'),
    ...enabled('search.exclude'),
    ...vscode.workspace.getConfiguration('apiKeyGuard.lint', folder.uri).get<string[]>('exclude', []),
  ];
}
