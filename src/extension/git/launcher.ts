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
  const script = launcherScript(extensionFolder, process.execPath);
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

/**
 * The launcher's text. When the extension's folder is gone (VS Code updated it and has not started
 * it since), it runs the CLI of the newest version installed beside it: versions compared number
 * by number (0.10.0 is newer than 0.9.0), a platform suffix (`-linux-x64`) ignored.
 */
export function launcherScript(extensionFolder: string, runtime: string): string {
  // Every installed version's folder: the name without its version, then any version.
  const prefix = `${path.dirname(extensionFolder)}/${path.basename(extensionFolder).replace(/-\d[^/\\]*$/, '')}-`;
  return `#!/bin/sh
# Written by the API Key Guard extension each time it starts: runs the CLI it bundles with VS Code's runtime.
# Whether version $1 is newer than $2, compared number by number.
newer() {
  a=$1 b=$2
  while [ -n "$a$b" ]; do
    x=\${a%%.*} y=\${b%%.*}
    [ "\${x:-0}" -gt "\${y:-0}" ] 2>/dev/null && return 0
    [ "\${x:-0}" -lt "\${y:-0}" ] 2>/dev/null && return 1
    case $a in *.*) a=\${a#*.} ;; *) a= ;; esac
    case $b in *.*) b=\${b#*.} ;; *) b= ;; esac
  done
  return 1
}
cli=${shellQuote(path.join(extensionFolder, 'dist', 'cli.js'))}
if [ ! -f "$cli" ]; then
  prefix=${shellQuote(prefix)}
  newest=
  for candidate in "$prefix"*/dist/cli.js; do
    [ -f "$candidate" ] || continue
    version=\${candidate#"$prefix"}
    version=\${version%%/*}
    version=\${version%%-*}
    case $version in [0-9]*) ;; *) continue ;; esac
    if [ -z "$newest" ] || newer "$version" "$newest"; then newest=$version cli=$candidate; fi
  done
fi
runtime=${shellQuote(runtime)}
[ -x "$runtime" ] || runtime=node
ELECTRON_RUN_AS_NODE=1 exec "$runtime" "$cli" "$@"
`;
}
