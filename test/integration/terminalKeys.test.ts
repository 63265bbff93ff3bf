import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { receiveKeys } from '../../src/core/keyHandout';
import type { ApiKeyGuardApi } from '../../src/extension/extension';
import { activateExtension, eventually, removeAllKeys } from './activate';
import { filesWithSecret, hasSecret, REPORT_PROGRAM, SECRET, SECRET_HASH } from './programReport';
import { ScriptedPrompts, type Answer } from './scriptedPrompts';
import { FlakySecrets, MemoryMemento } from './storageDoubles';

describe('a terminal with keys', function () {
  // Real terminals: each starts the launcher, a shell and a Node process.
  this.timeout(60000);
  const folder = vscode.workspace.workspaceFolders![0]!;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'terminal-keys-'));
  const program = path.join(scratch, 'report.js');
  /** The command line that makes a shell report a hash of $UPPZY_API_KEY into `file`. */
  const reportCommand = (file: string) => `ELECTRON_RUN_AS_NODE=1 '${process.execPath}' '${program}' UPPZY_API_KEY '${file}'`;
  const opened: vscode.Terminal[] = [];
  let api: ApiKeyGuardApi;

  /** Runs "Open Terminal with Keys…" with these answers; resolves with the terminal it opened, if any. */
  async function openWithKeys(answers: Answer[], open: () => Thenable<unknown> = () => vscode.commands.executeCommand('apiKeyGuard.openTerminalWithKeys')) {
    const prompts = new ScriptedPrompts(answers);
    api.usePrompts(prompts);
    const before = new Set(vscode.window.terminals);
    try {
      await open();
    } finally {
      api.usePrompts(undefined);
    }
    assert.equal(prompts.remaining, 0, `every scripted question was asked (${prompts.asked.join('; ')}; told: ${JSON.stringify(prompts.notifications)})`);
    const terminal = vscode.window.terminals.find((candidate) => !before.has(candidate));
    if (terminal) opened.push(terminal);
    return { terminal, prompts };
  }

  /** What the terminal's shell reports of $UPPZY_API_KEY: its hash, or "unset". */
  async function reported(terminal: vscode.Terminal): Promise<string> {
    const file = path.join(scratch, `report-${opened.length}-${Date.now()}.txt`);
    terminal.sendText(reportCommand(file));
    return eventually(() => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined), `the terminal '${terminal.name}' to report`, 30000);
  }

  before(async () => {
    api = await activateExtension();
    fs.writeFileSync(program, REPORT_PROGRAM);
  });
  beforeEach(async () => {
    await removeAllKeys(api);
    for (const [workspace, ids] of Object.entries(api.access.list())) await api.access.revoke(workspace, ids);
  });
  afterEach(() => {
    for (const terminal of opened.splice(0)) terminal.dispose();
  });
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("gives the key to its own shell only: not in its creation options, nor other terminals', nor to a replayed nonce, nor to any file", async () => {
    await api.store.add({ providerId: 'uppzy', name: 'orders-bot', environment: 'production', params: {} }, SECRET);
    await api.store.add({ providerId: 'uppzy', name: 'crm', environment: 'staging', params: {} }, 'upz_live_Other0Other0Other0Other0Other0');

    const declined = await openWithKeys([{ pickMany: ['orders-bot'] }, { confirm: false }]);
    assert.equal(declined.terminal, undefined, 'declined: no terminal');
    assert.match(declined.prompts.asked[1]!, /^confirm: Let the workspace 'sample-workspace' \(.*\) use the key 'orders-bot'\?$/);

    const { terminal, prompts } = await openWithKeys([{ pickMany: ['orders-bot'] }, { confirm: true }]);
    assert.ok(terminal, 'allowed: a terminal opened');
    assert.deepEqual(prompts.offered['Open Terminal with Keys'], ['orders-bot (Uppzy M2M API · production)', 'crm (Uppzy M2M API · staging)']);
    assert.equal(terminal.name, 'Keys: orders-bot');
    assert.equal(await reported(terminal), SECRET_HASH, "the terminal's shell has the key");

    const other = vscode.window.createTerminal({ name: 'another terminal' });
    opened.push(other);
    assert.equal(await reported(other), 'unset', 'another terminal, opened after it, has not');

    // What every extension can read of every terminal: VS Code hands each the same objects.
    const visible = vscode.window.terminals.map((each) => JSON.stringify({ name: each.name, options: each.creationOptions, state: each.state }));
    assert.ok(visible.length >= 2 && !visible.some(hasSecret), 'no terminal shows the key to other extensions');
    const [launcher, address, nonce] = (terminal.creationOptions as vscode.TerminalOptions).shellArgs as string[];
    assert.match(launcher!, /terminalLauncher\.js$/, 'the terminal started the launcher');
    const replay = await receiveKeys(address!, nonce!);
    assert.ok('error' in replay && !hasSecret(JSON.stringify(replay)), `the nonce in its creation options is spent (${JSON.stringify(replay)})`);

    // Allowed once, a workspace is still asked every time: another extension could open such a terminal and type into it.
    const again = await openWithKeys([{ pickMany: ['orders-bot'] }, { confirm: true }]);
    assert.deepEqual(again.prompts.asked.slice(1), ["confirm: Open a terminal with 'orders-bot' as $UPPZY_API_KEY?"]);
    assert.ok(again.terminal && (await reported(again.terminal)) === SECRET_HASH, 'the second terminal has it too');

    const { searched, leaks } = filesWithSecret([
      folder.uri.fsPath,
      path.dirname(path.dirname(api.globalStorageUri.fsPath)), // the user's settings, global and workspace storage
      path.dirname(path.dirname(api.logUri.fsPath)), // this session's logs, every extension's
      os.tmpdir(), // where the channel's socket was
    ]);
    assert.ok(
      searched.some((file) => file.endsWith('.log')),
      `searched the logs (${searched.length} files)`,
    );
    assert.deepEqual(leaks, [], 'no file holds the key');
  });

  it('asks for a variable where two keys want the same one', async () => {
    await api.store.add({ providerId: 'uppzy', name: 'orders-bot', environment: 'production', params: {} }, SECRET);
    await api.store.add({ providerId: 'uppzy', name: 'crm', environment: 'staging', params: {} }, 'upz_live_Other0Other0Other0Other0Other0');
    const { terminal, prompts } = await openWithKeys([
      { pickMany: ['orders-bot', 'crm'] },
      { input: 'UPPZY_API_KEY', expectProblem: /already holds 'orders-bot'/ },
      { input: 'CRM_API_KEY' },
      { confirm: true },
    ]);
    assert.ok(terminal);
    assert.equal(prompts.prefilled["The variable for 'crm'"], 'UPPZY_API_KEY_2');
    assert.match(prompts.asked.at(-1)!, /use the keys 'orders-bot', 'crm'\?$/);
    assert.equal(await reported(terminal), SECRET_HASH, 'the first key kept its variable');
  });

  it('gives an untrusted workspace none, and opens no terminal', async () => {
    // The test host runs with workspace trust off; an untrusted workspace is a stand-in with vscode.workspace's shape.
    const store = api.createStore(new FlakySecrets(), new MemoryMemento());
    await store.add({ providerId: 'uppzy', name: 'orders-bot', environment: 'production', params: {} }, SECRET);
    const keys = api.createTerminalKeys(store, new MemoryMemento(), { isTrusted: false, onDidGrantWorkspaceTrust: new vscode.EventEmitter<void>().event });
    const { terminal, prompts } = await openWithKeys([{ pickMany: ['orders-bot'] }], () => keys.open());
    assert.equal(terminal, undefined);
    assert.match(prompts.notifications[0]?.message ?? '', /gives none to an untrusted workspace/);
    keys.dispose();
    store.dispose();
  });
});
