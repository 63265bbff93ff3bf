import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApiKeyGuardApi } from '../../src/extension/extension';
import { activateExtension, eventually, removeAllKeys } from './activate';
import { ScriptedPrompts, type Answer } from './scriptedPrompts';
import { filesWithSecret, hasSecret, REPORT_PROGRAM, SECRET, SECRET_HASH } from './programReport';
import { FlakySecrets, MemoryMemento } from './storageDoubles';

describe('keys in debug sessions, by name', function () {
  // Real debug sessions: js-debug starts a Node process for each.
  this.timeout(60000);
  const folder = vscode.workspace.workspaceFolders![0]!;
  const launchFile = path.join(folder.uri.fsPath, '.vscode', 'launch.json');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'debug-keys-'));
  const program = path.join(scratch, 'report.js');
  const report = path.join(scratch, 'report.txt');
  const launch = (name: string, keys: unknown) => ({
    type: 'node',
    request: 'launch',
    name,
    program,
    args: ['UPPZY_API_KEY', report],
    console: 'internalConsole',
    apiKeyGuard: keys,
  });
  let api: ApiKeyGuardApi;

  /** Starts a debug session; resolves with what the program reported, or undefined when it was not started. */
  async function debug(configuration: string | vscode.DebugConfiguration, answers: Answer[] = []): Promise<{ reported?: string; prompts: ScriptedPrompts }> {
    const prompts = new ScriptedPrompts(answers);
    api.usePrompts(prompts);
    fs.rmSync(report, { force: true });
    const ended = new Promise<void>((resolve) => {
      const subscription = vscode.debug.onDidTerminateDebugSession(() => (subscription.dispose(), resolve()));
    });
    const started = await vscode.debug.startDebugging(folder, configuration);
    if (started) await ended;
    api.usePrompts(undefined);
    assert.equal(prompts.remaining, 0, `every scripted question was asked (${prompts.asked.join('; ')})`);
    const reported = started ? await eventually(() => (fs.existsSync(report) ? fs.readFileSync(report, 'utf8') : undefined), 'the report') : undefined;
    return { ...(reported === undefined ? {} : { reported }), prompts };
  }

  before(async () => {
    api = await activateExtension();
    fs.writeFileSync(program, REPORT_PROGRAM);
    fs.mkdirSync(path.dirname(launchFile), { recursive: true });
    const configurations = [launch('Report key', { UPPZY_API_KEY: 'orders-bot' }), launch('Missing key', { UPPZY_API_KEY: 'no-such-key' })];
    fs.writeFileSync(launchFile, JSON.stringify({ version: '0.2.0', configurations }, null, 2));
    await eventually(
      () => (vscode.workspace.getConfiguration('launch', folder.uri).get<unknown[]>('configurations') ?? []).length === 2,
      'VS Code to read launch.json',
    );
  });
  beforeEach(async () => {
    await removeAllKeys(api);
    for (const [workspace, ids] of Object.entries(api.access.list())) await api.access.revoke(workspace, ids);
  });
  after(() => {
    fs.rmSync(launchFile, { force: true });
    if (fs.readdirSync(path.dirname(launchFile)).length === 0) fs.rmdirSync(path.dirname(launchFile));
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('asks once whether the workspace may use the key, then gives it to the program, and writes it nowhere', async () => {
    const record = await api.store.add({ providerId: 'uppzy', name: 'orders-bot', environment: 'production', params: {} }, SECRET);
    const declined = await debug('Report key', [{ confirm: false }]);
    assert.equal(declined.reported, undefined, 'declined: the program was not started');
    assert.match(declined.prompts.asked[0]!, /^confirm: Let the workspace 'sample-workspace' \(.*\) use the key 'orders-bot'\?$/);
    assert.match(declined.prompts.notifications[0]?.message ?? '', /was not started: it gets no keys until you allow/);

    const allowed = await debug('Report key', [{ confirm: true }]);
    assert.equal(allowed.reported, SECRET_HASH, 'the program received the key');
    assert.deepEqual(api.access.list(), { [folder.uri.toString()]: [record.id] }, 'the access is remembered, by key id');
    const again = await debug('Report key');
    assert.equal(again.reported, SECRET_HASH, 'asked once: the next launch gets it without a question');

    const { searched, leaks } = filesWithSecret([
      folder.uri.fsPath, // launch.json, and any settings.json
      path.dirname(path.dirname(api.globalStorageUri.fsPath)), // the user's settings, global and workspace storage
      path.dirname(path.dirname(api.logUri.fsPath)), // this session's logs, every extension's
    ]);
    assert.ok(searched.includes(launchFile) && searched.some((file) => file.endsWith('.log')), `searched launch.json and the logs (${searched.length} files)`);
    assert.deepEqual(leaks, [], 'no file holds the key');
    assert.ok(!hasSecret(JSON.stringify(api.access.list())), 'nor does the access list');
  });

  it('gives nothing to a configuration another extension makes up, even in a workspace allowed the key', async () => {
    await api.store.add({ providerId: 'uppzy', name: 'orders-bot', environment: 'production', params: {} }, SECRET);
    assert.equal((await debug('Report key', [{ confirm: true }])).reported, SECRET_HASH);
    for (const madeUp of [
      launch('Made up', { UPPZY_API_KEY: 'orders-bot' }),
      { ...launch('Report key', { UPPZY_API_KEY: 'orders-bot' }), args: ['UPPZY_API_KEY', report, 'extra'] },
    ]) {
      const { reported, prompts } = await debug(madeUp);
      assert.equal(reported, undefined, `${madeUp.name} was not started`);
      assert.match(prompts.notifications[0]?.message ?? '', /is not one of this workspace's launch configurations/);
    }
    assert.equal(
      (await debug({ ...launch('Plain', undefined), apiKeyGuard: undefined })).reported,
      'unset',
      'a configuration that names no key runs as before',
    );
  });

  it('stops a launch whose key is missing, and says which key and what to do', async () => {
    const { reported, prompts } = await debug('Missing key');
    assert.equal(reported, undefined);
    assert.deepEqual(prompts.notifications[0], {
      level: 'error',
      message:
        "The launch configuration 'Missing key' needs the key 'no-such-key' for $UPPZY_API_KEY, and API Key Guard has no key of that name. Add it with \"Add Key…\", or correct the name in launch.json.",
      actions: ['Add Key…'],
    });
  });

  it('gives an untrusted workspace no key, and stops a launch whose secret storage fails, naming the key', async () => {
    // The test host runs with workspace trust off, so the workspace's trust is a stand-in; so is a keyring that throws.
    const secrets = new FlakySecrets();
    const store = api.createStore(secrets, new MemoryMemento());
    await store.add({ providerId: 'uppzy', name: 'orders-bot', environment: 'production', params: {} }, SECRET);
    const state = new MemoryMemento();
    const entry = launch('Report key', { UPPZY_API_KEY: 'orders-bot' });
    const resolve = async (trusted: boolean, answers: Answer[]) => {
      const prompts = new ScriptedPrompts(answers);
      api.usePrompts(prompts);
      const provider = api.createDebugKeys(store, state, { isTrusted: trusted, onDidGrantWorkspaceTrust: new vscode.EventEmitter<void>().event });
      const marked = provider.resolveDebugConfiguration(folder, { ...entry });
      const resolved = await provider.resolveDebugConfigurationWithSubstitutedVariables(folder, marked);
      api.usePrompts(undefined);
      return { resolved, prompts };
    };
    const untrusted = await resolve(false, []);
    assert.equal(untrusted.resolved, undefined);
    assert.match(untrusted.prompts.notifications[0]?.message ?? '', /API Key Guard gives none to an untrusted workspace/);
    assert.equal(secrets.reads, 0, 'nothing was read');

    secrets.failGet = true;
    const failing = await resolve(true, [{ confirm: true }]);
    assert.equal(failing.resolved, undefined);
    assert.match(
      failing.prompts.notifications[0]?.message ?? '',
      /was not started: the key 'orders-bot' could not be read\. Could not read the key in VS Code's secret storage/,
    );
    secrets.failGet = false;
    const working = await resolve(true, []);
    assert.deepEqual((working.resolved as { env?: unknown } | undefined)?.env, { UPPZY_API_KEY: SECRET }, 'once the keyring works, the key goes in env');
    store.dispose();
  });

  it('completes the key map in launch.json', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(launchFile));
    const at = document.positionAt(document.getText().indexOf('"apiKeyGuard"'));
    const hover = await eventually(async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at.translate(0, 2));
      const text = hovers.flatMap((item) => item.contents.map((part) => (typeof part === 'string' ? part : part.value))).join('\n');
      return /never its value/.test(text) ? text : undefined;
    }, 'the schema to describe "apiKeyGuard"');
    assert.match(hover, /environment variables this program gets from your stored keys/);
  });
});
