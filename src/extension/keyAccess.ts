import * as vscode from 'vscode';
import type { KeyRecord } from '../core/keyRecord';
import type { KeyRequests } from '../core/programKeys';
import { SecretStorageError, type KeyStore } from './keyStore';
import type { Log } from './log';
import type { Prompts } from './prompts';
import type { WorkspaceTrust } from './terminalEnvironment';

const ACCESS_KEY = 'apiKeyGuard.workspaceKeyAccess';

/** Workspace folder (or workspace file) URI → ids of the keys the user let it use. Ids only: nothing here is secret. */
type AccessTable = Readonly<Record<string, readonly string[]>>;

/** What starts the program, in the words the messages use: `launch configuration 'Run orders'`. */
export interface ProgramStart {
  readonly description: string;
  /** The workspace folder, or the workspace file, whose configuration it is; none in a window without a folder, which is asked every time. */
  readonly workspace: vscode.Uri | undefined;
  /** Where the user corrects the configuration: `launch.json`. */
  readonly file: string;
  /** A modal question asked on every start that asks no other (a terminal with keys, which another extension could open and type into). */
  readonly confirmation?: { readonly message: string; readonly detail: string; readonly action: string };
}

/**
 * Which workspaces may put which keys into the programs they start (debug sessions, tasks, terminals with
 * keys), and which MCP servers of the user's settings may get which keys (kept under `MCP_SERVER_SCHEME` names). The user
 * allows a workspace a key once, in a modal dialog no other extension can answer; the answer is kept in
 * global state, outside every settings file a workspace could write, and taken back with "Manage
 * Workspace Key Access…". A rotated key keeps the access its old key had.
 */
