import * as assert from 'node:assert/strict';
import { TEST_KEYS, TEST_PARAMS, startProviderServer, type ProviderServer } from '../fixtures/providerServers';
import {
  answerOtherBaseUrl,
  answerQuickInput,
  chooseFromContextMenu,
  clearNotifications,
  clickButton,
  notification,
  openApiKeyGuardView,
  page,
  runCommand,
  screenshot,
  treeRow,
} from './workbench';

/** The suite's first file (by name): the walkthrough is met in a workbench where no key was added yet. */
describe('a first run, through the walkthrough', () => {
  let server: ProviderServer;

  before(async () => {
    server = await startProviderServer('uppzy');
  });

  const step = (id: string) => page().locator(stepSelector(id));
  /** Opens a step and presses the button its description offers. */
  const pressStepButton = async (id: string, label: string) => {
    await step(id).click();
    await page()
      .locator(`${stepSelector(id)}[aria-expanded="true"] .monaco-button`, { hasText: label })
      .click();
  };
  const steps = ['addKey', 'checkKey', 'scanWorkspace', 'giveKey'];

  it('opens from the palette with its four steps, none done yet', async () => {
    // A newcomer opens the view first; the palette has our commands once the extension is there.
    await openApiKeyGuardView();
    await runCommand('API Key Guard: Get Started');
    await page().getByText('Get Started with API Key Guard').first().waitFor();
    for (const id of steps) {
      assert.equal(await step(id).getAttribute('aria-checked'), 'false', `${id} is not done yet`);
    }
    await screenshot('walkthrough');
  });

  it('ticks each step once the user has done it, from an empty tree to a key in a terminal', async () => {
    await pressStepButton('addKey', 'Add a Key');
    await answerQuickInput(/: Provider$/, 'Uppzy M2M API');
    await answerQuickInput(/: Name$/, 'demo-bot');
    await answerQuickInput(/: Environment$/, 'development');
    await answerQuickInput(/: Key$/, TEST_KEYS.uppzy!);
    await answerQuickInput(/: Tenant ID$/, TEST_PARAMS.uppzy!.tenantId!);
    // The local stand-in instead of the real API, as the sample workspace's README tells a newcomer: at Add Key's base URL step.
    await answerOtherBaseUrl(server.baseUrl);
    await answerQuickInput(/: Expiry$/, '');
    await notification("Saved Uppzy M2M API key 'demo-bot'").waitFor();
    await page()
      .locator(`${stepSelector('addKey')}[aria-checked="true"]`)
      .waitFor();
    assert.equal(await step('checkKey').getAttribute('aria-checked'), 'false', 'a saved key is not yet a working one');

    await pressStepButton('checkKey', 'Check All Keys');
    await page()
      .locator(`${stepSelector('checkKey')}[aria-checked="true"]`)
      .waitFor();
    assert.equal(server.requests.at(-1)?.headers['x-api-key'], TEST_KEYS.uppzy);

    await pressStepButton('scanWorkspace', 'Scan Workspace');
    await page()
      .locator(`${stepSelector('scanWorkspace')}[aria-checked="true"]`)
      .waitFor();

    await pressStepButton('giveKey', 'Set as Terminal Variable');
    await answerQuickInput('Set as Terminal Variable', 'demo-bot');
    await answerQuickInput("'demo-bot' in every new terminal", 'UPPZY_API_KEY');
    await clickButton(page().locator('.monaco-dialog-box', { hasText: 'Give every new terminal' }), 'Set Variable');
    await page()
      .locator(`${stepSelector('giveKey')}[aria-checked="true"]`)
      .waitFor();
    await screenshot('walkthrough-done');
    assert.ok(!(await page().content()).includes(TEST_KEYS.uppzy!), 'the key is nowhere on the page');
  });

  after(async () => {
    try {
      // The key's life is another file's story: leave the workbench as this file found it.
      const keys = await openApiKeyGuardView();
      if ((await treeRow(keys, 'demo-bot').count()) > 0) {
        await chooseFromContextMenu(treeRow(keys, 'demo-bot'), 'Remove Key…');
        await clickButton(page().locator('.monaco-dialog-box', { hasText: "Remove the key 'demo-bot'" }), 'Remove');
        await treeRow(keys, 'demo-bot').waitFor({ state: 'detached' });
      }
      // A row without children: a click focuses the tree (for F1) and expands nothing.
      await treeRow(keys, 'Sales Layer').click();
      await runCommand('View: Close All Editors');
      await clearNotifications();
    } finally {
      // Whatever failed above: a server left listening keeps mocha from ever exiting.
      await server.close();
    }
  });
});

function stepSelector(id: string): string {
  return `button.getting-started-step[data-step-id$="#${id}"]`;
}
