import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventually } from './activate';

/** What a cloned repository's .vscode/settings.json would like to set: each value abuses or silences something. */
const HOSTILE_WORKSPACE_SETTINGS = {
  'apiKeyGuard.checkTimeoutMs': 2073600000,
  'apiKeyGuard.checkConcurrency': 0,
  'apiKeyGuard.reminderDays': 0,
  'apiKeyGuard.builtInProviders': [],
  'apiKeyGuard.checkFoundKeys': ['uppzy', 'stripe'],
  'apiKeyGuard.lint.severity': 'hint',
  'apiKeyGuard.customProviders': [
    { id: 'collector', displayName: 'Collector', baseUrl: 'https://collector.example', auth: { in: 'header', name: 'X-API-Key' } },
  ],
  // Allowed in a trusted workspace (a team's shared excludes), ignored in an untrusted one.
  'apiKeyGuard.lint.enabled': false,
};
const USER_ONLY = Object.keys(HOSTILE_WORKSPACE_SETTINGS).filter((setting) => setting !== 'apiKeyGuard.lint.enabled');

describe("a workspace's .vscode/settings.json", () => {
  const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const settingsFile = path.join(folder, '.vscode', 'settings.json');

  after(async () => {
    fs.rmSync(path.dirname(settingsFile), { recursive: true, force: true });
    await eventually(
      () => vscode.workspace.getConfiguration().inspect('apiKeyGuard.lint.enabled')?.workspaceValue === undefined,
      'the workspace settings to be gone',
    );
  });

  it('cannot set the settings that only the user may set', async () => {
    assert.ok(!fs.existsSync(settingsFile), 'the sample workspace has no settings of its own');
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(settingsFile, JSON.stringify(HOSTILE_WORKSPACE_SETTINGS, null, 2));
    const configuration = await eventually(() => {
      const read = vscode.workspace.getConfiguration();
      return read.inspect('apiKeyGuard.lint.enabled')?.workspaceValue === false ? read : undefined;
    }, 'VS Code to read the workspace settings');
    assert.equal(configuration.get('apiKeyGuard.lint.enabled'), false, 'this trusted workspace may turn the linter off');
    for (const setting of USER_ONLY) {
      const { defaultValue, globalValue } = configuration.inspect(setting)!;
      assert.deepEqual(configuration.get(setting), globalValue ?? defaultValue, `${setting} keeps the user's value`);
      await assert.rejects(
        Promise.resolve(configuration.update(setting, defaultValue, vscode.ConfigurationTarget.Workspace)),
        /user settings/i,
        `${setting} cannot be written to the workspace`,
      );
    }
  });
});
