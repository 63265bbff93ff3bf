/**
 * "Open Terminal with Keys…": one terminal whose shell has the chosen keys in its environment, and no other.
 *
 * Every extension can read `vscode.window.terminals[i].creationOptions`, so the keys never go into
 * `createTerminal({ env })`. The terminal instead starts a small launcher (the extension host's own
 * executable run as Node) with the address of a one-time local channel and its nonce; the launcher fetches
 * the keys over it once and starts the user's default shell with them. The creation options then hold only
 * a spent nonce; the terminal is transient, so VS Code never revives it with them.
 */
import * as vscode from 'vscode';
import { findVariableNameProblem, type KeyRecord } from '../core/keyRecord';
import { offerKeys, type Handout } from '../core/keyHandout';
import type { CommandTable } from './commands/registry';
import type { CommandServices } from './commands/services';
import type { KeyAccess } from './keyAccess';
import { unknownProviderName } from './keyTree';

/** How long the terminal's launcher has to collect its keys; a loaded machine starts a process in well under this. */
const HANDOUT_TIMEOUT_MS = 30_000;

export class TerminalKeys implements vscode.Disposable {
  private readonly handouts = new Set<Handout>();

  constructor(
    private readonly services: CommandServices,
    private readonly access: KeyAccess,
    /** dist/terminalLauncher.js. */
    private readonly launcher: string,
  ) {}

  commands(): CommandTable {
    return { 'apiKeyGuard.openTerminalWithKeys': () => this.open() };
  }

  dispose(): void {
    for (const handout of this.handouts) handout.close();
  }

  async open(): Promise<void> {
    const { store, providers } = this.services;
    const prompts = this.services.prompts();
    const records = store.list().filter((record) => !record.replacedBy);
    if (records.length === 0) {
      void prompts.notify('info', 'You have no keys to open a terminal with yet. Add one with "Add Key…".');
      return;
    }
    const picked = await prompts.pickMany(
      records.map((record) => ({
        label: record.name,
        description: `${providers.find(record.providerId)?.displayName ?? unknownProviderName(record.providerId)} · ${record.environment}`,
        record,
      })),
      { title: 'Open Terminal with Keys', placeHolder: 'Pick the keys this terminal gets; no other terminal gets them' },
    );
    if (!picked?.length) {
      return;
    }
    const requests = await this.variablesFor(picked.map((item) => item.record));
    if (!requests) {
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    const listed = [...requests].map(([variable, name]) => `'${name}' as $${variable}`).join(', ');
    const secrets = await this.access.provide(requests, {
      description: 'A terminal with keys',
      workspace: vscode.workspace.workspaceFile ?? folder?.uri,
      file: 'the list of keys',
      confirmation: {
        message: `Open a terminal with ${listed}?`,
        detail:
          'Only this terminal gets them: its shell and what you run in it. Other terminals, tasks and the terminals of other extensions and AI agents do not; anything you type or another extension sends into this terminal does.',
        action: 'Open Terminal',
      },
    });
    if (!secrets) {
      return;
    }
    const handout = await offerKeys({ env: Object.fromEntries(secrets), shell: defaultShell(), args: defaultShellArgs() }, HANDOUT_TIMEOUT_MS);
    this.handouts.add(handout);
    const terminal = vscode.window.createTerminal({
      name: `Keys: ${[...requests.values()].join(', ')}`,
      iconPath: new vscode.ThemeIcon('key'),
      shellPath: process.execPath,
      shellArgs: [this.launcher, handout.address, handout.nonce],
      // The extension host's executable is Electron's in desktop VS Code: this makes it Node (code-server's already is).
      env: { ELECTRON_RUN_AS_NODE: '1' },
      ...(folder ? { cwd: folder.uri } : {}),
      isTransient: true,
    });
    terminal.show();
    const closed = vscode.window.onDidCloseTerminal((other) => other === terminal && handout.close());
    void handout.done.then((outcome) => {
      closed.dispose();
      this.handouts.delete(handout);
      if (outcome === 'expired') {
        void prompts.notify(
          'error',
          `The terminal '${terminal.name}' did not collect its keys within ${HANDOUT_TIMEOUT_MS / 1000} s, and now never will. Open another.`,
        );
      }
    });
  }

  /** Variable → key name: each key's terminal variable or its provider's first, asked for where there is none or two keys want the same. */
  private async variablesFor(records: readonly KeyRecord[]): Promise<Map<string, string> | undefined> {
    const requests = new Map<string, string>();
    for (const record of records) {
      const preferred = record.terminalVariable ?? this.services.providers.find(record.providerId)?.envVars[0];
      if (preferred && !requests.has(preferred)) {
        requests.set(preferred, record.name);
        continue;
      }
      const variable = await this.services.prompts().input({
        title: `The variable for '${record.name}'`,
        prompt: preferred
          ? `$${preferred} already holds '${requests.get(preferred)}'. Name the environment variable for '${record.name}':`
          : `Name the environment variable for '${record.name}':`,
        value: preferred ? `${preferred}_2` : 'API_KEY',
        validateInput: (text) =>
          findVariableNameProblem(text.trim()) ?? (requests.has(text.trim()) ? `$${text.trim()} already holds '${requests.get(text.trim())}'.` : undefined),
      });
      if (variable === undefined) {
        return undefined;
      }
      requests.set(variable.trim(), record.name);
    }
    return requests;
  }
}

/** The shell VS Code starts in a new terminal; `vscode.env.shell` is empty where it cannot tell. */
function defaultShell(): string {
  return vscode.env.shell || process.env.SHELL || (process.platform === 'win32' ? (process.env.ComSpec ?? 'cmd.exe') : '/bin/sh');
}

/** The default terminal profile's arguments, or VS Code's own default: a login shell on macOS. */
function defaultShellArgs(): string[] {
  const platform = process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'osx' : 'linux';
  const settings = vscode.workspace.getConfiguration('terminal.integrated');
  const name = settings.get<unknown>(`defaultProfile.${platform}`);
  const profile = typeof name === 'string' ? settings.get<Record<string, { args?: unknown } | null>>(`profiles.${platform}`)?.[name] : undefined;
  const args = profile?.args;
  return Array.isArray(args) && args.every((arg) => typeof arg === 'string') ? args : process.platform === 'darwin' ? ['-l'] : [];
}
