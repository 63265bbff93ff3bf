import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const MANIFEST = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

/** The settings a workspace may set, because a team shares them; an untrusted workspace's values are ignored. */
const WORKSPACE_SETTINGS = ['apiKeyGuard.lint.enabled', 'apiKeyGuard.lint.disabledLanguages', 'apiKeyGuard.lint.exclude', 'apiKeyGuard.lint.testPaths'];

describe('settings a cloned repository could abuse', () => {
  const properties: Record<string, { scope?: string }> = MANIFEST.contributes.configuration.properties;

  it('are user settings only (application scope), except the linter settings a team shares', () => {
    const notUserOnly = Object.entries(properties)
      .filter(([setting, schema]) => !WORKSPACE_SETTINGS.includes(setting) && schema.scope !== 'application')
      .map(([setting]) => setting);
    assert.deepEqual(notUserOnly, []);
  });

  it('take no value from an untrusted workspace: the linter settings a workspace may set are restricted', () => {
    assert.deepEqual(MANIFEST.capabilities.untrustedWorkspaces.restrictedConfigurations, WORKSPACE_SETTINGS);
    for (const setting of WORKSPACE_SETTINGS) {
      assert.equal(properties[setting]?.scope, 'resource', `${setting} may differ per folder`);
    }
  });
});
