import * as vscode from 'vscode';
import { registerAgentTools, type CheckKeyTool } from './agentTools';
import { CheckService } from './checkService';
import { accessCommands } from './commands/accessCommands';
import { addFoundKey } from './commands/addKey';
import { checkCommands } from './commands/checkCommands';
import { keyCommands } from './commands/keyCommands';
import { providerCommands } from './commands/providerCommands';
import { registerCommands } from './commands/registry';
import type { CommandServices } from './commands/services';
import { trackContextKeys } from './contextKeys';
import { DebugKeys } from './debugKeys';
import { KeyAccess } from './keyAccess';
import { migrateKeys, migrationCommands } from './keyMigration';
import { registerKeyNameCompletion } from './keyNameCompletion';
import { KeyStore, type SecretBackend } from './keyStore';
import { KeyTree, type TreeNode } from './keyTree';
import { registerGit } from './git/gitCommands';
import type { StagedFindings } from './git/stagedFindings';
import type { FindingPlace } from './linter/findingPlace';
import { registerLinter } from './linter/linter';
import { ScannerPool } from './linter/scanners';
import { Log } from './log';
import { MCP_PROVIDER_ID, McpKeys } from './mcpKeys';
import { windowPrompts, type Prompts } from './prompts';
import { ProviderRegistry } from './providerRegistry';
import { Reminders } from './reminders';
import { SerialMemento } from './serialMemento';
import { TASK_TYPE, TaskKeys } from './taskKeys';
import { TerminalKeys } from './terminalKeys';
import { TerminalEnvironment, type TerminalVariables, type WorkspaceTrust } from './terminalEnvironment';

/**
 * The integration tests' way in: the services, and answering prompts for the user. `activate` returns it
 * only when VS Code runs the extension's own tests (`ExtensionMode.Test`), never to an installed
 * extension: every other extension can call `activate()` and read what it returns, and these hooks reach
 * every secret and every question the user answers. Installed, API Key Guard exports nothing.
 */
