/**
 * The launcher a pre-commit hook installed from VS Code runs: a small shell script at a fixed place
 * in the extension's global storage, rewritten each time the extension starts, since the
 * extension's own folder changes with every update. It runs the CLI the extension bundles with the
 * runtime VS Code runs extensions with (`process.execPath`: Electron in desktop VS Code, which acts
 * as Node with ELECTRON_RUN_AS_NODE=1; Node itself in a server), so no Node needs to be on PATH.
 * If VS Code updated the extension and has not started it since, it finds the newest version.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { shellQuote, type Launcher } from '../../core/git/hook';

/** Writes the launcher (when it changed) and returns how a hook runs it; undefined where global storage is not on disk. */
export function writeLauncher(context: vscode.ExtensionContext): Launcher | undefined {
  if (context.globalStorageUri.scheme !== 'file') return undefined;
  const file = path.join(context.globalStorageUri.fsPath, 'bin', 'api-key-guard');
  const extensionFolder = context.extensionPath;
  // Every installed version's CLI: the folder name without its version, then any version.
  const versions = `${shellQuote(path.dirname(extensionFolder))}/${shellQuote(path.basename(extensionFolder).replace(/-\d[^/\\]*$/, ''))}-*/dist/cli.js`;
  const script = `#!/bin/sh
# Written by the API Key Guard extension each time it starts: runs the CLI it bundles with VS Code's runtime.
cli=${shellQuote(path.join(extensionFolder, 'dist', 'cli.js'))}
if [ ! -f "$cli" ]; then
  for candidate in ${versions}; do [ -f "$candidate" ] && cli=$candidate; done
fi
runtime=${shellQuote(process.execPath)}
[ -x "$runtime" ] || runtime=node
ELECTRON_RUN_AS_NODE=1 exec "$runtime" "$cli" "$@"
`;
  let current: string | undefined;
  try {
    current = fs.readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== script) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, script, { mode: 0o755 });
  }
  return { command: file, args: [] };
}
