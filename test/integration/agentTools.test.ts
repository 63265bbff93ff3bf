import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import type { ApiKeyGuardApi } from '../../src/extension/extension';
import { TEST_KEYS, TEST_PARAMS, startProviderServer, type ProviderServer } from '../fixtures/providerServers';
import { activateExtension, removeAllKeys } from './activate';
import { filesWithSecret, SECRET, SECRET_HASH } from './programReport';
import { ScriptedPrompts, type Answer } from './scriptedPrompts';

const UPPZY_KEY = TEST_KEYS.uppzy!;
const WRONG_KEY = 'upz_live_ffffffffffffffffffffffffffffffff';
/** Any 8 characters of a key in a result an agent reads is a leak. */
function leaksIn(text: string, ...secrets: string[]): string[] {
  return secrets
    .flatMap((secret) => [...Array(secret.length - 7).keys()].map((start) => secret.slice(start, start + 8)))
    .filter((piece) => text.includes(piece));
}

async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : JSON.stringify(part))).join('\n');
}

describe('language model tools for agents', function () {
  this.timeout(30000);
  let api: ApiKeyGuardApi;
  let server: ProviderServer;

  before(async function () {
    if (typeof vscode.lm?.invokeTool !== 'function') {
      this.skip(); // No language model tools API in this VS Code.
    }
    api = await activateExtension();
    server = await startProviderServer('uppzy');
  });
  after(async () => {
    await server?.close();
    if (api) await removeAllKeys(api);
  });
  beforeEach(() => removeAllKeys(api));

  const addKey = (name: string, secret: string, details: object = {}) =>
    api.store.add({ providerId: 'uppzy', name, environment: 'production', baseUrl: server.baseUrl, params: { ...TEST_PARAMS.uppzy }, ...details }, secret);

  it('are offered to agents by name', () => {
    const names = vscode.lm.tools.map((tool) => tool.name);
    assert.ok(names.includes('apiKeyGuard_listKeys') && names.includes('apiKeyGuard_checkKey'), names.join(', '));
  });

  it('list the keys with provider, environment, status and dates, and nothing of their values', async () => {
    assert.match(await invoke('apiKeyGuard_listKeys', {}), /no keys stored/);
    await addKey('prod-order-bot', UPPZY_KEY, { expiresOn: '2099-12-31', owner: 'orders team' });
    await addKey('crm', SECRET, { environment: 'staging' });
    const listed = await invoke('apiKeyGuard_listKeys', {});
    const keys = JSON.parse(listed.slice(listed.indexOf('\n') + 1)) as Array<Record<string, unknown>>;
    assert.deepEqual(
      keys.map(({ name, provider, environment, status, expiresOn, owner }) => ({ name, provider, environment, status, expiresOn, owner })),
      [
        { name: 'prod-order-bot', provider: 'Uppzy M2M API', environment: 'production', status: 'unchecked', expiresOn: '2099-12-31', owner: 'orders team' },
        { name: 'crm', provider: 'Uppzy M2M API', environment: 'staging', status: 'unchecked', expiresOn: undefined, owner: undefined },
      ],
    );
    assert.deepEqual(leaksIn(listed, UPPZY_KEY, SECRET), [], 'no 8 characters of a key, nor the tail the tree shows');
    assert.ok(!listed.includes(UPPZY_KEY.slice(-4)) && !listed.includes(SECRET.slice(-4)), 'not even the last four');
  });

  it('check a named key after asking the user, and return the outcome sentence only', async () => {
    await addKey('prod-order-bot', UPPZY_KEY);
    await addKey('revoked-bot', WRONG_KEY);
    const prepared = api.checkKeyTool.prepareInvocation({ input: { name: 'prod-order-bot' } });
    const question = prepared.confirmationMessages?.message;
    assert.ok(question, 'the user is asked first');
    assert.match(typeof question === 'string' ? question : question.value, new RegExp(`prod\\\\-order\\\\-bot.*\`${server.origin.replace(/\./g, '\\.')}\``));

    const works = await invoke('apiKeyGuard_checkKey', { name: 'prod-order-bot' });
    assert.match(works, /^Key 'prod-order-bot' \(production\) works: /);
    const fails = await invoke('apiKeyGuard_checkKey', { name: 'revoked-bot' });
    assert.match(fails, /^Key 'revoked-bot' \(production\) failed its check: /);
    assert.match(await invoke('apiKeyGuard_checkKey', { name: 'nobody' }), /no key named 'nobody'/);
    assert.match(await invoke('apiKeyGuard_checkKey', {}), /Give the name of a key/);
    assert.equal(server.requests.length, 2, 'one request per check, none for a name that is no key');
    assert.deepEqual(leaksIn([works, fails, JSON.stringify(prepared)].join('\n'), UPPZY_KEY, WRONG_KEY), []);
  });
});