export interface ApiKeyGuardApi {
  readonly tree: KeyTree;
  readonly view: vscode.TreeView<TreeNode>;
  readonly store: KeyStore;
  readonly providers: ProviderRegistry;
  readonly terminal: TerminalEnvironment;
  readonly reminders: Reminders;
  /** The staged-changes scan, once VS Code's git extension is there. */
  readonly staged: Promise<StagedFindings>;
  /** The folder of the extension's log, where VS Code writes the "API Key Guard" channel (tests: read what the log says). */
  readonly logUri: vscode.Uri;
  /** Replaces the UI prompts (tests); `undefined` restores VS Code's. */
  usePrompts(prompts: Prompts | undefined): void;
  /** Builds a separate store over another secret backend (tests: a storage that throws or forgets). */
  createStore(secrets: SecretBackend, state: vscode.Memento): KeyStore;
  /** Builds a separate tree, shown in no view, over such a store (tests: count what redrawing it reads). */
  createTree(store: KeyStore): KeyTree;
  /** Builds a separate check service over such a store (tests: check a key whose secret the storage lost). */
  createChecks(store: KeyStore): CheckService;
  /** Builds a separate terminal environment over such a store, a collection and a workspace trust of the test's own (tests: count the reads, an untrusted workspace). */
  createTerminalEnvironment(store: KeyStore, variables: TerminalVariables, trust?: WorkspaceTrust): TerminalEnvironment;
  /** Builds the linter's scanners over such a store (tests: count what matching stored keys reads). */
  createScanners(store: KeyStore): ScannerPool;
  /** Builds a separate debug configuration provider over such a store, an access memento and a workspace trust of the test's own (tests: an untrusted workspace, storage that throws). */
  createDebugKeys(store: KeyStore, state: vscode.Memento, trust?: WorkspaceTrust): DebugKeys;
  readonly access: KeyAccess;
  /** Runs "Move to API Key Guard" / "Import Keys from File…" over such a store (tests: storage that throws). */
  migrateKeys(store: KeyStore, argument: FindingPlace | vscode.Uri): Promise<void>;
  /** The MCP server definition provider (tests: list and resolve definitions as VS Code does). */
  readonly mcp: McpKeys;
  /** The language model tool that checks a key (tests: what its confirmation says). */
  readonly checkKeyTool: CheckKeyTool;
  /** Builds a separate "Open Terminal with Keys…" over such a store, an access memento and a workspace trust of the test's own (tests: an untrusted workspace). */
  createTerminalKeys(store: KeyStore, state: vscode.Memento, trust?: WorkspaceTrust): TerminalKeys;
  /** Where VS Code keeps this extension's global storage, beside the user's settings (tests: search them for a key). */
  readonly globalStorageUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): ApiKeyGuardApi | undefined {
  const log = new Log();
  let prompts: Prompts = windowPrompts;
  const providers = new ProviderRegistry((problems) => {
    problems.forEach((problem) => log.warn(`custom provider skipped: ${problem}`));
    void prompts
      .notify(
        'warning',
        `API Key Guard skipped ${problems.length} custom provider definition${problems.length === 1 ? '' : 's'}: ${problems[0]}`,
        'Open Settings',
        'Show Log',
      )
      .then((action) => (action === 'Open Settings' ? vscode.commands.executeCommand('workbench.action.openSettingsJson') : action && log.show()));
  });
  const globalState = new SerialMemento(context.globalState);
  const store = new KeyStore(context.secrets, globalState);
  const checks = new CheckService(store, providers, log);
  const tree = new KeyTree(store, providers);
  const view = vscode.window.createTreeView('apiKeyGuard.keys', { treeDataProvider: tree, showCollapseAll: true });
  tree.attach(view);
  const terminal = new TerminalEnvironment(context.environmentVariableCollection, store, (error) => log.error(String(error)));
  const reminders = new Reminders(store, globalState, () => prompts);
  const access = new KeyAccess(store, globalState, () => prompts, log);
  const services: CommandServices = { store, providers, checks, log, prompts: () => prompts };
  const launcher = vscode.Uri.joinPath(context.extensionUri, 'dist', 'terminalLauncher.js').fsPath;
  const terminalKeys = new TerminalKeys(services, access, launcher);
  const mcp = new McpKeys(access, log);
  const checkKeyTool = registerAgentTools(services, tree, context.subscriptions);
  const linter = registerLinter(context, services, (found) => addFoundKey(services, found));
  const git = registerGit(context, services, linter.scanners);
  const titles = Object.fromEntries(
    (context.extension.packageJSON as { contributes: { commands: { command: string; title: string }[] } }).contributes.commands.map(({ command, title }) => [
      command,
      title,
    ]),
  );

  context.subscriptions.push(
    log,
    providers,
    store,
    tree,
    view,
    terminal,
    reminders,
    access,
    terminalKeys,
    mcp,
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, mcp),
    vscode.debug.registerDebugConfigurationProvider('*', new DebugKeys(access, log)),
    vscode.tasks.registerTaskProvider(TASK_TYPE, new TaskKeys(access)),
    registerKeyNameCompletion(store, providers),
    ...registerCommands(
      {
        ...keyCommands(services),
        ...checkCommands(services),
        ...providerCommands(services),
        ...accessCommands(services, access),
        ...terminalKeys.commands(),
        ...linter.commands,
        ...migrationCommands(services, linter.scanners),
        ...git.commands,
        'apiKeyGuard.refresh': () => tree.refresh(),
      },
      log,
      () => prompts,
      titles,
    ),
    vscode.window.onDidChangeWindowState((state) => state.focused && store.noticeChangesFromOtherWindows()),
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('apiKeyGuard.reminderDays') && tree.refresh()),
  );
  context.subscriptions.push(trackContextKeys(store, access));
  void startUp(store, terminal, reminders, log, () => prompts);

  if (context.extensionMode !== vscode.ExtensionMode.Test) {
    return undefined;
  }
  return {
    tree,
    view,
    store,
    providers,
    terminal,
    reminders,
    staged: git.staged,
    access,
    mcp,
    checkKeyTool,
    logUri: context.logUri,
    globalStorageUri: context.globalStorageUri,
    usePrompts: (replacement) => {
      prompts = replacement ?? windowPrompts;
    },
    createStore: (secrets, state) => new KeyStore(secrets, state),
    createTree: (separateStore) => new KeyTree(separateStore, providers),
    createChecks: (separateStore) => new CheckService(separateStore, providers, log),
    createTerminalEnvironment: (separateStore, variables, trust) =>
      new TerminalEnvironment(variables, separateStore, (error) => log.error(String(error)), trust),
    createScanners: (separateStore) => new ScannerPool(separateStore, providers, log),
    migrateKeys: (separateStore, argument) => migrateKeys({ ...services, store: separateStore }, linter.scanners, argument),
    createTerminalKeys: (separateStore, state, trust) =>
      new TerminalKeys({ ...services, store: separateStore }, new KeyAccess(separateStore, state, () => prompts, log, trust), launcher),
    createDebugKeys: (separateStore, state, trust) => new DebugKeys(new KeyAccess(separateStore, state, () => prompts, log, trust), log),
  };
}

/** Work that needs the secret storage: never blocks activation, and a failing keyring is said, not hidden. */
async function startUp(store: KeyStore, terminal: TerminalEnvironment, reminders: Reminders, log: Log, prompts: () => Prompts): Promise<void> {
  try {
    await terminal.update();
    const missing = await store.findMissingSecrets();
    if (missing.length > 0) {
      const names = missing.map((id) => `'${store.get(id)?.name}'`).join(', ');
      log.warn(`secret storage has no secret for ${names}`);
      void prompts().notify(
        'warning',
        `VS Code's secret storage no longer has ${missing.length === 1 ? 'the key' : 'the keys'} ${names}. On this machine it may keep secrets only for a session (no OS keyring); enter them again with "Re-enter Key", and see "Troubleshooting" in the README to make them last.`,
      );
    }
    await reminders.remind();
  } catch (error) {
    log.error(error instanceof Error ? error : String(error));
    void prompts().notify('error', `API Key Guard cannot read VS Code's secret storage: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function deactivate(): void {}
