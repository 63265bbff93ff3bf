/**
 * Runs test/integration inside VS Code's real Node extension host: VS Code's server with the smoke-test
 * driver, a headless Chromium window on it, and the mocha suite as `extensionTestsPath`.
 * Exit code: the suite's (non-zero when any test fails, 2 when the run itself fails).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { CODE_SERVER_ROOT, NODE24, REPO_ROOT, freePort, launchBrowser, makeRunFolder, startServer, withCleanup } from './testHost';

const RUN_TIMEOUT_MS = 10 * 60 * 1000;
/** Workbench chatter that says nothing about our tests: no gallery, no service worker, no vsda on a closed network. */
const HARMLESS_NOISE =
  /open-vsx\.org|Service Worker|vsda|AccountPolicyGate|AgentHost|reconnection-grace-time|Creating a socket|additional builtin extensions|^\s+at /;

export interface IntegrationRun {
  workspace: string;
  verbose?: boolean;
  /** The extension under development whose `extensionTestsPath` runs; ours and our suite by default. */
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
  /** Extensions installed into the run's extensions folder (Production mode, as a user has them): the files their .vsix ships. */
  installed?: string[];
}

export async function runIntegrationTests(options: IntegrationRun): Promise<number> {
  return withCleanup(async (defer) => {
    const folder = makeRunFolder('integration');
    defer(() => fs.rmSync(folder, { recursive: true, force: true }));
    for (const extension of options.installed ?? []) {
      install(extension, path.join(folder, 'exts'));
    }
    const port = await freePort();
    const server = await startServer(
      NODE24,
      [
        path.join(CODE_SERVER_ROOT, 'lib/vscode/out/server-main.js'),
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--without-connection-token',
        '--accept-server-license-terms',
        '--enable-smoke-test-driver',
        '--disable-telemetry',
        '--disable-workspace-trust',
        '--user-data-dir',
        path.join(folder, 'data'),
        '--server-data-dir',
        path.join(folder, 'server'),
        '--extensions-dir',
        path.join(folder, 'exts'),
      ],
      {
        readyLine: /Extension host agent listening/,
        env: { TMPDIR: path.join(folder, 'tmp'), VSCODE_CLI: undefined },
        url: `http://127.0.0.1:${port}`,
        verbose: options.verbose,
      },
    );
    defer(() => server.stop());

    const browser = await launchBrowser();
    defer(() => browser.close());
    const page = await browser.newPage();
    await page.goto(server.url);
    const configuration = await page.locator('#vscode-workbench-web-configuration').getAttribute('data-settings');
    const authority: string = JSON.parse(configuration ?? '{}').remoteAuthority;
    if (!authority) {
      throw new Error('the workbench page did not say its remote authority');
    }

    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = format(...args);
      if (options.verbose || !HARMLESS_NOISE.test(line)) {
        (type === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));

    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${options.extensionDevelopmentPath ?? REPO_ROOT}`],
      ['extensionTestsPath', `vscode-remote://${authority}${options.extensionTestsPath ?? path.join(REPO_ROOT, 'out/test/integration')}`],
      ['skipWelcome', 'true'],
    ];
    const query = new URLSearchParams({ folder: options.workspace, payload: JSON.stringify(payload) });
    // Not until "load": the workbench's many scripts take longer than goto's 30 s on a loaded machine, and
    // the run is over when the tests call codeAutomationExit (or RUN_TIMEOUT_MS passes), whatever the page's state.
    await page.goto(`${server.url}/?${query.toString()}`, { waitUntil: 'commit' });

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        process.stderr.write(`integration tests did not finish within ${RUN_TIMEOUT_MS / 1000} s\n${server.log()}`);
        resolve(2);
      }, RUN_TIMEOUT_MS);
    });
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    return code;
  });
}

/** Copies what the extension's .vsix ships (the `!` lines of its .vscodeignore) to where VS Code keeps installed extensions. */
function install(extension: string, extensionsFolder: string): void {
  const { publisher, name, version } = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8'));
  const target = path.join(extensionsFolder, `${publisher}.${name}-${version}`);
  const shipped = fs
    .readFileSync(path.join(extension, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1).trim());
  for (const file of shipped) {
    fs.cpSync(path.join(extension, file), path.join(target, file), { recursive: true });
  }
}

/** Our suite, then the isolation suite: another extension, beside ours installed as a user has it, tries to read a key. */
async function runAll(verbose: boolean): Promise<number> {
  const workspace = path.join(REPO_ROOT, 'test/fixtures/sample-workspace');
  const ours = await runIntegrationTests({ workspace, verbose });
  const prying = path.join(REPO_ROOT, 'test/fixtures/prying-extension');
  const isolation = await runIntegrationTests({ workspace, verbose, extensionDevelopmentPath: prying, extensionTestsPath: prying, installed: [REPO_ROOT] });
  return Math.max(ours, isolation);
}

if (require.main === module) {
  runAll(process.env.AKG_VERBOSE === '1').then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`integration run failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
