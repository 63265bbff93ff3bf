// `npm run package`: builds the production bundles and writes api-key-guard-<version>.vsix.
// The bundles carry their dependencies, so node_modules is not shipped (--no-dependencies).
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { ensurePrerequisites, root } = require('./prerequisites');

function packageExtension(outFile, { quiet = false } = {}) {
  const { version, name, repository } = require(path.join(root, 'package.json'));
  const target = outFile ?? path.join(root, `${name}-${version}.vsix`);
  // README links and pictures are relative in the repository; the Marketplace page needs them absolute.
  const repositoryUrl = repository.url.replace(/\.git$/, '');
  const args = [
    'package',
    '--no-dependencies',
    '--out',
    target,
    '--baseContentUrl',
    `${repositoryUrl}/blob/HEAD`,
    '--baseImagesUrl',
    `${repositoryUrl}/raw/HEAD`,
  ];
  execFileSync(process.execPath, [path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), ...args], {
    cwd: root,
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
  });
  return target;
}

module.exports = { packageExtension };

if (require.main === module) {
  ensurePrerequisites({ browser: false, testHost: false });
  packageExtension(process.argv[2]);
}
