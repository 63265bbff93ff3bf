/**
 * The real VS Code these tests run in: VS Code's server build from the `code-server` npm package
 * (on Node 24 from npm), driven by Debian's Chromium through playwright-core. See ../../README.md#development.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** `current`: today's VS Code; `minimum`: the oldest that engines.vscode accepts (scripts/prerequisites.js pins both). */
export type TestHostName = 'current' | 'minimum';

export interface TestHost {
  /** The Node that VS Code's server of this version requires. */
  readonly node: string;
  /** The code-server package, with VS Code's server in lib/vscode. */
  readonly codeServer: string;
  readonly vscodeVersion: string;
}

const prerequisites = require(path.join(REPO_ROOT, 'scripts', 'prerequisites.js')) as {
  testHostPaths(name: TestHostName): { node: string; codeServer: string };
  testHostVersion(name: TestHostName): string;
};

export function testHost(name: TestHostName = 'current'): TestHost {
  return { ...prerequisites.testHostPaths(name), vscodeVersion: prerequisites.testHostVersion(name) };
}
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Settings that keep a test window quiet: no startup editor, telemetry, update checks or AI features. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  // Git on, for the staged-changes tests, but opening only the repositories a test opens.
  'git.enabled': true,
  'git.autoRepositoryDetection': false,
  'git.openRepositoryInParentFolders': 'never',
  'git.autofetch': false,
  'security.workspace.trust.enabled': false,
  'window.commandCenter': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A throwaway folder for one run: user data, extensions, TMPDIR. Removed by `dispose`. */
export function makeRunFolder(prefix: string, settings: Record<string, unknown> = {}): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `akg-${prefix}-`));
  const userFolder = path.join(folder, 'data', 'User');
  fs.mkdirSync(userFolder, { recursive: true });
  fs.writeFileSync(path.join(userFolder, 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  fs.mkdirSync(path.join(folder, 'tmp'));
  return folder;
}

export interface RunningServer {
  readonly url: string;
  readonly log: () => string;
  stop(): Promise<void>;
}

/** Starts a server process in its own process group and resolves once `readyLine` appears in its output. */
export async function startServer(
  command: string,
  args: string[],
  options: { readyLine: RegExp; env?: NodeJS.ProcessEnv; url: string; timeoutMs?: number; verbose?: boolean },
): Promise<RunningServer> {
  const child: ChildProcess = spawn(command, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${options.timeoutMs ?? 60000} ms:\n${output}`)), options.timeoutMs ?? 60000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.verbose) {
        process.stderr.write(chunk);
      }
      if (options.readyLine.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code} before it was ready:\n${output}`));
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) {
      return;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const forced = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    await exited;
    clearTimeout(forced);
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: options.url, log: () => output, stop };
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}; run 'npm test' once to install it (Debian package 'chromium').`);
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Runs `body`, then every cleanup in reverse order even if `body` threw. */
export async function withCleanup<T>(body: (defer: (cleanup: () => unknown) => void) => Promise<T>): Promise<T> {
  const cleanups: Array<() => unknown> = [];
  try {
    return await body((cleanup) => cleanups.push(cleanup));
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        process.stderr.write(`cleanup failed: ${String(error)}\n`);
      }
    }
  }
}
