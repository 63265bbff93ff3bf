// `npm start`: builds and packages the extension, installs it into a local VS Code in the browser
// (code-server on 127.0.0.1) with the sample workspace open, and prints the URL. Ctrl+C stops it.
// Local stand-ins of the four built-in providers listen on 127.0.0.1 beside it, so a key can be added and
// checked without a provider account (the sample workspace's README lists their demo keys and base URLs).
// `npm start -- --port 9000` picks the port (default 8080); `--stand-in-port 7401` the stand-ins' first
// port (they take four in a row); `--workspace <folder>` opens another folder.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { ensurePrerequisites, root } = require('./prerequisites');
const { packageExtension } = require('./package');

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8080' },
      'stand-in-port': { type: 'string', default: '7401' },
      workspace: { type: 'string' },
    },
  });
  ensurePrerequisites({ browser: false, testHost: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', root], { cwd: root, stdio: 'inherit' });
  const vsix = packageExtension(undefined, { quiet: true });
  const { startCodeServer } = require(path.join(root, 'out', 'test', 'harness', 'codeServer.js'));
  const workspace = path.resolve(values.workspace ?? path.join(root, 'test', 'fixtures', 'sample-workspace'));
  const standIns = await startStandIns(Number(values['stand-in-port']));
  const server = await startCodeServer({ vsix, workspace, port: Number(values.port) });
  process.stdout.write(`\nAPI Key Guard is running in VS Code at:\n\n  ${server.workspaceUrl}\n\n`);
  process.stdout.write(`Local stand-ins of the built-in providers (fake demo keys, on this machine only):\n\n${standIns.table}\nPress Ctrl+C to stop.\n`);
  const stop = () => Promise.all([server.stop(), ...standIns.servers.map((standIn) => standIn.close())]).then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** One stand-in per built-in provider, on consecutive ports from `firstPort`, answering as its documentation says. */
async function startStandIns(firstPort) {
  const { startProviderServer, TEST_KEYS, TEST_PARAMS } = require(path.join(root, 'out', 'test', 'fixtures', 'providerServers.js'));
  const servers = [];
  const rows = [];
  for (const [offset, providerId] of ['saleslayer', 'uppzy', 'scaleflex', 'layerx402'].entries()) {
    const port = firstPort + offset;
    const server = await startProviderServer(providerId, undefined, port).catch((error) => {
      throw new Error(
        `the ${providerId} stand-in cannot listen on 127.0.0.1:${port} (${error.code ?? error.message}): pass --stand-in-port <another first port>`,
      );
    });
    servers.push(server);
    const params = Object.entries(TEST_PARAMS[providerId]).map(([name, value]) => `${name} ${value}`);
    rows.push(
      `  ${providerId.padEnd(11)} base URL ${server.baseUrl}\n  ${''.padEnd(11)} key      ${TEST_KEYS[providerId]}${params.length ? `\n  ${''.padEnd(11)} ${params.join(', ')}` : ''}\n`,
    );
  }
  return { servers, table: rows.join('') };
}

main().catch((error) => {
  process.stderr.write(`npm start: ${error.message}\n`);
  process.exit(1);
});
