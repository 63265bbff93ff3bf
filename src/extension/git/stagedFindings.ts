/**
 * The staged changes in the editor: a status bar item when what the next commit would add holds
 * findings, with the same engine, rules and suppressions as the hook. Repositories and their
 * state come from VS Code's git extension, which refreshes its status after every save; on each
 * refresh only the index file is stat'ed. When it changed, one `git diff --cached --raw` lists what
 * is staged, and the staged blobs are scanned (one `git diff --cached` and one `git cat-file
 * --batch`, with the git the user configured) only when that list changed: `git status` rewrites
 * the index to refresh its file times after a save, which stages nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GitFinding } from '../../core/git/addedLines';
import { runGit } from '../../core/git/git';
import { pathFilter } from '../../core/git/paths';
import { scanStaged } from '../../core/git/staged';
import { DEFAULT_EXCLUDES } from '../../core/scanner/files';
import { IGNORE_FILE_NAME, parseIgnoreFile } from '../../core/scanner/suppression';
import type { ScannerPool } from '../linter/scanners';
import type { Log } from '../log';
import type { GitApi, GitRepository } from './gitApi';

/** Past this many staged files the automatic scan waits for the command: a huge `git add` should not hold the extension host. */
const MAX_AUTOMATIC_FILES = 500;

export interface StagedFinding extends GitFinding {
  readonly uri: vscode.Uri;
}

interface Tracked {
  readonly repository: GitRepository;
  /** The index file, as git names it for this work tree. */
  index: Promise<string | undefined>;
  /** What the index file looked like when last scanned. */
  stamp: string | undefined;
  /** What was staged when last scanned: the raw listing of the staged changes, blob ids included. */
  listing: string | undefined;
  findings: StagedFinding[];
  /** The scan running now, so a burst of refreshes starts one scan at a time. */
  scanning: Promise<void> | undefined;
  listener: vscode.Disposable;
}

export class StagedFindings implements vscode.Disposable {
  private readonly tracked = new Map<string, Tracked>();
  private readonly statusItem = vscode.window.createStatusBarItem('apiKeyGuard.staged', vscode.StatusBarAlignment.Left, 9);
  private readonly changed = new vscode.EventEmitter<readonly StagedFinding[]>();
  /** Fires with every finding in the staged changes of all repositories after each scan. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly api: GitApi,
    private readonly scanners: ScannerPool,
    private readonly log: Log,
  ) {
    this.statusItem.name = 'API Key Guard: staged secrets';
    this.statusItem.command = 'apiKeyGuard.openStagedFinding';
    this.statusItem.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.subscriptions.push(
      this.statusItem,
      this.changed,
      api.onDidOpenRepository((repository) => this.track(repository)),
      api.onDidCloseRepository((repository) => this.untrack(repository)),
      scanners.onDidChange(() => this.rescanAll()),
    );
    api.repositories.forEach((repository) => this.track(repository));
  }

  get findings(): readonly StagedFinding[] {
    return [...this.tracked.values()].flatMap((tracked) => tracked.findings);
  }

  get repositories(): readonly GitRepository[] {
    return this.api.repositories;
  }

  /** Scans every repository's staged changes now, whatever their size; resolves with all findings. */
  async scanNow(): Promise<readonly StagedFinding[]> {
    await Promise.all([...this.tracked.values()].map((tracked) => this.scan(tracked, true)));
    return this.findings;
  }

  private track(repository: GitRepository): void {
    const key = repository.rootUri.toString();
    if (this.tracked.has(key)) return;
    const tracked: Tracked = {
      repository,
      index: indexFile(this.api, repository),
      stamp: undefined,
      listing: undefined,
      findings: [],
      scanning: undefined,
      listener: repository.state.onDidChange(() => void this.refresh(tracked)),
    };
    this.tracked.set(key, tracked);
    void this.refresh(tracked);
  }

  private untrack(repository: GitRepository): void {
    const key = repository.rootUri.toString();
    this.tracked.get(key)?.listener.dispose();
    this.tracked.delete(key);
    this.update();
  }

  private rescanAll(): void {
    for (const tracked of this.tracked.values()) {
      tracked.stamp = undefined;
      tracked.listing = undefined;
      void this.refresh(tracked);
    }
  }

