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

const { packageExtension } = require(path.join(REPO_ROOT, 'scripts', 'package.js')) as {
  packageExtension(outFile: string, options: { quiet: boolean }): string;
};

/**
 * Where the pictures of what a user sees go: test-results/screenshots (not committed) on every run, and the
 * README's docs/images only when asked (`npm run screenshots`), so a test run leaves the checkout as it was.
 */
const SCREENSHOTS =
  process.env.API_KEY_GUARD_UPDATE_SCREENSHOTS === '1' ? path.join(REPO_ROOT, 'docs', 'images') : path.join(REPO_ROOT, 'test-results', 'screenshots');

let server: CodeServer | undefined;
let browser: Browser | undefined;
let currentPage: Page | undefined;
/** The sidebar's width as the workbench first lays it out, before `widenSidebar`: what a new user has. */
let defaultWidth: number | undefined;

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
    // Not until "load", which can outlast goto's 30 s on a loaded machine: the workbench's own element is what counts.
    await currentPage.goto(server.workspaceUrl, { waitUntil: 'commit' });
    await currentPage.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await currentPage.locator('.activitybar').waitFor();
    await currentPage.locator('.part.sidebar').waitFor();
    defaultWidth = await sidebarWidth();
    await widenSidebar();
  },
  /** A failed test leaves a picture of what the browser showed, in test-results/ (not committed). */
  async afterEach(this: Mocha.Context) {
    if (this.currentTest?.state === 'failed' && currentPage) {
      const name = this.currentTest
        .fullTitle()
        .replace(/[^\w]+/g, '-')
        .slice(0, 80);
      await currentPage.screenshot({ path: path.join(REPO_ROOT, 'test-results', `${name}.png`) }).catch(() => undefined);
      // CI keeps the log only: what the picture would have shown, in words.
      console.error(
        `    what the workbench showed:\n${(await describeWorkbench().catch((error) => [String(error)])).map((line) => `      ${line}`).join('\n')}`,
      );
    }
  },
  async afterAll() {
    await browser?.close();
    await server?.stop();
  },
};

/** The focused element, the open quick input, dialogs and notifications, one line each. */
async function describeWorkbench(): Promise<string[]> {
  const texts = async (selector: string) =>
    (await page().locator(selector).filter({ visible: true }).allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim().slice(0, 300));
  const quickInput = page().locator('.quick-input-widget').filter({ visible: true });
  const field = quickInput.locator('input').first();
  // A key's step is a password box: its length says enough, the test key stays out of the log.
  const input =
    (await quickInput.count()) === 0
      ? undefined
      : (await field.getAttribute('type')) === 'password'
        ? `${(await field.inputValue()).length} characters, hidden`
        : await field.inputValue();
  return [
    `focus: ${await page().evaluate(() => {
      const element = (globalThis as { document?: { activeElement?: { tagName: string; className: string; getAttribute(name: string): string | null } } })
        .document?.activeElement;
      return element
        ? `${element.tagName.toLowerCase()}.${String(element.className).split(' ').join('.')} ${element.getAttribute('aria-label') ?? ''}`
        : 'none';
    })}`,
    ...(await texts('.quick-input-widget .quick-input-title')).map((title) => `quick input: ${title} [${input ?? ''}]`),
    ...(await texts('.monaco-dialog-box')).map((text) => `dialog: ${text}`),
    ...(await texts('.notification-toast')).map((text) => `notification: ${text}`),
    ...(await texts('.action-widget')).map((text) => `action widget: ${text}`),
  ];
}

/** Widens the sidebar by 200 px, so tree rows show whole in screenshots. */
export async function widenSidebar(): Promise<void> {
  await resizeSidebar((await sidebarWidth()) + 200);
}

/** Sets the sidebar back to the width the workbench first gave it. */
export async function resetSidebarWidth(): Promise<void> {
  await resizeSidebar(defaultWidth!);
}

async function sidebarWidth(): Promise<number> {
  return (await page().locator('.part.sidebar').boundingBox())!.width;
}

/** Drags the sidebar's edge, as a person would, until the sidebar is `width` px wide. */
async function resizeSidebar(width: number): Promise<void> {
  const box = await page().locator('.monaco-sash.primary-sidebar-sash').boundingBox();
  if (box) {
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await page().mouse.move(x, y);
    await page().mouse.down();
    await page().mouse.move(x + width - (await sidebarWidth()), y, { steps: 8 });
    await page().mouse.up();
  }
}

/** The sidebar pane with the given title, e.g. "API Keys". */
export function pane(title: string): Locator {
  return page().locator('.pane', { has: page().locator('.pane-header', { hasText: title }) });
}

export async function openApiKeyGuardView(): Promise<Locator> {
  const keys = pane('API Keys');
  // Clicking the activity bar icon of an open view would close the sidebar.
  if (!(await keys.isVisible())) {
    await page().locator('.activitybar .action-item a[aria-label^="API Key Guard"]').click();
  }
  await keys.locator('.monaco-list-row').first().waitFor();
  return keys;
}

