// `npm run test:electron`: the same integration suite in a desktop VS Code downloaded by
// @vscode/test-electron, for machines with internet (these CI machines use scripts/test.js instead).
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');

async function main() {
  const root = path.resolve(__dirname, '..');
  await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [path.join(root, 'test', 'fixtures', 'sample-workspace'), '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
