import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/core/checkOutcome';
import type { KeyRecord } from '../../src/core/keyRecord';
import type { ApiKeyGuardApi } from '../../src/extension/extension';
import { SALES_LAYER_CATALOG_ONLY_KEY, TEST_KEYS, TEST_PARAMS, startProviderServer, startServer, type ProviderServer } from '../fixtures/providerServers';
import { startWebSocketServer } from '../fixtures/webSocketServer';
import { activateExtension, eventually, removeAllKeys } from './activate';
import { ScriptedPrompts, type Answer } from './scriptedPrompts';
import { FlakySecrets, MemoryMemento } from './storageDoubles';

const UPPZY_KEY = TEST_KEYS.uppzy!;
const TENANT = TEST_PARAMS.uppzy!.tenantId!;

/**
 * No run of 8 of the key's characters in `text`, as it is or percent-decoded, in either case; and every mask
 * shows the key's own tail or nothing, never 4 characters from its middle.
 */
function assertNoFragment(text: string, key: string, where: string): void {
  const folded = text.toLowerCase();
  const decoded = folded.replace(/%([0-9a-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  for (let start = 0; start + 8 <= key.length; start++) {
    const fragment = key.slice(start, start + 8).toLowerCase();
    assert.ok(!folded.includes(fragment) && !decoded.includes(fragment), `${where} shows ${fragment} of the key: ${text}`);
  }
  for (const [, tail] of text.matchAll(/\*{4}([A-Za-z0-9]*)/g)) {
    assert.ok(tail === '' || tail === key.slice(-4), `${where} masks with ****${tail}, not the key's own tail: ${text}`);
  }
}

describe("key commands, with the user's answers scripted", () => {
  let api: ApiKeyGuardApi;
  let server: ProviderServer;

  before(async () => {
    api = await activateExtension();
    server = await startProviderServer('uppzy');
  });
  after(async () => {
    api.usePrompts(undefined);
    await removeAllKeys(api);
    await server.close();
  });
  beforeEach(() => removeAllKeys(api));

  async function run<T>(command: string, answers: Answer[], ...args: unknown[]): Promise<{ result: T; prompts: ScriptedPrompts }> {
    const prompts = new ScriptedPrompts(answers);
    api.usePrompts(prompts);
    const result = await vscode.commands.executeCommand<T>(command, ...args);
    assert.equal(prompts.remaining, 0, `every scripted answer was asked for (asked: ${prompts.asked.join(' / ')})`);
    return { result, prompts };
  }

  /** Adds an Uppzy key pointed at the local server, through the commands. */
  async function addUppzyKey(name = 'prod-order-bot', secret = UPPZY_KEY): Promise<KeyRecord> {
    const { result } = await run<KeyRecord>('apiKeyGuard.addKey', [
      { pick: 'Uppzy M2M API' },
      { input: name },
      { pick: 'production' },
      { input: secret },
      { input: TENANT },
      { pick: 'Another base URL…' },
      { input: server.baseUrl },
      { confirm: true },
      { input: '' },
      { notify: undefined },
    ]);
    return result;
  }

  it('Add Key asks provider, name, environment, key, tenant, base URL and expiry, and refuses a damaged key', async () => {
    const { result, prompts } = await run<KeyRecord>('apiKeyGuard.addKey', [
      { pick: 'Uppzy M2M API' },
      { input: 'prod-order-bot' },
      { pick: 'production' },
      { input: ` ${UPPZY_KEY}`, expectProblem: /space/i },
      { input: `"${UPPZY_KEY}"`, expectProblem: /quote/i },
      { input: `${UPPZY_KEY}\u200b`, expectProblem: /invisible|zero-width|hidden/i },
      { input: UPPZY_KEY },
      { input: 'not a tenant!', expectProblem: /format/ },
      { input: TENANT },
      { pick: 'Default: https://api.uppzy.com/api/v1' },
      { input: '2027-02-30', expectProblem: /calendar/ },
      { input: '2030-01-31' },
      { notify: undefined },
    ]);
    assert.equal(result.name, 'prod-order-bot');
    assert.deepEqual(result.params, { tenantId: TENANT });
    assert.equal(result.expiresOn, '2030-01-31');
    assert.equal(result.baseUrl, undefined, "the provider's own base URL is stored as none");
    assert.equal(await api.store.readSecret(result.id), UPPZY_KEY);
    assert.match(prompts.notifications[0]!.message, /Saved Uppzy M2M API key 'prod-order-bot' in VS Code's secret storage/);
    assert.ok(!prompts.notifications.some((notification) => notification.message.includes(UPPZY_KEY)));
  });

  it('Add Key titles every step by one scheme, and Back returns to the step before with what was typed', async () => {
    const { result, prompts } = await run<KeyRecord>('apiKeyGuard.addKey', [
      { pick: 'Uppzy M2M API' },
      { input: 'prod-order-bot' },
      { pick: 'production' },
      { input: UPPZY_KEY },
      { back: true },
      { back: true },
      { back: true },
      { input: 'prod-order-bot' },
      { pick: 'staging' },
      { input: UPPZY_KEY },
      { input: TENANT },
      { pick: 'Default: https://api.uppzy.com/api/v1' },
      { input: '' },
      { notify: undefined },
    ]);
    const title = (step: number, name: string) => `Add Uppzy M2M API key (${step}/7): ${name}`;
    assert.deepEqual(prompts.asked, [
      'pick: Add API key (1/6): Provider',
      `input: ${title(2, 'Name')}`,
      `pick: ${title(3, 'Environment')}`,
      `input: ${title(4, 'Key')}`,
      `input: ${title(5, 'Tenant ID')}`,
      `input: ${title(4, 'Key')}`,
      `pick: ${title(3, 'Environment')}`,
      `input: ${title(2, 'Name')}`,
      `pick: ${title(3, 'Environment')}`,
      `input: ${title(4, 'Key')}`,
      `input: ${title(5, 'Tenant ID')}`,
      `pick: ${title(6, 'Base URL')}`,
      `input: ${title(7, 'Expiry')}`,
    ]);
    assert.equal(prompts.prefilled[title(2, 'Name')], 'prod-order-bot', 'Back keeps the name typed');
    assert.deepEqual(prompts.preselected[title(3, 'Environment')], ['production'], 'and the environment chosen');
    assert.equal(prompts.prefilled[title(4, 'Key')], UPPZY_KEY, 'and the key pasted');
    assert.deepEqual(prompts.preselected[title(6, 'Base URL')], ['Default: https://api.uppzy.com/api/v1'], "the provider's base URL is preselected");
    assert.equal(result.environment, 'staging');
    assert.deepEqual(result.params, { tenantId: TENANT });
  });

  it('Add Key sends the checks of a key for another server there from the start, refusing plain http:// to another machine as Edit Key Details does', async () => {
    const { result, prompts } = await run<KeyRecord>(
      'apiKeyGuard.addKey',
      [
        { input: 'staging-bot' },
        { pick: 'staging' },
        { input: UPPZY_KEY },
        { input: TENANT },
        { pick: 'Another base URL…' },
        { input: 'http://staging.uppzy.example/api/v1', expectProblem: /^Use https:\/\/: over plain http:\/\/ the key would cross the network/ },
        { back: true },
        { pick: 'Another base URL…' },
        { input: server.baseUrl },
        { confirm: true },
        { input: '' },
        { notify: 'Check Now' },
      ],
      'uppzy',
    );
    assert.equal(result.baseUrl, server.baseUrl);
    assert.equal(prompts.asked[0], 'input: Add Uppzy M2M API key (1/6): Name', 'a provider named by the argument is no step');
    await eventually(() => api.store.get(result.id)?.lastCheck?.outcome === 'ok', '"Check Now" to check it against the local server');
    assert.equal(server.requests.at(-1)?.headers['x-api-key'], UPPZY_KEY);

    const record = await addUppzyKey('second');
    const edit = await run(
      'apiKeyGuard.editKey',
      [{ pick: 'Base URL' }, { input: 'http://staging.uppzy.example/api/v1', expectProblem: /https/ }, { input: '' }],
      record.id,
    );
    assert.deepEqual(edit.prompts.refusals, [prompts.refusals[0]], 'Edit Key Details refuses it in the same words');
  });

  it("Add Key shows an example for each parameter, explains a refused value by its format, and offers the last key's parameters for the next one", async () => {
    const { prompts } = await run<KeyRecord>(
      'apiKeyGuard.addKey',
      [
        { input: 'first' },
        { pick: 'production' },
        { input: UPPZY_KEY },
        { input: 'tn 4821', expectProblem: /format/ },
        { input: TENANT },
        { pick: 'Default: https://api.uppzy.com/api/v1' },
        { input: '' },
        { notify: undefined },
      ],
      'uppzy',
    );
    assert.deepEqual(prompts.refusals, [
      'Tenant ID (tenantId) has an unexpected format: expected a tenant id such as tn_4821: letters, digits, _ and -, starting with a letter or digit',
    ]);
    assert.ok(
      prompts.explanations.some((text) => text.endsWith('For example: tn_4821')),
      'the prompt shows an example',
    );
    const second = await run<KeyRecord>(
      'apiKeyGuard.addKey',
      [
        { input: 'second' },
        { pick: 'staging' },
        { input: UPPZY_KEY },
        { input: TENANT },
        { pick: 'Default: https://api.uppzy.com/api/v1' },
        { input: '' },
        { notify: undefined },
      ],
      'uppzy',
    );
    assert.equal(second.prompts.prefilled['Add Uppzy M2M API key (4/6): Tenant ID'], TENANT);
  });

  it('asks before saving an expiry date that is already past, and asks the date again on no', async () => {
    const { result, prompts } = await run<KeyRecord>(
      'apiKeyGuard.addKey',
      [
        { input: 'late' },
        { pick: 'production' },
        { input: UPPZY_KEY },
        { input: TENANT },
        { pick: 'Default: https://api.uppzy.com/api/v1' },
        { input: '2020-01-31' },
        { confirm: false },
        { input: '2020-01-31' },
        { confirm: true },
        { notify: undefined },
      ],
      'uppzy',
    );
    assert.equal(prompts.asked[6], 'confirm: 2020-01-31 is in the past. Save it as the expiry date?');
    assert.equal(prompts.prefilled['Add Uppzy M2M API key (6/6): Expiry'], '2020-01-31', 'the date is asked again as typed');
    assert.equal(result.expiresOn, '2020-01-31');
    await run('apiKeyGuard.editKey', [{ pick: 'Expiry date' }, { input: '2021-03-01' }, { confirm: false }, { input: '' }], result.id);
    assert.equal(api.store.get(result.id)!.expiresOn, undefined);
    await run('apiKeyGuard.editKey', [{ pick: 'Rotate-by date' }, { input: '2021-03-01' }], result.id);
    assert.equal(api.store.get(result.id)!.rotateBy, '2021-03-01', 'a past rotate-by date is just due');
  });

  it('Check Key proves a key against the local Uppzy server and shows it working in the tree', async () => {
    const record = await addUppzyKey();
    const { result } = await run<CheckResult>('apiKeyGuard.checkKey', [], record.id);
    assert.equal(result.outcome, 'ok', result.message);
    assert.equal(server.requests.at(-1)?.headers['x-api-key'], UPPZY_KEY);
    assert.equal(api.store.get(record.id)?.lastCheck?.outcome, 'ok');
    const [node] = await api.tree.keyNodes();
    assert.equal(node!.status, 'working');
    assert.equal(node!.description, `****${UPPZY_KEY.slice(-4)} · production`);
    assert.equal((node!.iconPath as vscode.ThemeIcon).id, 'pass-filled');
  });

  it('Check Key says in one sentence that a key was refused, keeps the detail in the tooltip, and offers to enter it again first', async () => {
    const record = await addUppzyKey('wrong-key', 'upz_live_ffffffffffffffffffffffffffffffff');
    const { result, prompts } = await run<CheckResult>('apiKeyGuard.checkKey', [{ notify: undefined }], record.id);
    assert.equal(result.outcome, 'unauthorized');
    await eventually(() => prompts.notifications.length > 0, 'the failure notification');
    const notice = prompts.notifications[0]!;
    assert.equal(notice.message, "Key 'wrong-key' (production) was refused: Uppzy M2M API says it is not valid.");
    assert.deepEqual(notice.actions, ['Re-enter Key', 'Rotate Key', 'Open Provider Docs', 'Show Log']);
    const [node] = await api.tree.keyNodes();
    assert.equal(node!.status, 'failing');
    assert.match((node!.tooltip as vscode.MarkdownString).value, /HTTP 401.*rejected the key/, 'the detail is in the tooltip');
  });

  it("Re-enter Key, from a refused key's notification, replaces the stored value in place and the check it offers passes", async () => {
    const mistyped = 'upz_live_ffffffffffffffffffffffffffffffff';
    const logFile = path.join(api.logUri.fsPath, 'API Key Guard.log');
    const logged = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
    const logBefore = logged().length;
    const added = await addUppzyKey('mistyped-bot', mistyped);
    const record = (await api.store.update(added.id, (current) => ({ ...current, owner: 'orders team' })))!;
    const prompts = new ScriptedPrompts([
      { notify: 'Re-enter Key' },
      { input: mistyped, expectProblem: /already have/ },
      { input: UPPZY_KEY },
      { confirm: true },
      { notify: 'Check Again' },
    ]);
    api.usePrompts(prompts);
    const first = await vscode.commands.executeCommand<CheckResult>('apiKeyGuard.checkKey', record.id);
    assert.equal(first.outcome, 'unauthorized');
    await eventually(() => prompts.notifications.length === 3, 'the refusal, the saved key and the passing check');
    assert.equal(prompts.remaining, 0, `every scripted answer was asked for (asked: ${prompts.asked.join(' / ')})`);
    assert.deepEqual(prompts.asked, [
      "input: Re-enter 'mistyped-bot' (production)",
      "input: Re-enter 'mistyped-bot' (production)",
      "confirm: Replace the stored key of 'mistyped-bot' with the one you entered?",
    ]);
    assert.deepEqual(
      prompts.notifications.map(({ level, message }) => `${level}: ${message}`),
      [
        "warning: Key 'mistyped-bot' (production) was refused: Uppzy M2M API says it is not valid.",
        "info: Saved the key of 'mistyped-bot' (production) again; its details are unchanged.",
        `info: Key 'mistyped-bot' (production) works: Uppzy M2M API accepted the key (HTTP 200).`,
      ],
    );
    assert.equal(await api.store.readSecret(record.id), UPPZY_KEY, 'the new value is stored under the same key');
    assert.equal(server.requests.at(-1)?.headers['x-api-key'], UPPZY_KEY, 'the check sent the new value');
    const { lastCheck, ...kept } = api.store.get(record.id)!;
    const { lastCheck: _old, ...before } = record;
    assert.deepEqual(kept, before, 'name, environment, base URL, parameters and owner are kept');
    assert.equal(lastCheck?.outcome, 'ok');
    assert.equal(api.store.list().length, 1, 'no second record, nothing to revoke');
    const [node] = await api.tree.keyNodes();
    assert.equal(node!.status, 'working');

    const lines = await eventually(() => {
      const text = logged().slice(logBefore);
      return text.includes("re-entered key 'mistyped-bot'") && text.includes("check Uppzy M2M API 'mistyped-bot'") ? text : undefined;
    }, 'the re-entry in the log');
    for (const [where, text] of [
      ...prompts.notifications.map((notice, at): [string, string] => [`notification ${at + 1}`, notice.message]),
      ['log', lines] as [string, string],
    ]) {
      assertNoFragment(text.replaceAll(`****${UPPZY_KEY.slice(-4)}`, '****'), mistyped, where);
      assertNoFragment(text.replaceAll(`****${mistyped.slice(-4)}`, '****'), UPPZY_KEY, where);
    }
  });

  it('masks what a server echoes of the key, in part, glued to other text or encoded, in the stored last check and the log', async () => {
    const key = UPPZY_KEY;
    // Python's quote() keeps `_` and encodes what it is told to; here every third character, in mixed hex case.
    const quoted = [...key].map((char, at) => (at % 3 === 0 ? `%${char.charCodeAt(0).toString(16)}` : char)).join('');
    const echoed = `api_key=${key.slice(0, 20)}… /v1/keys/${key.slice(9, 25)} key-${key.slice(14, 30).toUpperCase()} ${quoted}`;
    const echo = await startServer((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ detail: echoed, message: echoed, error: { message: echoed } }));
    });
    try {
      const record = await api.store.add(
        { providerId: 'uppzy', name: 'echoed', environment: 'staging', baseUrl: `${echo.origin}/api/v1`, params: { tenantId: TENANT } },
        key,
      );
      const { prompts } = await run<CheckResult>('apiKeyGuard.checkKey', [{ notify: undefined }], record.id);
      await eventually(() => prompts.notifications.length > 0, 'the failure notification');
      const logFile = path.join(api.logUri.fsPath, 'API Key Guard.log');
      const logged = await eventually(() => {
        const lines = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : [];
        return lines.filter((line) => line.includes("check Uppzy M2M API 'echoed'")).join('\n');
      }, 'the check in the log');
      // The notification says the key was refused in its own words; the server's words are in the tooltip and the log.
      const notification = prompts.notifications[0]!.message;
      assert.equal(notification, "Key 'echoed' (staging) was refused: Uppzy M2M API says it is not valid.");
      const shown = { 'last check': api.store.get(record.id)!.lastCheck!.message, log: logged };
      for (const [where, text] of Object.entries(shown)) {
        assert.match(text, /api_key=\*\*\*\*/, `${where} says what the server said, masked: ${text}`);
        assertNoFragment(text, key, where);
      }
    } finally {
      await echo.close();
    }
  });

  it('Check Key reports a key whose parameters cannot make a request as not checkable, and offers to edit them', async () => {
    const record = await api.store.add({ providerId: 'uppzy', name: 'no-tenant', environment: 'staging', baseUrl: server.baseUrl, params: {} }, UPPZY_KEY);
    const before = server.requests.length;
    const { result, prompts } = await run<CheckResult>('apiKeyGuard.checkKey', [], record.id);
    assert.equal(result.outcome, 'not-checkable');
    assert.match(result.message, /cannot be checked \(Tenant.*is required.*\): fix them with "Edit Key Details"\.$/);
    assert.equal(server.requests.length, before, 'nothing was sent');
    await eventually(() => prompts.notifications.length > 0, 'the notification');
    assert.deepEqual(prompts.notifications[0]!.actions, ['Edit Key Details', 'Show Log']);
    assert.equal((await api.tree.keyNodes())[0]!.status, 'not-checkable');
  });

  it('Check Key reports a key whose secret the storage lost as not checkable, sends nothing, and says to enter it again', async () => {
    const secrets = new FlakySecrets();
    const store = api.createStore(secrets, new MemoryMemento());
    const checks = api.createChecks(store);
    const record = await store.add(
      { providerId: 'uppzy', name: 'forgotten', environment: 'production', baseUrl: server.baseUrl, params: { tenantId: TENANT } },
      UPPZY_KEY,
    );
    secrets.forgetAll();
    const before = server.requests.length;
    const result = (await checks.check([record])).get(record.id)!;
    assert.equal(result.outcome, 'not-checkable', result.message);
    assert.equal(result.notCheckableReason, 'secret-missing', 'the notification offers Re-enter Key');
    assert.match(result.message, /^Nothing was sent, because VS Code's secret storage no longer has this key: enter it again with "Re-enter Key"\.$/);
    assert.equal(server.requests.length, before, 'nothing was sent');
    assert.equal(store.get(record.id)?.lastCheck?.outcome, 'not-checkable');
    store.dispose();
  });

  it('Check All Keys checks every key, at most one request per key, and reports rate limits with when to retry', async () => {
    await addUppzyKey('a');
    await addUppzyKey('b');
    server.force = 'rate-limited';
    const before = server.requests.length;
    try {
      const { result } = await run<Map<string, CheckResult>>('apiKeyGuard.checkAllKeys', []);
      assert.equal(result.size, 2);
      assert.equal(server.requests.length - before, 2);
      for (const outcome of result.values()) {
        assert.equal(outcome.outcome, 'rate-limited');
      }
      // A second check while resting sends nothing and says when to retry.
      const again = await run<CheckResult>('apiKeyGuard.checkKey', [], api.store.list()[0]!.id);
      assert.equal(again.result.outcome, 'rate-limited');
      assert.equal(server.requests.length - before, 2, 'no request while the key rests');
      assert.ok((await api.tree.keyNodes()).every((node) => node.status === 'rate-limited'));
    } finally {
      server.force = undefined;
    }
  });

  it('Check All Keys counts the keys that could not be checked apart from the failing ones, and names each', async () => {
    await addUppzyKey('a-working');
    await addUppzyKey('b-wrong-key', 'upz_live_ffffffffffffffffffffffffffffffff');
    await api.store.add({ providerId: 'uppzy', name: 'c-no-tenant', environment: 'staging', baseUrl: server.baseUrl, params: {} }, UPPZY_KEY);
    await addUppzyKey('d-working');
    const { prompts } = await run('apiKeyGuard.checkAllKeys', []);
    assert.deepEqual(
      prompts.notifications.map((notification) => `${notification.level}: ${notification.message}`),
      ["warning: Checked 4 keys: 2 working, 1 failing, 1 could not be checked. Failing: 'b-wrong-key'. Could not be checked: 'c-no-tenant'."],
    );
  });

  it('Copy Key asks in a modal dialog, then puts the key on the clipboard and says so without showing it', async () => {
    const record = await addUppzyKey();
    await vscode.env.clipboard.writeText('before');
    const { prompts: refused } = await run('apiKeyGuard.copyKey', [{ confirm: false }], record.id);
    assert.deepEqual(refused.asked, ["confirm: Copy the key 'prod-order-bot' to the clipboard?"]);
    assert.equal(await vscode.env.clipboard.readText(), 'before', 'nothing is copied without a yes');
    const [row] = await api.tree.keyNodes();
    const { prompts } = await run('apiKeyGuard.copyKey', [{ confirm: true }], row);
    assert.equal(await vscode.env.clipboard.readText(), UPPZY_KEY, 'a row of the tree asks too, and copies on yes');
    assert.match(prompts.notifications[0]!.message, /Copied 'prod-order-bot' \(\*\*\*\*/);
    assert.ok(!prompts.notifications[0]!.message.includes(UPPZY_KEY));
    await vscode.env.clipboard.writeText('');
  });

  it('Add Key takes no key value from its argument: only the linter fills one in', async () => {
    const { prompts } = await run<KeyRecord | undefined>('apiKeyGuard.addKey', [{ input: 'from-a-link' }, { pick: 'production' }, { input: undefined }], {
      providerId: 'uppzy',
      name: 'from-a-link',
      value: UPPZY_KEY,
    });
    assert.deepEqual(prompts.prefilled, { 'Add Uppzy M2M API key (1/6): Name': 'from-a-link', 'Add Uppzy M2M API key (3/6): Key': undefined });
    assert.deepEqual(api.store.list(), []);
  });

  it('Edit Key Details changes one detail and keeps the secret', async () => {
    const record = await addUppzyKey();
    await run('apiKeyGuard.editKey', [{ pick: 'Rotate-by date' }, { input: '2031-06-30' }], record.id);
    await run('apiKeyGuard.editKey', [{ pick: 'Owner' }, { input: 'orders team' }], record.id);
    const edited = api.store.get(record.id)!;
    assert.equal(edited.rotateBy, '2031-06-30');
    assert.equal(edited.owner, 'orders team');
    assert.equal(await api.store.readSecret(record.id), UPPZY_KEY);
  });

  /** What the log says from here on: each call returns the lines written since `logFrom` was called. */
  function logFrom(): () => string {
    const logFile = path.join(api.logUri.fsPath, 'API Key Guard.log');
    const read = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
    const start = read().length;
    return () => read().slice(start);
  }

  it('Edit Key Details confirms each save in the status bar, and logs which fields changed, never their values', async () => {
    const record = await addUppzyKey();
    await run('apiKeyGuard.checkKey', [], record.id);
    const logged = logFrom();
    const edits: Array<[Answer[], string]> = [
      // A key pasted into the wrong box is saved as typed, and neither said nor logged.
      [[{ pick: 'Owner' }, { input: UPPZY_KEY }], 'owner'],
      [[{ pick: 'Check parameters' }, { input: 'tenant-99' }], 'check parameters'],
      [[{ pick: 'Base URL' }, { input: `${server.baseUrl}/v2` }], 'base URL'],
      [[{ pick: 'Name' }, { input: 'orders-bot' }], 'name'],
    ];
    for (const [answers, what] of edits) {
      const { prompts } = await run('apiKeyGuard.editKey', answers, record.id);
      // The extension host cannot read the status bar back (VS Code has no API for it), so this reads the
      // Prompts seam, whose VS Code side is one call of vscode.window.setStatusBarMessage (windowPrompts.status).
      assert.deepEqual(prompts.statusMessages, [`Saved ${what} of '${api.store.get(record.id)!.name}' (production)`]);
      assert.deepEqual(prompts.notifications, [], 'a save interrupts with no notification');
    }
    const lines = await eventually(() => {
      const text = logged();
      return text.includes("edited key 'prod-order-bot' (production): name") ? text : undefined;
    }, 'the edits in the log');
    const edited = lines.split('\n').filter((line) => line.includes('edited key'));
    assert.deepEqual(
      edited.map((line) => line.replace(/^.*?\] /, '')),
      [
        "edited key 'prod-order-bot' (production): owner",
        "edited key 'prod-order-bot' (production): params.tenantId; last check dropped",
        "edited key 'prod-order-bot' (production): baseUrl",
        "edited key 'prod-order-bot' (production): name",
      ],
    );
    assertNoFragment(lines, UPPZY_KEY, 'the log');
    assert.ok(!lines.includes('tenant-99') && !lines.includes('/v2') && !lines.includes('orders-bot'), `no value is logged: ${edited.join('\n')}`);
  });

  it('logs the URL each check was sent to, and never the key, even one sent in the query', async () => {
    const record = await addUppzyKey();
    const logged = logFrom();
    await run('apiKeyGuard.checkKey', [], record.id);
    const maps = await startProviderServer('google-maps');
    try {
      const mapsKey = TEST_KEYS['google-maps']!;
      const mapsRecord = await api.store.add(
        { providerId: 'google-maps', name: 'geocoder', environment: 'production', baseUrl: maps.origin, params: {} },
        mapsKey,
      );
      await run('apiKeyGuard.checkKey', [{ notify: undefined }], mapsRecord.id);
      assert.match(maps.requests.at(-1)!.url, /[?&]key=/, 'the key went in the query');
      const lines = await eventually(() => {
        const text = logged();
        return text.includes("check Google Maps Platform 'geocoder'") ? text : undefined;
      }, 'both checks in the log');
      const checks = lines.split('\n').filter((line) => / check /.test(line));
      const sentTo = (name: string, url: string) =>
        assert.ok(
          checks.some((line) => line.includes(`check ${name} (GET ${url}): `)),
          `the log names where the check of ${name} went: ${checks.join('\n')}`,
        );
      sentTo("Uppzy M2M API 'prod-order-bot'", `${server.baseUrl}/m2m/tenants/${TENANT}/limits`);
      sentTo("Google Maps Platform 'geocoder'", `${maps.origin}/maps/api/geocode/json?address=Zurich`);
      assertNoFragment(lines, UPPZY_KEY, 'the log');
      assertNoFragment(lines, mapsKey, 'the log');
    } finally {
      await maps.close();
    }
  });

  it('Edit Key Details keeps the last check for details the check does not use, and drops it when the request changes', async () => {
    const record = await addUppzyKey();
    await run('apiKeyGuard.checkKey', [], record.id);
    const lastCheck = api.store.get(record.id)!.lastCheck;
    assert.equal(lastCheck?.outcome, 'ok');
    const untouchedByCheck: Answer[][] = [
      [{ pick: 'Name' }, { input: 'renamed-bot' }],
      [{ pick: 'Owner' }, { input: 'orders team' }],
      [{ pick: 'Environment' }, { pick: 'staging' }],
      [{ pick: 'Expiry date' }, { input: '2031-01-31' }],
      [{ pick: 'Rotate-by date' }, { input: '2030-12-31' }],
      [{ pick: 'Base URL' }, { input: server.baseUrl }],
    ];
    for (const answers of untouchedByCheck) {
      const edit = JSON.stringify(answers);
      await run('apiKeyGuard.editKey', answers, record.id);
      assert.deepEqual(api.store.get(record.id)!.lastCheck, lastCheck, `editing ${edit} keeps the last check`);
    }
    assert.equal((await api.tree.keyNodes())[0]!.status, 'working');

    await run('apiKeyGuard.editKey', [{ pick: 'Check parameters' }, { input: 'tenant-99' }], record.id);
    assert.equal(api.store.get(record.id)!.lastCheck, undefined, 'new parameters make the last result stale');
    assert.equal((await api.tree.keyNodes())[0]!.status, 'unchecked');
    await run('apiKeyGuard.checkKey', [], record.id);
    assert.equal(api.store.get(record.id)!.lastCheck?.outcome, 'not-found');
    await run('apiKeyGuard.editKey', [{ pick: 'Base URL' }, { input: `${server.baseUrl}/v2` }], record.id);
    assert.equal(api.store.get(record.id)!.lastCheck, undefined, 'a new base URL makes the last result stale');
  });

  it('Add Key offers a Sales Layer key the Catalog API check, which proves a Catalog-only key; choosing the DAM check in Edit Key Details drops the last check', async () => {
    const salesLayer = await startProviderServer('saleslayer');
    try {
      const { result: added, prompts } = await run<KeyRecord>('apiKeyGuard.addKey', [
        { pick: 'Sales Layer' },
        { input: 'catalog-sync' },
        { pick: 'production' },
        { input: SALES_LAYER_CATALOG_ONLY_KEY },
        { pick: 'Catalog API' },
        { pick: 'Another base URL…' },
        { input: salesLayer.baseUrl },
        { confirm: true },
        { input: '' },
        { notify: undefined },
      ]);
      assert.deepEqual(prompts.offered['Add Sales Layer key (5/7): Check'], [
        'DAM (default) (GET /dam/image)',
        'Catalog API (GET /catalog/rest/Catalog/Products)',
      ]);
      assert.equal(added.checkId, 'catalog');

      const { result } = await run<CheckResult>('apiKeyGuard.checkKey', [], added.id);
      assert.equal(result.outcome, 'ok', result.message);
      assert.equal(salesLayer.requests.at(-1)?.url, '/catalog/rest/Catalog/Products?$top=1&$select=prod_ref');
      const [node] = await api.tree.keyNodes();
      assert.equal(node!.status, 'working');
      assert.match((node!.tooltip as vscode.MarkdownString).value, /Check: Catalog API — GET \/catalog\/rest\/Catalog\/Products/);

      const { prompts: editPrompts } = await run('apiKeyGuard.editKey', [{ pick: 'Check' }, { pick: 'DAM (default)' }], added.id);
      assert.ok(editPrompts.offered[`Edit 'catalog-sync'`]!.includes('Check (Catalog API — GET /catalog/rest/Catalog/Products)'));
      const edited = api.store.get(added.id)!;
      assert.equal(edited.checkId, undefined, 'the default check is stored as no check id');
      assert.equal(edited.lastCheck, undefined, 'another check makes the last result stale');
      const [uncheckedNode] = await api.tree.keyNodes();
      assert.equal(uncheckedNode!.status, 'unchecked');
      assert.doesNotMatch((uncheckedNode!.tooltip as vscode.MarkdownString).value, /Check:/);

      const { result: dam, prompts: damPrompts } = await run<CheckResult>('apiKeyGuard.checkKey', [{ notify: undefined }], added.id);
      assert.equal(dam.outcome, 'forbidden', dam.message);
      assert.match(dam.message, /if this is a Catalog-only key, choose the Catalog API check in Edit Key Details/);
      await eventually(() => damPrompts.notifications.length > 0, 'the failure notification');
      assert.ok(damPrompts.notifications[0]!.actions.includes('Edit Key Details'), 'the notification offers the way to the Catalog check');
      assert.ok(!damPrompts.notifications[0]!.message.includes(SALES_LAYER_CATALOG_ONLY_KEY.slice(0, 12)), 'the key is not in the message');
    } finally {
      await salesLayer.close();
    }
  });

  it('Add Key offers a Layerx402 key the WebSocket check: no wallet asked, a ws(s):// URL on its servers or this machine, and the plan in the result', async () => {
    const layerKey = TEST_KEYS.layerx402!;
    const webSocket = await startWebSocketServer();
    try {
      const { result: added, prompts } = await run<KeyRecord>('apiKeyGuard.addKey', [
        { pick: 'Layerx402' },
        { input: 'stream-bot' },
        { pick: 'production' },
        { input: layerKey },
        { pick: 'WebSocket API' },
        { pick: 'Another base URL…' },
        { input: 'https://api.layerx402.dev', expectProblem: /^The WebSocket URL must start with wss:\/\// },
        { input: 'ws://layerx402.dev', expectProblem: /^Use wss:\/\/: over plain ws:\/\/ the key would cross the network/ },
        { input: 'wss://collector.example', expectProblem: /^The key would go to collector\.example, which is not a server of Layerx402/ },
        { input: webSocket.baseUrl },
        { confirm: true },
        { input: '' },
        { notify: undefined },
      ]);
      // Seven steps once the WebSocket check is chosen, eight before: the REST check asks for a wallet too.
      assert.deepEqual(prompts.offered['Add Layerx402 key (5/8): Check'], [
        'Portfolio (default) (GET /portfolio/{wallet})',
        'WebSocket API (WebSocket wss://layerx402.dev/api/data)',
      ]);
      assert.ok(!prompts.asked.some((question) => question.includes('Wallet')), `no wallet asked: ${prompts.asked.join(' / ')}`);
      assert.equal(prompts.offered['Add Layerx402 key (6/7): Base URL']?.[0], 'Default: wss://layerx402.dev');
      assert.equal(added.checkId, 'websocket');
      assert.equal(added.baseUrl, webSocket.baseUrl);
      assert.deepEqual(added.params, {});

      const { result } = await run<CheckResult>('apiKeyGuard.checkKey', [], added.id);
      assert.equal(result.outcome, 'ok', result.message);
      assert.equal(result.message, 'Layerx402 accepted the key over its WebSocket API (plan: premium).');
      assert.deepEqual(webSocket.messages, [JSON.stringify({ method: 'authenticate', apiKey: layerKey })]);
      const [node] = await api.tree.keyNodes();
      assert.equal(node!.status, 'working');
      const tooltip = (node!.tooltip as vscode.MarkdownString).value;
      assert.match(tooltip, /Check: WebSocket API — WebSocket wss:\/\/layerx402\\\.dev\/api\/data/, 'the check, Markdown-escaped');
      assert.match(tooltip, /\n\nPlan: premium(\n|$)/, 'the plan the reply named, as its own line');
      assert.equal(api.store.get(added.id)!.lastCheck!.plan, 'premium', 'recorded with the key');
      assertNoFragment(tooltip, layerKey, 'the tooltip');

      webSocket.behaviour = 'connection-limit';
      const { result: limited } = await run<CheckResult>('apiKeyGuard.checkKey', [{ notify: undefined }], added.id);
      assert.equal(limited.outcome, 'rate-limited');
      assert.match(limited.message, /CONNECTION_LIMIT/);

      // Back to the REST check: the WebSocket URL cannot serve it, so the key's checks go to the provider's base URL again.
      await run('apiKeyGuard.editKey', [{ pick: 'Check' }, { pick: 'Portfolio (default)' }], added.id);
      const edited = api.store.get(added.id)!;
      assert.equal(edited.checkId, undefined);
      assert.equal(edited.baseUrl, undefined);
    } finally {
      await webSocket.close();
    }
  });

  it('Check Key reports a key whose check its provider does not define as not checkable, and Edit Key Details sets it back to the default', async () => {
    const record = await api.store.add(
      { providerId: 'uppzy', name: 'gone-check', environment: 'production', baseUrl: server.baseUrl, params: { tenantId: TENANT }, checkId: 'catalog' },
      UPPZY_KEY,
    );
    const before = server.requests.length;
    const { result } = await run<CheckResult>('apiKeyGuard.checkKey', [], record.id);
    assert.equal(result.outcome, 'not-checkable');
    assert.match(result.message, /Uppzy M2M API has no check 'catalog' \(known: default\).*"Edit Key Details"/);
    assert.equal(server.requests.length, before, 'nothing was sent');
    await run('apiKeyGuard.editKey', [{ pick: 'Check' }, { pick: 'Default check (default)' }], record.id);
    assert.equal(api.store.get(record.id)!.checkId, undefined);
    const { result: again } = await run<CheckResult>('apiKeyGuard.checkKey', [], record.id);
    assert.equal(again.outcome, 'ok', again.message);
  });

  it("Edit Key Details refuses a server its provider does not declare, asks before a key's checks go to another server on this machine, and not when they go back to its provider", async () => {
    const record = await addUppzyKey();
    const elsewhere = 'http://127.0.0.1:9/api/v1';
    const { prompts } = await run(
      'apiKeyGuard.editKey',
      [
        { pick: 'Base URL' },
        {
          input: 'https://collector.example',
          expectProblem: /^The key would go to collector\.example, which is not a server of Uppzy M2M API: its keys go only to https:\/\/api\.uppzy\.com/,
        },
        { input: elsewhere },
        { confirm: false },
      ],
      record.id,
    );
    assert.equal(prompts.asked.at(-1), "confirm: Send the key 'prod-order-bot' to http://127.0.0.1:9?");
    assert.equal(api.store.get(record.id)!.baseUrl, server.baseUrl, 'the key keeps its server without a yes');
    await run('apiKeyGuard.editKey', [{ pick: 'Base URL' }, { input: `${server.baseUrl}/v2` }], record.id);
    assert.equal(api.store.get(record.id)!.baseUrl, `${server.baseUrl}/v2`, 'another path on the same server asks nothing');
    await run('apiKeyGuard.editKey', [{ pick: 'Base URL' }, { input: '' }], record.id);
    assert.equal(api.store.get(record.id)!.baseUrl, undefined, "back to the provider's own server asks nothing");
  });

  it('Remove Key asks first, and removes nothing when the user says no', async () => {
    const record = await addUppzyKey();
    await run('apiKeyGuard.removeKey', [{ confirm: false }], record.id);
    assert.ok(api.store.get(record.id));
    await run('apiKeyGuard.removeKey', [{ confirm: true }], record.id);
    assert.equal(api.store.get(record.id), undefined);
    assert.equal(await api.store.readSecret(record.id), undefined);
  });

  it('Rotate Key checks the new key, moves the terminal variable, and keeps the old one until it is revoked', async () => {
    const old = await addUppzyKey('prod-order-bot', 'upz_live_00000000000000000000000000000000');
    await run('apiKeyGuard.setTerminalVariable', [{ input: 'UPPZY_API_KEY' }, { confirm: true }], old.id);
    const { result: replacement, prompts } = await run<KeyRecord>(
      'apiKeyGuard.rotateKey',
      [
        { input: 'upz_live_00000000000000000000000000000000', expectProblem: /already have/ },
        { input: UPPZY_KEY },
        { input: '' },
        { confirm: true },
        { notify: undefined },
      ],
      old.id,
    );
    assert.equal(prompts.asked.at(-1), "confirm: Use the new key for 'prod-order-bot'?", 'the replacement is confirmed in a modal dialog');
    assert.equal(replacement.lastCheck?.outcome, 'ok', 'the new key was checked');
    assert.equal(replacement.terminalVariable, 'UPPZY_API_KEY', 'the new key took over the terminal variable');
    (replacement as { baseUrl?: string }).baseUrl = 'https://collector.example';
    assert.equal(api.store.get(replacement.id)!.baseUrl, server.baseUrl, "the command returned a copy, not the store's own record");
    const oldNow = api.store.get(old.id)!;
    assert.equal(oldNow.replacedBy, replacement.id);
    assert.equal(oldNow.terminalVariable, undefined);
    const rows = Object.fromEntries((await api.tree.keyNodes()).map((node) => [node.record.id, `${node.status} | ${node.description}`]));
    assert.equal(rows[old.id], 'to-revoke | ****0000 · production · old, to revoke');
    assert.equal(rows[replacement.id], `working | ****${UPPZY_KEY.slice(-4)} · production`, "the new key's row shows the new key's tail");
    await eventually(() => api.view.badge?.value === 1, 'the badge to count the key waiting to be revoked');
    assert.match(api.view.badge!.tooltip, /1 key failing or due/);
    const reminder = await api.reminders.remind();
    assert.match(reminder ?? '', /old key 'prod-order-bot' was replaced: revoke it/);
    await run('apiKeyGuard.confirmRevoked', [{ confirm: true }], old.id);
    assert.equal(api.store.get(old.id), undefined);
    await eventually(() => api.view.badge === undefined, 'the badge to go once nothing needs attention');
    assert.ok(api.store.get(replacement.id));
  });

  it('Rotate Key keeps the old key when the user does not confirm a new key that works', async () => {
    const old = await addUppzyKey('prod-order-bot', 'upz_live_00000000000000000000000000000000');
    const { prompts } = await run(
      'apiKeyGuard.rotateKey',
      [{ input: UPPZY_KEY }, { back: true }, { input: UPPZY_KEY }, { input: '' }, { confirm: false }],
      old.id,
    );
    assert.deepEqual(prompts.asked, [
      "input: Rotate 'prod-order-bot' (1/2): New key",
      "input: Rotate 'prod-order-bot' (2/2): Expiry",
      "input: Rotate 'prod-order-bot' (1/2): New key",
      "input: Rotate 'prod-order-bot' (2/2): Expiry",
      "confirm: Use the new key for 'prod-order-bot'?",
    ]);
    assert.equal(prompts.prefilled["Rotate 'prod-order-bot' (1/2): New key"], UPPZY_KEY, 'Back keeps the new key pasted');
    assert.deepEqual(
      api.store.list().map((record) => record.id),
      [old.id],
    );
    assert.equal(api.store.get(old.id)?.replacedBy, undefined);
  });

  it('Set as Terminal Variable says who receives the key, and sets nothing without a yes in a modal dialog', async () => {
    const record = await addUppzyKey();
    const { prompts } = await run('apiKeyGuard.setTerminalVariable', [{ input: 'UPPZY_API_KEY' }, { confirm: false }], record.id);
    assert.equal(prompts.explanations.length, 2, 'the input box and the dialog');
    for (const words of prompts.explanations) {
      assert.match(
        words,
        /Every new integrated terminal of every trusted VS Code window gets the key, including task terminals and terminals that other extensions and AI agents open; untrusted workspaces get none\./,
      );
    }
    assert.equal(api.store.get(record.id)!.terminalVariable, undefined);
  });

  it('Rotate Key with a new key that fails its check keeps the old key in use if the user says so', async () => {
    const old = await addUppzyKey();
    await run('apiKeyGuard.rotateKey', [{ input: 'upz_live_badbadbadbadbadbadbadbadbadbadba' }, { input: '' }, { confirm: false }], old.id);
    assert.deepEqual(
      api.store.list().map((record) => record.id),
      [old.id],
    );
    assert.equal(api.store.get(old.id)?.replacedBy, undefined);
  });

  it('Rotate Key checks the new key before storing it, so a key the user drops leaves nothing behind', async () => {
    const storedWhenChecked: string[][] = [];
    const provider = await startServer((_request, response) => {
      storedWhenChecked.push(api.store.list().map((record) => record.name));
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end('{"error":"Invalid API key"}');
    });
    try {
      const old = await api.store.add(
        { providerId: 'uppzy', name: 'rotating', environment: 'production', baseUrl: provider.origin, params: { tenantId: TENANT } },
        UPPZY_KEY,
      );
      await run('apiKeyGuard.rotateKey', [{ input: 'upz_live_badbadbadbadbadbadbadbadbadbadba' }, { input: '' }, { confirm: false }], old.id);
      assert.deepEqual(storedWhenChecked, [['rotating']], 'while the new key was checked, only the old one was stored');
      assert.deepEqual(
        api.store.list().map((record) => record.id),
        [old.id],
      );
    } finally {
      await provider.close();
    }
  });

  it('gives new integrated terminals the key as an environment variable', async function () {
    this.timeout(30000);
    const record = await addUppzyKey();
    const { prompts } = await run(
      'apiKeyGuard.setTerminalVariable',
      [{ input: 'not a name', expectProblem: /letters, digits/ }, { input: 'UPPZY_API_KEY' }, { confirm: true }],
      record.id,
    );
    assert.deepEqual(prompts.asked, [
      "input: 'prod-order-bot' in every new terminal",
      "input: 'prod-order-bot' in every new terminal",
      "confirm: Give every new terminal the key 'prod-order-bot' as $UPPZY_API_KEY?",
    ]);
    // Plainly: every new terminal, agents' included, and where to go for one terminal only.
    assert.match(
      prompts.explanations.at(-1) ?? '',
      /^Every new integrated terminal of every trusted VS Code window gets the key, .*AI agents.*"Open Terminal with Keys…"/,
    );
    await api.terminal.update();
    const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'akg-terminal-')), 'env.txt');
    const terminal = vscode.window.createTerminal({ name: 'env probe', shellPath: '/bin/sh', shellArgs: ['-c', `printf %s "$UPPZY_API_KEY" > ${output}`] });
    try {
      const written = await eventually(() => fs.existsSync(output) && fs.readFileSync(output, 'utf8'), 'the terminal to write its environment', 20000);
      assert.equal(written, UPPZY_KEY);
    } finally {
      terminal.dispose();
    }
  });
});
