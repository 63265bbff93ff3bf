import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/core/checkOutcome';
import type { ApiKeyGuardApi } from '../../src/extension/extension';
import { TEST_KEYS, TEST_PARAMS, startProviderServer, type ProviderServer } from '../fixtures/providerServers';
import { activateExtension, eventually, removeAllKeys } from './activate';
import { ScriptedPrompts } from './scriptedPrompts';

describe('rate-limit headroom in the editor', () => {
  let api: ApiKeyGuardApi;
  const servers: ProviderServer[] = [];

  before(async () => {
    api = await activateExtension();
    await removeAllKeys(api);
  });
  after(async () => {
    api.usePrompts(undefined);
    await removeAllKeys(api);
    await Promise.all(servers.map((server) => server.close()));
  });

  /** A key on its own local server, which reports `remaining` requests left (the server's own count when undefined). */
  async function addKey(providerId: string, name: string, remaining?: number): Promise<void> {
    const server = await startProviderServer(providerId);
    server.remaining = remaining;
    servers.push(server);
    await api.store.add(
      { providerId, name, environment: 'production', baseUrl: server.baseUrl, params: { ...TEST_PARAMS[providerId] } },
      TEST_KEYS[providerId]!,
    );
  }

  it('records the headroom with the key, shows it and the Layerx402 plan in the tooltip, and Check All warns once for the keys nearly out', async () => {
    await addKey('layerx402', 'a-standard');
    await addKey('layerx402', 'b-nearly-out', 4);
    await addKey('github', 'c-github-nearly-out', 500);
    const prompts = new ScriptedPrompts([]);
    api.usePrompts(prompts);
    const results = await vscode.commands.executeCommand<Map<string, CheckResult>>('apiKeyGuard.checkAllKeys');
    assert.deepEqual(
      [...results.values()].map((result) => result.outcome),
      ['ok', 'ok', 'ok'],
    );

    const stored = api.store.list().find((record) => record.name === 'a-standard')!.lastCheck!.rateLimit!;
    assert.deepEqual([stored.limit, stored.remaining], [100, 87]);
    const resetIn = Date.parse(stored.resetAt!) - Date.now();
    assert.ok(resetIn > 0 && resetIn <= 61_000, `the reset the server sent, in Unix seconds (${resetIn} ms ahead)`);

    // The tooltip's Markdown with its escapes undone: the text a user reads.
    const tooltip = async (name: string) =>
      ((await api.tree.keyNodes()).find((node) => node.record.name === name)!.tooltip as vscode.MarkdownString).value.replace(/\\(.)/g, '$1');
    // The time is in the user's own format, whatever it is: no digits are assumed, only that one follows.
    assert.match(await tooltip('a-standard'), /\n\nRate limit: 87 of 100 requests left, resets \S[^\n]* · Standard plan \(100 requests a minute\)(\n|$)/);
    assert.match(await tooltip('c-github-nearly-out'), /\n\nRate limit: 500 of 5,000 requests left, resets \S[^\n]*(\n|$)/);
    assert.doesNotMatch(await tooltip('c-github-nearly-out'), /plan/, 'GitHub names no plans');

    await eventually(() => prompts.notifications.length >= 2, 'the summary and the warning');
    const warnings = prompts.notifications.filter((notification) => /nearly out/.test(notification.message));
    assert.equal(warnings.length, 1, 'one warning for all the keys');
    assert.equal(warnings[0]!.level, 'warning');
    assert.match(
      warnings[0]!.message,
      /^2 keys are nearly out of requests \(10% of the limit or less left\): 'b-nearly-out' \(4 of 100 requests left, resets \S.*\), 'c-github-nearly-out' \(500 of 5,000 requests left, resets \S.*\)\.$/,
    );
    assert.ok(!warnings[0]!.message.includes('a-standard'), 'a key with headroom is not named');
    assert.ok(prompts.notifications.some((notification) => notification.message === 'Checked 3 keys: 3 working, 0 failing.'));
  });

  it('shows the plan the answer named before the one its limit implies, and reads a stored plan as hostile', async () => {
    await addKey('layerx402', 'd-named-plan');
    const { id } = api.store.list().find((record) => record.name === 'd-named-plan')!;
    const tooltip = async () =>
      ((await api.tree.keyNodes()).find((node) => node.record.id === id)!.tooltip as vscode.MarkdownString).value.replace(/\\(.)/g, '$1');
    const checked = { outcome: 'ok', message: 'Layerx402 accepted the key.', latencyMs: 9, at: new Date().toISOString() } as const;
    const rateLimit = { limit: 100, remaining: 87 };

    await api.store.update(id, (record) => ({ ...record, lastCheck: { ...checked, rateLimit, plan: 'Premium' } }));
    let shown = await tooltip();
    assert.match(shown, /\n\nPlan: Premium\n\nRate limit: 87 of 100 requests left(\n|$)/, 'the named plan, and the headroom without the plan it implies');
    assert.doesNotMatch(shown, /Standard/);

    // Metadata of an older version: no plan, so the one the limit implies, as before.
    await api.store.update(id, (record) => ({ ...record, lastCheck: { ...checked, rateLimit } }));
    shown = await tooltip();
    assert.doesNotMatch(shown, /\n\nPlan:/);
    assert.match(shown, /\n\nRate limit: 87 of 100 requests left · Standard plan \(100 requests a minute\)(\n|$)/);

    // Stored text is shown cleaned and escaped, whatever put it there; a plan that is not text is none.
    await api.store.update(id, (record) => ({
      ...record,
      lastCheck: { ...checked, plan: `**Pro**\n\n[link](command:apiKeyGuard.copyKey)\u202e${'x'.repeat(80)}` },
    }));
    const markdown = ((await api.tree.keyNodes()).find((node) => node.record.id === id)!.tooltip as vscode.MarkdownString).value;
    const planLine = markdown.split('\n\n').find((line) => line.startsWith('Plan: '))!;
    assert.ok(planLine.startsWith('Plan: \\*\\*Pro\\*\\* \\[link\\]'), planLine);
    assert.ok(planLine.endsWith('…'), 'bounded');
    assert.doesNotMatch(planLine, /[\p{Cc}\p{Cf}]/u);
    await api.store.update(id, (record) => ({ ...record, lastCheck: { ...checked, plan: { name: 'Premium' } as unknown as string } }));
    assert.doesNotMatch(await tooltip(), /Plan:/);
  });
});
