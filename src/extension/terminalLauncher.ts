/**
 * The program a terminal with keys starts instead of the shell (`node terminalLauncher.js ADDRESS NONCE`,
 * run by the extension host's own executable): it fetches the keys once over the channel the extension
 * opened for this terminal, then starts the user's shell with them in its environment, attached to the
 * same terminal. So the terminal's creation options, which every extension can read, hold only a spent
 * nonce. A terminal VS Code revives or that another program starts with the same arguments gets no keys.
 */
import { spawn } from 'node:child_process';
import { receiveKeys } from '../core/keyHandout';

async function main(): Promise<number> {
  const [address, nonce] = process.argv.slice(2);
  const answer = address && nonce ? await receiveKeys(address, nonce) : { error: 'No channel was named.' };
  if ('error' in answer) {
    process.stderr.write(`API Key Guard: this terminal gets no keys. ${answer.error}\r\nOpen a new one with "API Key Guard: Open Terminal with Keys…".\r\n`);
    return 1;
  }
  // The executable runs as Node only because of this variable; the shell and what it starts must not inherit it.
  const { ELECTRON_RUN_AS_NODE: _node, ...environment } = process.env;
  const shell = spawn(answer.shell, [...answer.args], { stdio: 'inherit', env: { ...environment, ...answer.env } });
  // The terminal's signals are the shell's: Ctrl+C reaches it through the terminal, closing the terminal hangs it up.
  process.on('SIGINT', () => undefined);
  for (const signal of ['SIGHUP', 'SIGTERM'] as const) {
    process.on(signal, () => shell.kill(signal));
  }
  return new Promise((resolve) => {
    shell.on('error', (error) => {
      process.stderr.write(`API Key Guard could not start the shell ${answer.shell}: ${error.message}\r\n`);
      resolve(1);
    });
    shell.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

void main().then((code) => process.exit(code));