  /** A state change: scan only if the index file changed since the last scan, and with it what is staged. */
  private async refresh(tracked: Tracked): Promise<void> {
    const stamp = await indexStamp(await tracked.index);
    if (stamp !== undefined && stamp === tracked.stamp) return;
    while (tracked.scanning) await tracked.scanning;
    const listing = await this.listing(tracked);
    if (listing !== undefined && listing === tracked.listing) {
      tracked.stamp = stamp;
      return;
    }
    await this.scan(tracked, false, listing);
  }

  /** The staged changes as `git diff --cached --raw` lists them (paths, modes, blob ids); undefined if git cannot say. */
  private listing(tracked: Tracked): Promise<string | undefined> {
    const options = { cwd: tracked.repository.rootUri.fsPath, gitPath: this.api.git.path };
    return runGit(options, ['diff', '--cached', '--raw', '-z', '--full-index', '--no-renames']).catch(() => undefined);
  }

  private async scan(tracked: Tracked, always: boolean, listing?: string): Promise<void> {
    while (tracked.scanning) await tracked.scanning;
    const run = (async () => {
      const root = tracked.repository.rootUri.fsPath;
      tracked.stamp = await indexStamp(await tracked.index);
      tracked.listing = listing ?? (await this.listing(tracked));
      if (!always && tracked.repository.state.indexChanges.length > MAX_AUTOMATIC_FILES) {
        tracked.findings = [];
        return;
      }
      try {
        const { scanner } = await this.scanners.forDocument(tracked.repository.rootUri);
        const staged = await scanStaged({ cwd: root, gitPath: this.api.git.path, scanner, includes: includesFor(root) });
        // The editor's scanner leaves `scrypt:` ignore entries to be matched off the host's thread.
        const shown = new Set(await scanner.withoutIgnored(staged.findings.map(({ finding }) => finding)));
        tracked.findings = staged.findings
          .filter(({ finding }) => shown.has(finding))
          .map((found) => ({ ...found, uri: vscode.Uri.file(path.join(root, found.path)) }));
      } catch (error) {
        this.log.warn(`could not scan the staged changes of ${root}: ${error instanceof Error ? error.message : String(error)}`);
        tracked.findings = [];
      }
    })();
    tracked.scanning = run;
    try {
      await run;
    } finally {
      tracked.scanning = undefined;
      this.update();
    }
  }

  private update(): void {
    const findings = this.findings;
    if (findings.length === 0) {
      this.statusItem.hide();
    } else {
      const listed = findings.slice(0, 5).map(({ path: file, finding }) => `${file}:${finding.line + 1} ${finding.ruleId}`);
      this.statusItem.text = `$(shield) ${findings.length} staged`;
      this.statusItem.tooltip = `API Key Guard: the staged changes add ${findings.length === 1 ? 'a secret' : `${findings.length} secrets`} (${listed.join(', ')}${findings.length > 5 ? ', …' : ''}). A commit with the pre-commit hook will stop. Click to open ${findings.length === 1 ? 'it' : 'one'}.`;
      this.statusItem.show();
    }
    this.changed.fire(findings);
  }

  dispose(): void {
    for (const tracked of this.tracked.values()) tracked.listener.dispose();
    this.tracked.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** The index file git uses for this work tree (a linked worktree has its own): asked once per repository. */
async function indexFile(api: GitApi, repository: GitRepository): Promise<string | undefined> {
  const root = repository.rootUri.fsPath;
  try {
    const relative = (await runGit({ cwd: root, gitPath: api.git.path }, ['rev-parse', '--git-path', 'index'])).trim();
    return path.resolve(root, relative);
  } catch {
    return undefined;
  }
}

async function indexStamp(file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  try {
    const stat = await fs.promises.stat(file);
    return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
  } catch {
    return 'none';
  }
}

/** The tree scan's excludes and the repository's `.apikeyguardignore` paths; `.gitignore` does not apply to what is staged. */
function includesFor(root: string): (repoPath: string) => boolean {
  let paths: readonly string[] = [];
  try {
    paths = parseIgnoreFile(fs.readFileSync(path.join(root, IGNORE_FILE_NAME), 'utf8')).paths;
  } catch {
    // no ignore file
  }
  return pathFilter([...DEFAULT_EXCLUDES, ...paths], root, root);
}
