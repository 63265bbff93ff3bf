import * as assert from 'node:assert/strict';
import { page, runCommand, screenshot } from './workbench';

/** A fake key, assembled so that no scanner reading this file takes it for a real one. */
const TYPED_KEY = ['Qm7vN2pL9x', 'K4mW8rT5yH3'].join('');

function editor() {
  return page().locator('.editor-instance .monaco-editor').first();
}

function problemRows() {
  return page().locator('.markers-panel .monaco-list-row');
}

describe('inline warnings while coding, as a person sees them', () => {
  after(async () => {
    await runCommand('View: Revert and Close Editor');
  });

  it('flags a key typed into a file, in Problems and as a squiggle, and the quick fix from the light bulb removes it', async () => {
    // An untitled JavaScript file: the workbench saves files in the workspace by itself, and the fixtures must stay as they are.
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
    await runCommand('Quick Fix...');
    const fix = page().locator('.action-widget .monaco-list-row', { hasText: 'Replace with process.env.UPPZY_API_KEY' });
    await fix.waitFor();
    await screenshot('linter-quick-fix');
    await fix.click();

    await editor().locator('.view-line', { hasText: 'const uppzyApiKey = process.env.UPPZY_API_KEY;' }).waitFor();
    await editor().locator('.squiggly-warning').first().waitFor({ state: 'detached' });
    await problemRows().filter({ hasText: 'uppzyApiKey' }).first().waitFor({ state: 'detached' });
  });
});
