/** `api-key-guard install-hook` and `uninstall-hook`: the pre-commit hook of the repository in the current directory. */
import * as fs from 'node:fs';
import { installHook, uninstallHook } from '../core/git/hook';
import { quoteIfName } from '../core/redaction';

const HELP = `Usage: api-key-guard install-hook
       api-key-guard uninstall-hook

install-hook writes a pre-commit hook that runs 'api-key-guard pre-commit' (the staged scan) before
every commit of the repository in the current directory, where core.hooksPath says hooks live.
A hook already there is kept and run first; installing again only updates the hook. The hook
runs this same CLI with this same Node, or else node_modules/.bin/api-key-guard or api-key-guard
on PATH. uninstall-hook removes it and puts back the hook it chained.
Skip the hook for one commit with: git commit --no-verify
`;

export async function runInstall(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return help();
  if (argv.length > 0) return usage('install-hook', argv);
  // The script git will run: this CLI's own file, wherever a package manager linked it from.
  const cli = fs.realpathSync(process.argv[1] ?? __filename);
  return report('install-hook', async () => {
    const installed = await installHook({ cwd: process.cwd() }, { command: process.execPath, args: [cli] });
    return `${installed.updated ? 'Updated' : 'Installed'} the pre-commit hook ${installed.hook}${installed.chained ? `; it runs the hook that was there first (${installed.chained})` : ''}.`;
  });
}

export async function runUninstall(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return help();
  if (argv.length > 0) return usage('uninstall-hook', argv);
  return report('uninstall-hook', async () => {
    const result = await uninstallHook({ cwd: process.cwd() });
    if (!result.removed) return `No API Key Guard hook at ${result.hook}; nothing to remove.`;
    return `Removed the pre-commit hook ${result.hook}${result.restored ? ' and put back the hook it chained' : ''}.`;
  });
}

function help(): number {
  process.stdout.write(HELP);
  return 0;
}

function usage(command: string, argv: string[]): number {
  // An argument is named only when it reads as a name: a key pasted in the wrong place is never echoed.
  const named = quoteIfName(argv[0] ?? '');
  process.stderr.write(
    `api-key-guard ${command}: unexpected argument${named === undefined ? '' : ` ${named}`}; it takes none. Run it inside the repository.\n`,
  );
  return 2;
}

async function report(command: string, work: () => Promise<string>): Promise<number> {
  try {
    process.stdout.write(`${await work()}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`api-key-guard ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}
