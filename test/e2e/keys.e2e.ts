import * as assert from 'node:assert/strict';
import { TEST_KEYS, TEST_PARAMS, startProviderServer, type ProviderServer } from '../fixtures/providerServers';
import {
  answerOtherBaseUrl,
  answerQuickInput,
  chooseFromContextMenu,
  clearNotifications,
  clickButton,
  measureInLabel,
  notification,
  openApiKeyGuardView,
  page,
  resetSidebarWidth,
  runCommand,
  screenshot,
  treeRow,
  widenSidebar,
} from './workbench';

const WORKING_KEY = TEST_KEYS.uppzy!;
const REVOKED_KEY = 'upz_live_0000aaaa1111bbbb2222cccc3333dddd';

describe("a key's life, as a person lives it", () => {
  let server: ProviderServer;

  before(async () => {
    server = await startProviderServer('uppzy');
  });
  after(async () => {
    await server.close();
  });

  it('adds a key from the command palette, without the key ever showing', async () => {
    const keys = await openApiKeyGuardView();
    await runCommand('API Key Guard: Add Key…');
    await answerQuickInput(/\(1\/6\): Provider$/, 'Uppzy M2M API');
    await answerQuickInput(/\(2\/7\): Name$/, 'prod-order-bot');
    // Back, from the next step, shows the name as typed.
    await page()
      .locator('.quick-input-widget .quick-input-title', { hasText: /\(3\/7\): Environment$/ })
      .waitFor();
    await page().locator('.quick-input-widget .action-label[aria-label^="Back"]').click();
    await page()
      .locator('.quick-input-widget .quick-input-title', { hasText: /\(2\/7\): Name$/ })
      .waitFor();
    assert.equal(await page().locator('.quick-input-widget input.input').inputValue(), 'prod-order-bot');
    await page().keyboard.press('Enter');
    await answerQuickInput(/: Environment$/, 'production');
    await page()
      .locator('.quick-input-widget .quick-input-title', { hasText: /: Key$/ })
      .waitFor();
    assert.equal(await page().locator('.quick-input-widget input.input').getAttribute('type'), 'password');
    await answerQuickInput(/: Key$/, REVOKED_KEY);
    await answerQuickInput(/: Tenant ID$/, TEST_PARAMS.uppzy!.tenantId!);
    // The key's checks go to the local Uppzy server instead of the real API, from the start.
    await answerOtherBaseUrl(server.baseUrl);
    await answerQuickInput(/: Expiry$/, '');
    await notification("Saved Uppzy M2M API key 'prod-order-bot'").waitFor();
    await treeRow(keys, 'prod-order-bot').waitFor();
    assert.ok(!(await page().content()).includes(REVOKED_KEY), 'the key is nowhere on the page');
    await clearNotifications();
  });

  it('checks the key and says it was refused, offering to enter it again first', async () => {
    const keys = await openApiKeyGuardView();
    await treeRow(keys, 'prod-order-bot').hover();
    await treeRow(keys, 'prod-order-bot').locator('.action-label[aria-label="Check Key"]').click();
    const failure = notification("Key 'prod-order-bot' (production) was refused: Uppzy M2M API says it is not valid.");
    await failure.waitFor();
    assert.deepEqual(await failure.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts(), [
      'Re-enter Key',
      'Rotate Key',
      'Open Provider Docs',
      'Show Log',
    ]);
    await notification('Checking').waitFor({ state: 'detached' });
    await treeRow(keys, 'prod-order-bot').locator('.codicon-error').waitFor();
    await screenshot('key-failing');
    assert.equal(server.requests.at(-1)?.headers['x-api-key'], REVOKED_KEY);
  });

  it('rotates it from the context menu: the new key is checked and the old one waits to be revoked', async () => {
    const keys = await openApiKeyGuardView();
    await clearNotifications();
    await chooseFromContextMenu(treeRow(keys, 'prod-order-bot'), 'Rotate Key…');
    await answerQuickInput(/Rotate 'prod-order-bot' \(1\/2\): New key$/, WORKING_KEY);
    await answerQuickInput(/Rotate 'prod-order-bot' \(2\/2\): Expiry$/, '');
    await clickButton(page().locator('.monaco-dialog-box', { hasText: 'Use the new key' }), 'Use New Key');
    const rotated = notification("'prod-order-bot' now uses the new key");
    await rotated.waitFor();
    await keys.locator('.monaco-list-row .codicon-pass-filled').waitFor();
    await keys.locator('.monaco-list-row .codicon-trash').waitFor();
    await screenshot('key-rotated');
    await clickButton(rotated, 'I Revoked the Old Key');
    await clickButton(page().locator('.monaco-dialog-box'), 'Yes, Delete It');
    await keys.locator('.monaco-list-row .codicon-trash').waitFor({ state: 'detached' });
    assert.equal(await treeRow(keys, 'prod-order-bot').count(), 1);
    await treeRow(keys, 'prod-order-bot').locator('.codicon-pass-filled').waitFor();
    await screenshot('key-working');
  });

  it("shows the key's masked tail whole at the default sidebar width, the pointer on the row or away", async () => {
    const keys = await openApiKeyGuardView();
    await resetSidebarWidth();
    try {
      const row = treeRow(keys, 'prod-order-bot');
      const tail = `****${WORKING_KEY.slice(-4)}`;
      assert.equal(await row.locator('.label-description').innerText(), `${tail} · production`);
      // Away, and on the row, where its inline buttons take part of the room. The mouse, not hover(), goes to
      // the row: hover() scrolls it into view, and the page's hidden overflow with it, shifting every later screenshot.
      const box = (await row.boundingBox())!;
      for (const pointer of ['away', 'on the row']) {
        await (pointer === 'away' ? page().mouse.move(900, 400) : page().mouse.move(box.x + box.width / 2, box.y + box.height / 2));
        const measured = await measureInLabel(row, tail);
        assert.ok(measured, `the row shows ${tail}`);
        assert.ok(
          measured.partEnd <= measured.visibleEnd,
          `with the pointer ${pointer}, ${tail} ends at ${measured.partEnd} px, before the label's room ends at ${measured.visibleEnd} px`,
        );
      }
    } finally {
      await widenSidebar();
      // Off the sidebar's edge, so the next test meets the view as before.
      await page().mouse.move(900, 400);
    }
  });
});
