import * as vscode from 'vscode';
import type { KeyRecord } from '../core/keyRecord';
import type { KeyStore } from './keyStore';

/** The part of the extension's environment variable collection used here, so tests can hand in their own. */
export type TerminalVariables = Pick<vscode.GlobalEnvironmentVariableCollection, 'persistent' | 'description' | 'replace' | 'delete' | 'get' | 'clear'>;

/** Whether this window's workspace is trusted: `vscode.workspace` itself, or a test's stand-in (the test host runs with trust off). */
export type WorkspaceTrust = Pick<typeof vscode.workspace, 'isTrusted' | 'onDidGrantWorkspaceTrust'>;

/**
 * Puts opted-in keys into new integrated terminals through the extension's environment variable
 * collection. That collection belongs to this window (each window's extension host fills its own) and
 * reaches every terminal the window starts, tasks' and other extensions' included; an untrusted
 * workspace gets none until the user trusts it. Trust is the window's, so the collection is not scoped
 * to workspace folders. `persistent` is off, because VS Code would otherwise write the values to disk
 * to restore them in the next session; the collection is rebuilt from secret storage on every start instead.
 */
export class TerminalEnvironment implements vscode.Disposable {
  /** The variables set here, to take away those no key wants any more. */
  private readonly variables = new Set<string>();
  /** The collection's description as last set; every change to the collection is sent to the workbench. */
  private description: string | undefined;
  private running: Promise<void> = Promise.resolve();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly collection: TerminalVariables,
    private readonly store: KeyStore,
    onError: (error: unknown) => void,
    private readonly trust: WorkspaceTrust = vscode.workspace,
  ) {
    collection.persistent = false;
    // Whatever it holds was set by an earlier session, not from the keys as they are now.
    collection.clear();
    const update = () => void this.update().catch(onError);
    this.subscriptions = [store.onDidChange(update), trust.onDidGrantWorkspaceTrust(update)];
  }

  /** Brings the collection in line with the keys that have a terminal variable. */
  update(): Promise<void> {
    // One at a time, so a slow read cannot finish after a newer update and put back an old value.
    const update = this.running.then(() => this.apply());
    this.running = update.catch(() => undefined);
    return update;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private async apply(): Promise<void> {
    const wanted = new Map<string, KeyRecord>();
    for (const record of this.trust.isTrusted ? this.store.list() : []) {
      if (record.terminalVariable && !record.replacedBy) {
        wanted.set(record.terminalVariable, record);
      }
    }
    for (const variable of [...this.variables].filter((variable) => !wanted.has(variable))) {
      this.variables.delete(variable);
      this.collection.delete(variable);
    }
    for (const [variable, record] of wanted) {
      // Through the store's cache: every check result is a metadata change, and reads nothing.
      const secret = await this.store.readSecret(record.id);
      if (secret === undefined) {
        this.variables.delete(variable);
        this.collection.delete(variable);
      } else if (this.collection.get(variable)?.value !== secret) {
        this.variables.add(variable);
        this.collection.replace(variable, secret, { applyAtProcessCreation: true });
      }
    }
    const set = [...wanted].filter(([variable]) => this.collection.get(variable) !== undefined);
    const description = set.length
      ? `API Key Guard sets ${set.map(([variable, record]) => `\`${variable}\` (key '${record.name}')`).join(', ')} from VS Code's secret storage in every new terminal of this window, AI agents' terminals included.`
      : undefined;
    if (description !== this.description) {
      this.description = description;
      this.collection.description = description && new vscode.MarkdownString(description);
    }
  }
}
