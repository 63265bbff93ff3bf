// `npm start`: builds and packages the extension, installs it into a local VS Code in the browser
// (code-server on 127.0.0.1) with the sample workspace open, and prints the URL. Ctrl+C stops it.
// `npm start -- --port 9000` picks the port (default 8080); `--workspace <folder>` opens another folder.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { ensurePrerequisites, root } = require('./prerequisites');
const { packageExtension } = require('./package');

async function main() {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: process.env.PORT ?? '8080' }, workspace: { type: 'string' } },
  });
  ensurePrerequisites({ browser: false, testHost: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', root], { cwd: root, stdio: 'inherit' });
  const vsix = packageExtension(undefined, { quiet: true });
  const { startCodeServer } = require(path.join(root, 'out', 'test', 'harness', 'codeServer.js'));
  const workspace = path.resolve(values.workspace ?? path.join(root, 'test', 'fixtures', 'sample-workspace'));
  const server = await startCodeServer({ vsix, workspace, port: Number(values.port) });
  process.stdout.write(`\nAPI Key Guard is running in VS Code at:\n\n  ${server.workspaceUrl}\n\nPress Ctrl+C to stop.\n`);
  const stop = () => server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`npm start: ${error.message}\n`);
  process.exit(1);
});
