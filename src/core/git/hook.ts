/**
 * The pre-commit hook: a small POSIX shell script in the folder git runs hooks from (which
 * `core.hooksPath` may move; `git rev-parse --git-path hooks` says where). A hook already there is
 * kept beside it and run first (it may still change what is staged), so installing chains rather
 * than replaces, and removing puts it back. Installing again rewrites only our own script.
 *
 * The script must find a JavaScript runtime and the CLI however API Key Guard was installed, and
 * tries, in order: the launcher recorded when it was installed (the CLI that installed it, run by
 * the same Node; or the extension's launcher, which the extension rewrites each time it starts
 * because its folder changes with every update, and which runs the bundled CLI with VS Code's own
 * runtime, since VS Code's Node is on no PATH); the project's `node_modules/.bin`; `api-key-guard`
 * on PATH. If none is there, the commit stops and says why and how to skip or remove the hook.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runGit, topLevel, type GitOptions } from './git';

/** The line that marks a hook as ours. */
const MARK = '# api-key-guard pre-commit hook';
/** Where an earlier hook is kept while ours is installed. */
export const CHAINED_SUFFIX = '.chained-by-api-key-guard';

/** How the hook starts the CLI: an executable, and the arguments before `pre-commit`. */
export interface Launcher {
  readonly command: string;
  readonly args: readonly string[];
}

export interface HookInstall {
  readonly hook: string;
  /** The hook that was there before, now run first from here. */
  readonly chained: string | undefined;
  /** True when the hook was ours already and was only rewritten. */
  readonly updated: boolean;
}

/** The pre-commit hook's path, `core.hooksPath` honoured. */
export async function hookPath(options: GitOptions): Promise<string> {
  // Asked from the top of the work tree, where hooks run and a relative core.hooksPath starts.
  const top = await topLevel(options);
  const hooks = (await runGit({ ...options, cwd: top }, ['rev-parse', '--git-path', 'hooks'])).replace(/\r?\n$/, '');
  return path.join(path.resolve(top, hooks), 'pre-commit');
}

export function isOurHook(content: string): boolean {
  return content.includes(MARK);
}

export async function installHook(options: GitOptions, launcher: Launcher): Promise<HookInstall> {
  const hook = await hookPath(options);
  const chained = hook + CHAINED_SUFFIX;
  const existing = readIfThere(hook);
  const ours = existing !== undefined && isOurHook(existing);
  if (existing !== undefined && !ours) {
    if (fs.existsSync(chained)) {
      throw new Error(
        `${hook} is another hook, and ${chained} already holds the one API Key Guard chained before; merge or remove one of them, then install again.`,
      );
    }
    fs.renameSync(hook, chained);
  }
  fs.mkdirSync(path.dirname(hook), { recursive: true });
  fs.writeFileSync(hook, hookScript(launcher), { mode: 0o755 });
  fs.chmodSync(hook, 0o755);
  return { hook, chained: fs.existsSync(chained) ? chained : undefined, updated: ours };
}

/** Removes our hook and puts back the one it chained; a hook that is not ours is left alone (the result says so). */
export async function uninstallHook(options: GitOptions): Promise<{ hook: string; removed: boolean; restored: boolean }> {
  const hook = await hookPath(options);
  const existing = readIfThere(hook);
  if (existing === undefined || !isOurHook(existing)) return { hook, removed: false, restored: false };
  fs.rmSync(hook);
  const chained = hook + CHAINED_SUFFIX;
  const restored = fs.existsSync(chained);
  if (restored) fs.renameSync(chained, hook);
  return { hook, removed: true, restored };
}

function readIfThere(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A word for `sh`, quoted so no character in it means anything to the shell; backslashes become slashes on Windows, for Git's sh. */
export function shellQuote(word: string): string {
  const portable = process.platform === 'win32' ? word.replace(/\\/g, '/') : word;
  return `'${portable.replace(/'/g, `'\\''`)}'`;
}

function hookScript(launcher: Launcher): string {
  const recorded = [launcher.command, ...launcher.args].map(shellQuote).join(' ');
  // The runtime, and the script it runs when there is one: either may be gone since (a Node upgraded, a package removed).
  const present = [`[ -x ${shellQuote(launcher.command)} ]`, ...launcher.args.slice(0, 1).map((script) => `[ -f ${shellQuote(script)} ]`)].join(' && ');
  return `#!/bin/sh
${MARK}: stops a commit that adds an API key or another secret.
# Written by 'api-key-guard install-hook' (or the VS Code command "API Key Guard: Install Pre-commit
# Hook"); 'api-key-guard uninstall-hook' removes it and puts back the hook it chained.
# To commit once without it: git commit --no-verify
chained="\${0%/*}/pre-commit${CHAINED_SUFFIX}"
if [ -x "$chained" ]; then
  "$chained" "$@" || exit $?
fi
# The staged scan opens no connection, and Node reads NODE_EXTRA_CA_CERTS at every start whether or
# not it connects (tens of milliseconds for a system bundle): the scan starts without it.
unset NODE_EXTRA_CA_CERTS
if ${present}; then
  exec ${recorded} pre-commit
elif [ -x node_modules/.bin/api-key-guard ]; then
  exec node_modules/.bin/api-key-guard pre-commit
elif command -v api-key-guard >/dev/null 2>&1; then
  exec api-key-guard pre-commit
fi
echo "API Key Guard: the pre-commit hook cannot find api-key-guard (${launcher.command.replace(/["$`\\]/g, '')} is gone). Install it again (npm install --save-dev api-key-guard, or the VS Code extension), commit with --no-verify to skip the check once, or remove $0." >&2
exit 1
`;
}
