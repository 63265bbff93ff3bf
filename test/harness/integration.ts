/**
 * Runs test/integration inside VS Code's real Node extension host: VS Code's server with the smoke-test
 * driver, a headless Chromium window on it, and the mocha suite as `extensionTestsPath`.
 * Exit code: the suite's (non-zero when any test fails, 2 when the run itself fails).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { REPO_ROOT, freePort, launchBrowser, makeRunFolder, startServer, testHost, withCleanup, type TestHost, type TestHostName } from './testHost';

const RUN_TIMEOUT_MS = 10 * 60 * 1000;
/** Workbench chatter that says nothing about our tests: no gallery, no service worker, no vsda on a closed network. */
const HARMLESS_NOISE =
  /open-vsx\.org|Service Worker|vsda|AccountPolicyGate|AgentHost|reconnection-grace-time|Creating a socket|additional builtin extensions|^\s+at /;

export interface IntegrationRun {
  workspace: string;
  /** The VS Code to run in. */
  host: TestHost;
  verbose?: boolean;
  /** The extension under development whose `extensionTestsPath` runs; ours and our suite by default. */
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
  /** Extensions installed into the run's extensions folder (Production mode, as a user has them): the files their .vsix ships. */
  installed?: string[];
}

export async function runIntegrationTests(options: IntegrationRun): Promise<number> {
  return withCleanup(async (defer) => {
    // VS Code 1.105 ignores VSCODE_SKIP_BUILTIN_EXTENSIONS (below): there TypeScript runs its syntax server only, so it
    // registers no semantic providers (quick fixes among them) whose server start a JavaScript document's code actions
    // would wait on, and cancels them with.
    const folder = makeRunFolder('integration', { 'typescript.tsserver.useSyntaxServer': 'always' });
    defer(() => fs.rmSync(folder, { recursive: true, force: true }));
    for (const extension of options.installed ?? []) {
      install(extension, path.join(folder, 'exts'));
    }
    const port = await freePort();
    const server = await startServer(
      options.host.node,
      [
        path.join(options.host.codeServer, 'lib/vscode/out/server-main.js'),
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
        env: {
          TMPDIR: path.join(folder, 'tmp'),
          VSCODE_CLI: undefined,
          // Code actions for a JavaScript document wait for TypeScript's language server, whose start on a loaded
          // machine outlasts a test's timeout; nothing of ours depends on it, so the built-in is left out.
          VSCODE_SKIP_BUILTIN_EXTENSIONS: 'vscode.typescript-language-features',
        },
        url: `http://127.0.0.1:${port}`,
        verbose: options.verbose,
      },
    );
    defer(() => server.stop());

    const browser = await launchBrowser();
    defer(() => browser.close());
    const page = await browser.newPage();
    const authority = await readRemoteAuthority(server.url);

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

const ATTRIBUTE_ENTITIES: Readonly<Record<string, string>> = { quot: '"', amp: '&', lt: '<', gt: '>', '#39': "'" };

/**
 * The remote authority the workbench page names in its configuration, read from the page's HTML: loading the
 * whole workbench in the browser only to read it doubled the browser's work per run.
 */
async function readRemoteAuthority(url: string): Promise<string> {
  const html = await (await fetch(url)).text();
  const attribute = /id="vscode-workbench-web-configuration"[^>]*\bdata-settings="([^"]*)"/.exec(html)?.[1];
  const settings = JSON.parse(attribute?.replace(/&(quot|amp|lt|gt|#39);/g, (_m, name: string) => ATTRIBUTE_ENTITIES[name]!) ?? '{}') as {
    remoteAuthority?: string;
  };
  if (!settings.remoteAuthority) {
    throw new Error('the workbench page did not say its remote authority');
  }
  return settings.remoteAuthority;
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

/**
 * Our suite, then, in the current VS Code, the isolation suite: another extension, beside ours installed as a user
 * has it, tries to read a key. The oldest VS Code runs our suite only, which keeps the two runs within the time
 * `npm test` has: what another extension can reach is our code's doing, and the current run proves it.
 */
async function runAll(name: TestHostName, verbose: boolean): Promise<number> {
  const host = testHost(name);
  process.stdout.write(`integration tests in VS Code ${host.vscodeVersion}\n`);
  const workspace = path.join(REPO_ROOT, 'test/fixtures/sample-workspace');
  const ours = await runIntegrationTests({ workspace, host, verbose });
  if (name !== 'current') {
    return ours;
  }
  const prying = path.join(REPO_ROOT, 'test/fixtures/prying-extension');
  const isolation = await runIntegrationTests({
    workspace,
    host,
    verbose,
    extensionDevelopmentPath: prying,
    extensionTestsPath: prying,
    installed: [REPO_ROOT],
  });
  return Math.max(ours, isolation);
}

// `node out/test/harness/integration.js [current|minimum]`: the suites of one test host (default: current).
if (require.main === module) {
  runAll((process.argv[2] ?? 'current') as TestHostName, process.env.AKG_VERBOSE === '1').then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`integration run failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
