import { version } from '../../package.json';
import { quoteIfName } from '../core/redaction';
import { escapeTerminalText } from '../core/terminalText';

const USAGE = `api-key-guard ${version}: keep API keys out of source code and prove they work.

Usage:
  api-key-guard scan [paths...] [options]     find hardcoded keys (exit 1 when any are found)
  api-key-guard scan --staged | --history [range]  the next commit, or the lines commits added
  api-key-guard check --provider <id> [options]  run one connectivity check (exit 1 unless ok)
  api-key-guard install-hook | uninstall-hook     a pre-commit hook that runs the staged scan
  api-key-guard pre-commit                    what that hook runs (for husky, lefthook, pre-commit)
  api-key-guard <command> --help              options of one command
  api-key-guard --version

Exit codes: 0 clean or ok, 1 findings or a failed check, 2 usage or configuration error.
`;

type CommandModule = { run(argv: string[]): Promise<number> };

// Each command is loaded on demand so `scan` never pays for the HTTP client and vice versa.
const COMMANDS: Record<string, () => CommandModule> = {
  check: () => require('./checkCommand') as CommandModule,
  scan: () => require('./scanCommand') as CommandModule,
  'pre-commit': () => require('./preCommitCommand') as CommandModule,
  'install-hook': () => ({ run: (require('./hookCommand') as typeof import('./hookCommand')).runInstall }),
  'uninstall-hook': () => ({ run: (require('./hookCommand') as typeof import('./hookCommand')).runUninstall }),
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) {
    process.stderr.write(`api-key-guard: unknown command ${quoteIfName(command) ?? '(not shown: it may be a key)'}. Run 'api-key-guard --help'.\n`);
    return 2;
  }
  return load().run(rest);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`api-key-guard: ${escapeTerminalText(error instanceof Error ? error.message : String(error))}\n`);
      process.exitCode = 2;
    },
  );
}