/** Each tree row as "label | description", the way the integration tests read the tree provider. */
export async function rowTexts(container: Locator, withIcon?: string): Promise<string[]> {
  const all = container.locator('.monaco-list-row');
  const rows = await (withIcon ? all.filter({ has: page().locator(withIcon) }) : all).all();
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
  const input = page().locator('.quick-input-widget input');
  // The palette closes when the workbench moves focus before the title is typed (a terminal or a
  // view that opens late: CI met it closing under the fill): open it again, up to three times.
  for (let attempt = 1; ; attempt++) {
    await page().keyboard.press('F1');
    try {
      await input.fill(`>${title}`, { timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  await page().locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page().keyboard.press('Enter');
}

export async function screenshot(name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page().screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Waits for the quick input whose title contains `title`, types `answer` and presses Enter. */
export async function answerQuickInput(title: string | RegExp, answer: string): Promise<void> {
  const widget = page().locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor();
  const input = widget.locator('input.input');
  await input.fill(answer);
  if (answer !== '') {
    // A pick list filters as one types: wait for the row to be there before choosing it.
    const list = widget.locator('.quick-input-list .monaco-list-row');
    if ((await list.count()) > 0) {
      await list.filter({ hasText: answer }).first().waitFor();
    }
  }
  // Into the input itself: an open walkthrough page can take the keyboard focus while it redraws its steps.
  await input.press('Enter');
  // It can also take it between the press's focus and its key, and the question (which ignores focus loss)
  // stays open with the answer in it: a person would click back into the box and press Enter again.
  const question = widget.locator('.quick-input-title', { hasText: title });
  const unanswered = async () => (await question.isVisible()) && (await input.inputValue()) === answer;
  for (const deadline = Date.now() + 2000; Date.now() < deadline && (await unanswered());) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if ((await unanswered()) && !(await input.evaluate((element) => element === element.ownerDocument.activeElement))) {
    await input.press('Enter');
  }
}

/**
 * Answers Add Key's base URL step with another server than the provider's (a local stand-in), and the
 * modal dialog that asks before the key goes there.
 */
export async function answerOtherBaseUrl(baseUrl: string): Promise<void> {
  await answerQuickInput(/: Base URL$/, 'Another base URL');
  // The same step's input box, under the same title: its prompt tells it from the list.
  await page().locator('.quick-input-widget .quick-input-message', { hasText: 'The base URL of the API' }).waitFor();
  await answerQuickInput(/: Base URL$/, baseUrl);
  await clickButton(page().locator('.monaco-dialog-box', { hasText: 'Send the key' }), 'Send It There');
}

/** The notification toast containing `text`. */
export function notification(text: string | RegExp): Locator {
  return page().locator('.notification-toast', { hasText: text });
}

/** Clicks a button of a notification or a modal dialog. */
export async function clickButton(container: Locator, label: string): Promise<void> {
  await container.locator('.monaco-button', { hasText: label }).first().click();
}

/** Closes every notification toast, so the next one is read alone. */
export async function clearNotifications(): Promise<void> {
  await runCommand('Notifications: Clear All Notifications');
}

/**
 * Picks `item` from the context menu of `row`. The item is chosen by pointing at it and pressing Enter:
 * a click can reach the menu while it still ignores the mouse, just after opening.
 */
export async function chooseFromContextMenu(row: Locator, item: string): Promise<void> {
  const menuItem = page().locator('.context-view .action-item', { hasText: item });
  await row.click({ button: 'right' });
  // A right click that lands while the workbench moves focus (a terminal opening, a toast) opens no
  // menu; one more right click then does, where waiting longer would not.
  if (
    !(await menuItem.waitFor({ timeout: 5000 }).then(
      () => true,
      () => false,
    ))
  )
    await row.click({ button: 'right' });
  await menuItem.hover();
  await page().locator('.context-view .action-item.focused', { hasText: item }).waitFor();
  await page().keyboard.press('Enter');
}

/**
 * Where `part` of a tree row's label ends, and where the label's visible room ends: before the ellipsis
 * when the label is cut, which paints over the text without moving it, so the text is measured as laid out.
 */
export async function measureInLabel(row: Locator, part: string): Promise<{ partEnd: number; visibleEnd: number } | undefined> {
  // Runs in the page: the suite is compiled without the DOM's types, so the page's objects go untyped here.
  return row.evaluate((element, text) => {
    const document = element.ownerDocument;
    const label = element.querySelector('.monaco-icon-label-container');
    const SHOW_TEXT = 4;
    const walker = document.createTreeWalker(label, SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent.indexOf(text);
      if (at >= 0) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + text.length);
        const context = document.createElement('canvas').getContext('2d');
        context.font = document.defaultView.getComputedStyle(label).font;
        const ellipsis = label.scrollWidth > label.clientWidth ? context.measureText('…').width : 0;
        return { partEnd: range.getBoundingClientRect().right, visibleEnd: label.getBoundingClientRect().left + label.clientWidth - ellipsis };
      }
    }
    return undefined;
  }, part);
}

/** The tree row whose label is `label`. */
export function treeRow(container: Locator, label: string): Locator {
  return container.locator('.monaco-list-row', { has: page().locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
}
