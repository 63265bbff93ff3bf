import * as assert from 'node:assert/strict';
import { openApiKeyGuardView, page, rowTexts, runCommand, screenshot } from './workbench';

describe('the API Key Guard view, as a person sees it', () => {
  it('shows the built-in providers in its own activity-bar view', async () => {
    const keys = await openApiKeyGuardView();
    // Provider rows only: keys added by other tests sit beneath them.
    const rows = await rowTexts(keys, '.codicon-plug');
    assert.deepEqual(rows, [
      'Sales Layer | X-API-KEY header',
      'Uppzy M2M API | X-API-Key header',
      'Scaleflex DAM | X-Filerobot-Key header',
      'Layerx402 | Bearer token',
    ]);
    await screenshot('providers-view');
  });

  it('runs a command from the command palette', async () => {
    await runCommand('API Key Guard: Open Provider Docs');
    const picks = page().locator('.quick-input-list .monaco-list-row');
    await picks.filter({ hasText: 'Sales Layer' }).waitFor();
    const labels = await Promise.all((await picks.all()).map((row) => row.locator('.label-name').first().innerText()));
    // The four seed providers first, then the catalogue's (the list may render only the rows in view).
    assert.deepEqual(labels.slice(0, 4), ['Sales Layer', 'Uppzy M2M API', 'Scaleflex DAM', 'Layerx402']);
    assert.ok(labels.includes('GitHub'), labels.join(', '));
    await screenshot('command-palette');
    await page().keyboard.press('Escape');
  });
});
