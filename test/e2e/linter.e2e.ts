import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Locator } from 'playwright-core';
import { answerQuickInput, clickButton, page, runCommand, screenshot } from './workbench';

/** A fake key, assembled so that no scanner reading this file takes it for a real one. */
const TYPED_KEY = ['Qm7vN2pL9x', 'K4mW8rT5yH3'].join('');

function editor() {
  return page().locator('.editor-instance .monaco-editor').first();
}

function problemRows() {
  return page().locator('.markers-panel .monaco-list-row');
}

/** A new untitled JavaScript file in the editor: the workbench saves files in the workspace by itself, and the fixtures must stay as they are. */
async function newJavaScriptFile(): Promise<void> {
  await page().keyboard.press('Control+N');
  await editor().waitFor();
  await runCommand('Change Language Mode');
  await page().locator('.quick-input-widget input[placeholder="Select Language Mode"]').waitFor();
  await page().keyboard.type('javascript');
  await page().locator('.quick-input-list .monaco-list-row', { hasText: '(javascript)' }).first().click();
  await page()
    .locator('.statusbar-item', { hasText: /^JavaScript$/ })
    .waitFor();
  await editor().click();
  // Keys typed before the editor has the focus are lost: the first character of a line was, in one CI run.
  await page().locator('.editor-instance .monaco-editor.focused').first().waitFor();
}

/**
 * Quick Fix at the cursor, and the row titled `title` in its list. One CI run showed the light bulb
 * on the key but no list after the palette's Quick Fix: as a person would, it is asked again, up to three times.
 */
async function quickFix(title: string): Promise<Locator> {
  const row = page().locator('.action-widget .monaco-list-row', { hasText: title });
  for (let attempt = 1; ; attempt++) {
    await runCommand('Quick Fix...');
    try {
      await row.waitFor({ timeout: 10_000 });
      return row;
    } catch (error) {
      if (attempt === 3) throw error;
      await page().keyboard.press('Escape');
    }
  }
}

describe('inline warnings while coding, as a person sees them', () => {
  // Every untitled file a test left, reverted: a failed test's dirty editor would make the next suite's
  // debug session ask where to save it.
  after(async () => {
    for (let left = 5; left > 0 && (await page().locator('.tabs-container .tab.dirty').count()) > 0; left--) {
      await runCommand('View: Revert and Close Editor');
    }
  });

  it('flags a key typed into a file, in Problems and as a squiggle, and the quick fix from the light bulb removes it', async () => {
    await newJavaScriptFile();
    // Typed as a person would; the editor closes the quote itself, so the closing one is typed over.
    await page().keyboard.type('// Orders sync, talks to https://api.uppzy.com', { delay: 5 });
    await page().keyboard.press('Enter');
    await page().keyboard.type(`const uppzyApiKey = '${TYPED_KEY}';`, { delay: 5 });
    await page().keyboard.press('Escape');

    await editor().locator('.squiggly-warning').first().waitFor();
    await page().keyboard.press('Control+Shift+M');
    // The linter may have reported the half-typed key already: wait for the finding on the whole key.
    const row = problemRows().filter({ hasText: '****5yH3' });
    await row.first().waitFor();
    assert.match(
      await row.first().innerText(),
      /A key is hardcoded in uppzyApiKey\. Read it from the environment variable UPPZY_API_KEY or a secret manager at run time\. \(\*\*\*\*5yH3\)/,
    );
    assert.ok(!(await page().locator('.markers-panel').innerText()).includes(TYPED_KEY), 'Problems shows the key masked');
    await screenshot('linter-problems');

    // The cursor on the key brings the light bulb; Quick Fix lists its fixes (Ctrl+. does not reach the page in headless Chromium).
    await editor().locator('.view-line span span', { hasText: TYPED_KEY }).first().click();
    const fix = await quickFix('Replace with process.env.UPPZY_API_KEY');
    await screenshot('linter-quick-fix');
    await fix.click();

    await editor().locator('.view-line', { hasText: 'const uppzyApiKey = process.env.UPPZY_API_KEY;' }).waitFor();
    await editor().locator('.squiggly-warning').first().waitFor({ state: 'detached' });
    await problemRows().filter({ hasText: 'uppzyApiKey' }).first().waitFor({ state: 'detached' });
  });

  it('offers Check Whether This Key Works on a key its provider can check, and asks before the key goes to the provider', async () => {
    const key = `upz_live_${randomBytes(16).toString('hex')}`;
    await newJavaScriptFile();
    await page().keyboard.type(`const UPPZY_API_KEY = '${key}';`, { delay: 5 });
    await page().keyboard.press('Escape');
    await editor()
      .locator('.view-line', { hasText: `const UPPZY_API_KEY = '${key}';` })
      .waitFor();
    // Not the finding on the half-typed key, which has no check: the one on the whole key, as Problems lists it.
    if (!(await page().locator('.markers-panel').isVisible())) await page().keyboard.press('Control+Shift+M');
    await problemRows()
      .filter({ hasText: `****${key.slice(-4)}` })
      .first()
      .waitFor();

    await editor().locator('.view-line span span', { hasText: key }).first().click();
    const check = await quickFix('Check Whether This Key Works');
    await screenshot('linter-check-found-key');
    await check.click();

    await answerQuickInput(/: Tenant ID$/, 'tn_4821');
    // Keys an earlier test stored may offer their servers too: the provider's own is the one asked about here.
    const dialog = page().locator('.monaco-dialog-box', { hasText: 'Send this key to api.uppzy.com to check it?' });
    const servers = page().locator('.quick-input-widget .quick-input-title', { hasText: /: Base URL$/ });
    await dialog.or(servers).first().waitFor();
    if (await servers.isVisible()) await answerQuickInput(/: Base URL$/, 'Default: https://api.uppzy.com/api/v1');
    await dialog.waitFor();
    assert.match(
      await dialog.innerText(),
      /found at Untitled-\d+:1 \(\*\*\*\*\w{4}\) once, in a GET to https:\/\/api\.uppzy\.com\/api\/v1\/m2m\/tenants\/tn_4821\/limits/,
    );
    assert.ok(!(await dialog.innerText()).includes(key.slice(-8)), 'the dialog shows the key masked');
    await screenshot('linter-check-found-key-confirm');
    await clickButton(dialog, 'Cancel');

    await dialog.waitFor({ state: 'detached' });
    assert.equal(await editor().locator('.squiggly-error').count(), 0, 'declined: no verdict, the finding stays a warning');
    await editor().locator('.squiggly-warning').first().waitFor();
    await runCommand('View: Revert and Close Editor');
  });
});
