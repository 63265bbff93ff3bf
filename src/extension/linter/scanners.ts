/**
 * The scanners the linter and the workspace scan use: one per workspace folder, built from the user's
 * stored keys, custom providers and the folder's `.apikeyguardignore`, rebuilt when any of them changes. The scanner code
 * itself loads on first use, so activating the extension does not build the rule set.
 */
import * as vscode from 'vscode';
import { variableOfKey } from '../../core/envLookup';
import { BUILT_IN_PROVIDERS, SEED_PROVIDERS } from '../../core/providers/builtIn';
import { compilePatterns, matchPatterns, type PathPattern } from '../../core/scanner/globs';
import { IGNORE_FILE_NAME, parseIgnoreFile } from '../../core/scanner/suppression';
import type { ExtraSecret } from '../../core/scanner/types';
import type { KeyStore } from '../keyStore';
import type { Log } from '../log';
import type { ProviderRegistry } from '../providerRegistry';

export type ScannerModules = typeof import('../../core/scanner/engine') &
  typeof import('../../core/scanner/documentScanner') &
  typeof import('../../core/scanner/rules') &
  typeof import('../../core/verification');
export type SecretScanner = InstanceType<ScannerModules['SecretScanner']>;

let modules: Promise<ScannerModules> | undefined;

/** Loads the rules and engine once, on the first scan; with them what judges a found key's check, which only findings need. */
export function loadScanner(): Promise<ScannerModules> {
  modules ??= Promise.all([
    import('../../core/scanner/engine'),
    import('../../core/scanner/documentScanner'),
    import('../../core/scanner/rules'),
    import('../../core/verification'),
  ]).then(([engine, incremental, rules, verification]) => ({ ...engine, ...incremental, ...rules, ...verification }));
  return modules;
}

/** What applies to the files of one workspace folder (or to files outside any folder). */
export interface FolderScanner {
  readonly scanner: SecretScanner;
  /** Path patterns from `.apikeyguardignore` and the folder's `.gitignore`: such files are not linted. */
  isIgnored(uri: vscode.Uri): boolean;
}

export class ScannerPool implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when stored keys or an ignore file changed: every document must be scanned again. */
  readonly onDidChange = this.changed.event;
  private readonly folders = new Map<string, Promise<FolderScanner>>();
  /** The only copies of secrets the linter holds: what matching them needs, dropped on every store change. */
  private storedKeys: Promise<readonly ExtraSecret[]> | undefined;
  private readonly subscriptions: vscode.Disposable[];
  /** What the stored-key matcher was built from, besides the secrets: which keys, the words of their labels, and their variables. */
  private signature: string;

  constructor(
    private readonly store: KeyStore,
    private readonly providers: ProviderRegistry,
    private readonly log: Log,
  ) {
    this.signature = this.storedKeysSignature();
    const watcher = vscode.workspace.createFileSystemWatcher(`**/{${IGNORE_FILE_NAME},.gitignore}`);
    const reloadFolder = (uri: vscode.Uri) => {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (folder && vscode.Uri.joinPath(uri, '..').toString() === folder.uri.toString()) {
        this.folders.delete(folder.uri.toString());
        this.changed.fire();
      }
    };
    this.subscriptions = [
      watcher,
      watcher.onDidCreate(reloadFolder),
      watcher.onDidChange(reloadFolder),
      watcher.onDidDelete(reloadFolder),
      // A check result or a date changes the metadata too, and must not rebuild every folder's scanner.
      store.onDidChange(() => this.storedKeysSignature() !== this.signature && this.reset()),
      store.onDidChangeSecret(() => this.reset()),
      providers.onDidChange(() => this.reset()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reset()),
    ];
  }

  forDocument(uri: vscode.Uri): Promise<FolderScanner> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const key = folder?.uri.toString() ?? '';
    let scanner = this.folders.get(key);
    if (!scanner) {
      scanner = this.build(folder);
      this.folders.set(key, scanner);
    }
    return scanner;
  }

  /** The stored key whose secret is exactly `value`, for a finding of the `stored-key` rule. */
  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }

  private storedKeysSignature(): string {
    return JSON.stringify(this.store.list().map((record) => [record.id, record.environment, record.name, record.providerId, record.terminalVariable]));
  }

  private reset(): void {
    this.signature = this.storedKeysSignature();
    this.storedKeys = undefined;
    this.folders.clear();
    this.changed.fire();
  }

  private async build(folder: vscode.WorkspaceFolder | undefined): Promise<FolderScanner> {
    const [engine, storedKeys, ignoreFile, gitignore] = await Promise.all([
      loadScanner(),
      this.loadStoredKeys(),
      folder ? readText(vscode.Uri.joinPath(folder.uri, IGNORE_FILE_NAME)) : undefined,
      folder ? readText(vscode.Uri.joinPath(folder.uri, '.gitignore')) : undefined,
    ]);
    const ignoreList = parseIgnoreFile(ignoreFile ?? '');
    // The user's own providers have variable rules, as `scan --providers-file` gives them.
    const custom = this.providers.all().filter((provider) => !BUILT_IN_PROVIDERS.includes(provider));
    // Fingerprints are derived off the extension host's thread: see DocumentLinter.show and WorkspaceScan.scanFile.
    const scanner = new engine.SecretScanner({
      ...(custom.length === 0 ? {} : { rules: engine.buildRules([...SEED_PROVIDERS, ...custom]) }),
      extraSecrets: storedKeys,
      ignoredFingerprints: ignoreList.fingerprints,
      deriveFingerprintsLater: true,
    });
    const patterns: PathPattern[] = compilePatterns([...(gitignore ?? '').split(/\r?\n/), ...ignoreList.paths]);
    return {
      scanner,
      isIgnored: (uri) => {
        if (!folder || patterns.length === 0) return false;
        const relative = vscode.workspace.asRelativePath(uri, false);
        return isInIgnoredFolder(patterns, relative) || matchPatterns(patterns, relative, false) === true;
      },
    };
  }

  private loadStoredKeys(): Promise<readonly ExtraSecret[]> {
    this.storedKeys ??= this.readStoredKeys();
    return this.storedKeys;
  }

  private async readStoredKeys(): Promise<readonly ExtraSecret[]> {
    const keys: ExtraSecret[] = [];
    for (const record of this.store.list()) {
      try {
        const value = await this.store.readSecret(record.id);
        if (value) {
          const provider = this.providers.find(record.providerId);
          const label = `${record.environment} ${provider?.displayName ?? record.providerId} key '${record.name}'`;
          keys.push({ value, label, variable: variableOfKey(record, provider) });
        }
      } catch (error) {
        this.log.error(error instanceof Error ? error : String(error));
      }
    }
    return keys;
  }
}

/** A file inside an ignored folder (`build/` ignores `build/x/y.js`); as in git, nothing inside it can be re-included. */
function isInIgnoredFolder(patterns: readonly PathPattern[], relative: string): boolean {
  const parts = relative.split('/');
  for (let depth = 1; depth < parts.length; depth++) {
    if (matchPatterns(patterns, parts.slice(0, depth).join('/'), true) === true) return true;
  }
  return false;
}

/** A file's text, or undefined when it cannot be read (most often: it does not exist). */
export async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