describe('keys for MCP servers', function () {
  this.timeout(30000);
  const folder = vscode.workspace.workspaceFolders![0]!;
  const reporter = path.resolve(__dirname, '../../../test/fixtures/mcpKeyReport.js');
  const declared = (args: string[] = []) => ({
    'key-report': {
      command: process.execPath,
      args: [reporter, 'UPPZY_API_KEY', ...args],
      env: { ELECTRON_RUN_AS_NODE: '1' },
      keys: { UPPZY_API_KEY: 'orders-bot' },
    },
  });
  const settings = () => vscode.workspace.getConfiguration('apiKeyGuard');
  let api: ApiKeyGuardApi;

  async function resolve(answers: Answer[]) {
    const prompts = new ScriptedPrompts(answers);
    api.usePrompts(prompts);
    try {
      const [definition] = api.mcp.provideMcpServerDefinitions();
      assert.ok(definition, 'the declared server is listed');
      return { listed: definition, resolved: await api.mcp.resolveMcpServerDefinition(definition), prompts };
    } finally {
      api.usePrompts(undefined);
      assert.equal(prompts.remaining, 0, `every scripted question was asked (${prompts.asked.join('; ')})`);
    }
  }

  before(async () => {
    api = await activateExtension();
  });
  beforeEach(async () => {
    await removeAllKeys(api);
    for (const [grantee, ids] of Object.entries(api.access.list())) await api.access.revoke(grantee, ids);
  });
  after(async () => {
    await settings().update('mcpServers', undefined, vscode.ConfigurationTarget.Global);
    await removeAllKeys(api);
  });

  it('start a declared server with its key in its environment only, after the user allows that server', async () => {
    await api.store.add({ providerId: 'uppzy', name: 'orders-bot', environment: 'production', params: {} }, SECRET);
    await settings().update('mcpServers', declared(), vscode.ConfigurationTarget.Global);

    const declined = await resolve([{ confirm: false }]);
    assert.equal(declined.resolved, undefined, 'declined: VS Code does not start it');
    assert.match(declined.prompts.asked[0]!, /^confirm: Let the MCP server 'key-report' use the key 'orders-bot'\?$/);

    const { listed, resolved } = await resolve([{ confirm: true }]);
    assert.deepEqual(listed.env, { ELECTRON_RUN_AS_NODE: '1' }, 'the definition VS Code lists has no key');
    assert.ok(resolved, 'allowed: VS Code starts it');
    assert.equal(resolved.command, process.execPath);
    // The test host does not start MCP servers (its AI features are off), so the test starts the resolved definition as VS Code would.
    assert.equal(await callKeyHash(resolved), SECRET_HASH, 'the server process has the key');
    assert.ok((await resolve([])).resolved, 'asked once: the next start gets it without a question');

    await settings().update('mcpServers', declared(['--changed']), vscode.ConfigurationTarget.Global);
    const changed = await resolve([{ confirm: false }]);
    assert.equal(changed.resolved, undefined, 'a server whose command line changed is asked about again');

    const { searched, leaks } = filesWithSecret([
      folder.uri.fsPath,
      path.dirname(path.dirname(api.globalStorageUri.fsPath)),
      path.dirname(path.dirname(api.logUri.fsPath)),
    ]);
    assert.ok(
      searched.some((file) => file.endsWith('settings.json')),
      `searched the settings (${searched.length} files)`,
    );
    assert.deepEqual(leaks, [], 'no file holds the key: not settings.json, nor mcp.json, nor storage');
  });

  it("ignore servers a workspace's settings declare", async () => {
    await settings().update('mcpServers', undefined, vscode.ConfigurationTarget.Global);
    const settingsFile = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
    const existed = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(settingsFile, JSON.stringify({ 'apiKeyGuard.mcpServers': declared() }));
    try {
      await new Promise((done) => setTimeout(done, 1000));
      assert.deepEqual(api.mcp.provideMcpServerDefinitions(), []);
    } finally {
      if (existed !== undefined) fs.writeFileSync(settingsFile, existed);
      else fs.rmSync(fs.readdirSync(path.dirname(settingsFile)).length === 1 ? path.dirname(settingsFile) : settingsFile, { recursive: true });
    }
  });
});

/** Starts the server as VS Code would (command, args, env over VS Code's own), calls its keyHash tool, and stops it. */
async function callKeyHash(definition: vscode.McpStdioServerDefinition): Promise<string> {
  const child = spawn(definition.command, definition.args, {
    env: { ...process.env, ...(definition.env as Record<string, string>) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const call = async (id: number, method: string, params: object) => {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      return JSON.parse(String((await lines.next()).value)) as { result: { content?: Array<{ text: string }> } };
    };
    await call(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } });
    return (await call(2, 'tools/call', { name: 'keyHash', arguments: {} })).result.content![0]!.text;
  } finally {
    child.kill();
  }
}
