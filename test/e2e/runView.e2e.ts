import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TEST_PARAMS } from '../fixtures/providerServers';
import { REPO_ROOT } from '../harness/testHost';
import { answerQuickInput, clickButton, notification, openApiKeyGuardView, page, runCommand, screenshot, treeRow } from './workbench';

const KEY = 'upz_live_RunView7Kq2Vw9Lm4Tz8Hc3Nd6Bf0Js';

describe('a launch configuration that names a key, started from the Run view', () => {
  const vscodeFolder = path.join(REPO_ROOT, 'test/fixtures/sample-workspace/.vscode');
  const launchFile = path.join(vscodeFolder, 'launch.json');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'akg-run-view-'));
  const report = path.join(scratch, 'report.txt');
  const hadFolder = fs.existsSync(vscodeFolder);

  before(() => {
    const program = path.join(scratch, 'report.js');
    fs.writeFileSync(
      program,
      `require('node:fs').writeFileSync(process.argv[3], require('node:crypto').createHash('sha256').update(process.env[process.argv[2]] ?? 'unset').digest('hex'));\n`,
    );
    fs.mkdirSync(vscodeFolder, { recursive: true });
    const configuration = {
      type: 'node',
      request: 'launch',
      name: 'Report the key',
      program,
      args: ['UPPZY_API_KEY', report],
      console: 'internalConsole',
      apiKeyGuard: { UPPZY_API_KEY: 'run-view-bot' },
    };
    fs.writeFileSync(launchFile, JSON.stringify({ version: '0.2.0', configurations: [configuration] }, null, 2));
  });
  after(() => {
    fs.rmSync(hadFolder ? launchFile : vscodeFolder, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('asks whether the workspace may use the key, then the program gets it', async function () {
    this.timeout(120000);
    const keys = await openApiKeyGuardView();
    await runCommand('API Key Guard: Add Key…');
    await answerQuickInput(/: Provider$/, 'Uppzy M2M API');
    await answerQuickInput(/: Name$/, 'run-view-bot');
    await answerQuickInput(/: Environment$/, 'development');
    await answerQuickInput(/: Key$/, KEY);
    await answerQuickInput(/: Tenant ID$/, TEST_PARAMS.uppzy!.tenantId!);
    await answerQuickInput(/: Base URL$/, 'Default');
    await answerQuickInput(/: Expiry$/, '');
    await notification("Saved Uppzy M2M API key 'run-view-bot'").waitFor();
    await treeRow(keys, 'run-view-bot').waitFor();

    await runCommand('View: Show Run and Debug');
    // The workspace's one configuration is the one selected beside the Start button.
    const start = page().locator('.start-debug-action-item', { hasText: 'Report the key' });
    await start.waitFor();
    await start.locator('.codicon-debug-start').click();
    const question = page().locator('.monaco-dialog-box', { hasText: "use the key 'run-view-bot'" });
    await question.waitFor();
    await screenshot('run-view-key-access');
    await clickButton(question, 'Allow');
    for (const deadline = Date.now() + 60000; !fs.existsSync(report);) {
      assert.ok(Date.now() < deadline, 'the program reported within a minute');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(fs.readFileSync(report, 'utf8'), createHash('sha256').update(KEY).digest('hex'), 'the program received the key');
    assert.ok(!fs.readFileSync(launchFile, 'utf8').includes(KEY), 'launch.json still names the key only');
    assert.ok(!(await page().content()).includes(KEY), 'the key is nowhere on the page');
  });
});
