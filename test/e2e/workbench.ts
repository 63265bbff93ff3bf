/**
 * The e2e suite's world: the packaged .vsix installed into code-server, a sample workspace open in
 * headless Chromium, and helpers that act as a person would (activity bar, command palette, keyboard).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import { REPO_ROOT, launchBrowser } from '../harness/testHost';

const { packageExtension } = require(path.join(REPO_ROOT, 'scripts', 'package.js')) as { packageExtension(outFile: string, options: { quiet: boolean }): string };

export const SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'images');

let server: CodeServer | undefined;
let browser: Browser | undefined;
let currentPage: Page | undefined;

export function page(): Page {
  if (!currentPage) {
    throw new Error('the workbench is not open');
  }
  return currentPage;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(180000);
    const vsix = packageExtension(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'akg-vsix-')), 'api-key-guard.vsix'), { quiet: true });
    server = await startCodeServer({ vsix, workspace: path.join(REPO_ROOT, 'test/fixtures/sample-workspace') });
    browser = await launchBrowser();
    currentPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await currentPage.goto(server.workspaceUrl);
    await currentPage.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await currentPage.locator('.activitybar').waitFor();
  },
  async afterAll() {
    await browser?.close();
    await server?.stop();
  },
};

/** The sidebar pane with the given title, e.g. "API Keys". */
export function pane(title: string): Locator {
  return page().locator('.pane', { has: page().locator('.pane-header', { hasText: title }) });
}

export async function openApiKeyGuardView(): Promise<Locator> {
  await page().locator('.activitybar .action-item a[aria-label^="API Key Guard"]').click();
  const keys = pane('API Keys');
  await keys.locator('.monaco-list-row').first().waitFor();
  return keys;
}

/** Each tree row as "label | description", the way the integration tests read the tree provider. */
export async function rowTexts(container: Locator): Promise<string[]> {
  const rows = await container.locator('.monaco-list-row').all();
  return Promise.all(
    rows.map(async (row) => {
      const label = await row.locator('.label-name').first().innerText();
      const description = row.locator('.label-description').first();
      return (await description.count()) > 0 ? `${label} | ${await description.innerText()}` : label;
    }),
  );
}

/** Runs a command by its palette title, typed as a person would after F1. */
export async function runCommand(title: string): Promise<void> {
  await page().keyboard.press('F1');
  const input = page().locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page().locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page().keyboard.press('Enter');
}

export async function screenshot(name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page().screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}
