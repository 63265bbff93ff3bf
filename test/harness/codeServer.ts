/**
 * code-server with the packaged extension installed: what a user of VS Code in the browser sees.
 * Serves `npm start` and the e2e suite alike.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, makeRunFolder, startServer, testHost, type RunningServer } from './testHost';

const { node: NODE, codeServer } = testHost('current');
const ENTRY = path.join(codeServer, 'out/node/entry.js');

export interface CodeServer extends RunningServer {
  /** The URL that opens `workspace` in the workbench. */
  readonly workspaceUrl: string;
  readonly folder: string;
}

export async function startCodeServer(options: {
  vsix: string;
  workspace: string;
  port?: number;
  settings?: Record<string, unknown>;
  keepFolder?: boolean;
}): Promise<CodeServer> {
  const folder = makeRunFolder('code-server', options.settings);
  const common = ['--user-data-dir', path.join(folder, 'data'), '--extensions-dir', path.join(folder, 'exts')];
  const env = { ...process.env, TMPDIR: path.join(folder, 'tmp') };
  execFileSync(NODE, [ENTRY, ...common, '--install-extension', options.vsix], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = options.port ?? (await freePort());
  const configFile = path.join(folder, 'config.yaml');
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const server = await startServer(
    NODE,
    [
      ENTRY,
      ...common,
      '--config',
      configFile,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      options.workspace,
    ],
    { readyLine: /HTTP server listening/, env: { TMPDIR: path.join(folder, 'tmp') }, url: `http://127.0.0.1:${port}` },
  );
  return {
    ...server,
    folder,
    workspaceUrl: `${server.url}/?folder=${encodeURIComponent(options.workspace)}`,
    stop: async () => {
      await server.stop();
      if (!options.keepFolder) {
        fs.rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