export class KeyAccess implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  private readonly provided = new vscode.EventEmitter<void>();
  /** Fires after a program received keys (never with them). */
  readonly onDidProvideKeys = this.provided.event;

  constructor(
    private readonly store: KeyStore,
    private readonly state: vscode.Memento,
    private readonly prompts: () => Prompts,
    private readonly log: Log,
    private readonly trust: WorkspaceTrust = vscode.workspace,
  ) {
    this.subscription = store.onDidChange(() => void this.followRotations().catch((error: unknown) => log.error(String(error))));
  }

  /** Every workspace's allowed keys, as the manage command lists them. */
  list(): AccessTable {
    const stored = this.state.get<unknown>(ACCESS_KEY);
    if (typeof stored !== 'object' || stored === null) {
      return {};
    }
    return Object.fromEntries(
      Object.entries(stored).flatMap(([workspace, ids]) =>
        Array.isArray(ids) ? [[workspace, ids.filter((id): id is string => typeof id === 'string')] as const] : [],
      ),
    );
  }

  async revoke(workspace: string, ids: readonly string[]): Promise<void> {
    const current = this.list();
    const kept = (current[workspace] ?? []).filter((id) => !ids.includes(id));
    const { [workspace]: _removed, ...others } = current;
    await this.state.update(ACCESS_KEY, kept.length ? { ...others, [workspace]: kept } : others);
  }

  /**
   * The secrets `requests` names (variable → secret) for a program `start` runs, or undefined once the user
   * has been told why it gets none: an untrusted workspace, a name that is no key, access the user did
   * not allow, or a secret storage that fails.
   */
  async provide(requests: KeyRequests, start: ProgramStart): Promise<Map<string, string> | undefined> {
    if (!this.trust.isTrusted) {
      return this.refuse(
        'warning',
        `${start.description} asks for API keys, and API Key Guard gives none to an untrusted workspace. Trust the workspace if you know where it comes from, then start it again.`,
      );
    }
    const records = new Map<string, KeyRecord>();
    for (const [variable, name] of requests) {
      const matches = this.store.list().filter((record) => record.name === name && !record.replacedBy);
      if (matches.length !== 1) {
        return this.refuse(
          'error',
          matches.length === 0
            ? `${start.description} needs the key '${name}' for $${variable}, and API Key Guard has no key of that name. Add it with "Add Key…", or correct the name in ${start.file}.`
            : `${start.description} needs the key '${name}' for $${variable}, and ${matches.length} keys have that name. Rename one with "Edit Key Details…" so the name says which.`,
          ...(matches.length === 0 ? ['Add Key…'] : []),
        );
      }
      records.set(variable, matches[0]!);
    }
    if (!(await this.allowed(start, [...new Set(records.values())]))) {
      return this.refuse('info', `${start.description} was not started: it gets no keys until you allow this workspace to use them.`);
    }
    const secrets = new Map<string, string>();
    for (const [variable, record] of records) {
      let secret: string | undefined;
      try {
        secret = await this.store.readSecret(record.id);
      } catch (error) {
        const reason = error instanceof SecretStorageError ? error.message : String(error);
        return this.refuse('error', `${start.description} was not started: the key '${record.name}' could not be read. ${reason}`);
      }
      if (secret === undefined) {
        return this.refuse(
          'error',
          `${start.description} was not started: VS Code's secret storage no longer has the key '${record.name}'. Enter it again with "Re-enter Key…".`,
        );
      }
      secrets.set(variable, secret);
    }
    this.log.info(`${start.description} gets ${[...records].map(([variable, record]) => `'${record.name}' as $${variable}`).join(', ')}`, [
      ...secrets.values(),
    ]);
    this.provided.fire();
    return secrets;
  }

  dispose(): void {
    this.subscription.dispose();
    this.provided.dispose();
  }

  /** Whether the workspace may use these keys: allowed before, or now, in one modal question for those it may not yet. */
  private async allowed(start: ProgramStart, records: readonly KeyRecord[]): Promise<boolean> {
    const { confirmation } = start;
    if (!start.workspace) {
      return !!confirmation && this.prompts().confirm(confirmation.message, confirmation.detail, confirmation.action);
    }
    const workspace = start.workspace.toString();
    const granted = this.list()[workspace] ?? [];
    const asked = records.filter((record) => !granted.includes(record.id));
    if (asked.length === 0) {
      return !confirmation || this.prompts().confirm(confirmation.message, confirmation.detail, confirmation.action);
    }
    const names = asked.map((record) => `'${record.name}'`).join(', ');
    const [it, keys] = asked.length === 1 ? ['it', 'this key'] : ['them', 'these keys'];
    const who =
      start.workspace.scheme === MCP_SERVER_SCHEME
        ? `this server, as long as its command, arguments and folder stay as they are, gets ${it}`
        : `every debug session, task and terminal with keys of this workspace that names ${keys} gets ${it}`;
    const allow = await this.prompts().confirm(
      `Let ${granteeLabel(start.workspace)} use ${asked.length === 1 ? 'the key' : 'the keys'} ${names}?`,
      `${start.description} asks for ${it}. Once allowed, ${who} in its environment, and so can the programs it runs. Take it back with "API Key Guard: Manage Workspace Key Access…".`,
      'Allow',
    );
    if (allow) {
      await this.state.update(ACCESS_KEY, { ...this.list(), [workspace]: [...granted, ...asked.map((record) => record.id)] });
    }
    return allow;
  }

  /** Says, in a notification and the log, why a program gets no keys; undefined, for the caller to return. */
  refuse(level: 'info' | 'warning' | 'error', message: string, ...actions: string[]): undefined {
    this.log.warn(message);
    void this.prompts()
      .notify(level, message, ...actions)
      .then((action) => action === 'Add Key…' && vscode.commands.executeCommand('apiKeyGuard.addKey'));
    return undefined;
  }

  /** A rotated key's replacement gets the access the old key had; keys that no longer exist lose theirs. */
  private async followRotations(): Promise<void> {
    const records = this.store.list();
    const replacement = new Map(records.flatMap((record) => (record.replacedBy ? [[record.id, record.replacedBy] as const] : [])));
    const existing = new Set(records.map((record) => record.id));
    const current = this.list();
    const next = Object.fromEntries(
      Object.entries(current).map(([workspace, ids]) => [
        workspace,
        [...new Set(ids.flatMap((id) => [id, ...(replacement.has(id) ? [replacement.get(id)!] : [])]))].filter((id) => existing.has(id)),
      ]),
    );
    if (JSON.stringify(next) !== JSON.stringify(current)) {
      await this.state.update(ACCESS_KEY, next);
    }
  }
}

/** The scheme of the names under which access is kept for an MCP server (`api-key-guard-mcp:/<label>?<fingerprint>`), beside workspaces' URIs. */
export const MCP_SERVER_SCHEME = 'api-key-guard-mcp';

/** Who gets keys, in a sentence: `the workspace 'orders' (/home/me/orders)`, `the MCP server 'uppzy'`. */
export function granteeLabel(grantee: vscode.Uri): string {
  return grantee.scheme === MCP_SERVER_SCHEME ? `the MCP server '${grantee.path.slice(1)}'` : `the workspace ${workspaceLabel(grantee)}`;
}

/** `'orders' (/home/me/orders)`: the folder's name, and where it is. */
function workspaceLabel(workspace: vscode.Uri): string {
  const path = workspace.scheme === 'file' ? workspace.fsPath : workspace.toString();
  return `'${path.split(/[\\/]/).filter(Boolean).pop() ?? path}' (${path})`;
}

/**
 * The launch configurations or tasks the workspace defines (the folder's `.vscode` file and the workspace
 * file) and those in the user's settings: what a debug session or task is compared with before it gets keys.
 */
export function workspaceEntries(section: 'launch' | 'tasks', property: string, folder: vscode.WorkspaceFolder | undefined): Record<string, unknown>[] {
  const inspected = vscode.workspace.getConfiguration(section, folder?.uri).inspect<unknown>(property);
  return [inspected?.workspaceFolderValue, inspected?.workspaceValue, inspected?.globalValue].flatMap((entries) =>
    Array.isArray(entries) ? entries.filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null) : [],
  );
}
