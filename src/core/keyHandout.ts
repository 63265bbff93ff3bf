/**
 * Hands a program's keys to one process over a local channel, once: a Unix socket in a fresh directory
 * only the user can enter (a named pipe with a random name on Windows), which answers the first
 * connection that presents the one-time nonce and then closes and disappears. The nonce and the address
 * may be seen by anyone who can read the process's command line; by the time they are, the keys are handed
 * out and the channel is gone, and no other user could have entered the directory anyway.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** What the channel hands out: the environment variables to add, and the program to start with them. */
export interface KeyPayload {
  readonly env: Readonly<Record<string, string>>;
  readonly shell: string;
  readonly args: readonly string[];
}

/** What a client is told instead of the keys. */
export interface Refusal {
  readonly error: string;
}

export interface Handout {
  /** Where the client connects: the socket's path, or the pipe's name. */
  readonly address: string;
  readonly nonce: string;
  /** Settles once the channel is closed: handed out to the nonce's holder, or expired, or closed unused. */
  readonly done: Promise<'handed out' | 'expired' | 'closed'>;
  close(): void;
}

/** A nonce and a line end; anything longer is no client of ours. */
const MAX_REQUEST_BYTES = 128;
/** Unix socket paths are limited to about 104 bytes (macOS) or 108 (Linux). */
const MAX_SOCKET_PATH = 100;

/** Opens the channel: it hands `payload` to the first client that sends the nonce within `timeoutMs`. */
export async function offerKeys(payload: KeyPayload, timeoutMs: number): Promise<Handout> {
  const nonce = randomBytes(32).toString('hex');
  const { address, remove } = channelAddress();
  let finish: (outcome: 'handed out' | 'expired' | 'closed') => void = () => undefined;
  const done = new Promise<'handed out' | 'expired' | 'closed'>((resolve) => (finish = resolve));
  const server = net.createServer((socket) => {
    let request = '';
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      request += chunk.toString('latin1');
      if (request.length > MAX_REQUEST_BYTES) {
        socket.destroy();
      } else if (request.includes('\n')) {
        const presented = request.slice(0, request.indexOf('\n'));
        if (listening && sameNonce(presented, nonce)) {
          // Spent before a byte goes out: a second client, however quick, finds the channel closed.
          end('handed out');
          socket.end(JSON.stringify(payload) + '\n');
        } else {
          socket.end(JSON.stringify({ error: 'This channel hands its keys to one terminal, once, and this is not it.' } satisfies Refusal) + '\n');
        }
      }
    });
  });
  let listening = true;
  const timer = setTimeout(() => end('expired'), timeoutMs);
  const end = (outcome: 'handed out' | 'expired' | 'closed') => {
    if (!listening) return;
    listening = false;
    clearTimeout(timer);
    server.close();
    remove();
    finish(outcome);
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, () => resolve());
  });
  if (process.platform !== 'win32') {
    fs.chmodSync(address, 0o600);
  }
  return { address, nonce, done, close: () => end('closed') };
}

/** Connects to the channel, presents the nonce, and returns what it answers: the keys, or why not. */
export function receiveKeys(address: string, nonce: string, timeoutMs = 10_000): Promise<KeyPayload | Refusal> {
  return new Promise((resolve) => {
    const socket = net.connect(address);
    let answer = '';
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('the channel did not answer')));
    socket.on('connect', () => socket.write(`${nonce}\n`));
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('error', (error) => resolve({ error: `The channel is closed (${(error as NodeJS.ErrnoException).code ?? error.message}).` }));
    socket.on('close', () => {
      try {
        const parsed = JSON.parse(answer) as Partial<KeyPayload & Refusal>;
        resolve(typeof parsed.error === 'string' ? { error: parsed.error } : (parsed as KeyPayload));
      } catch {
        resolve({ error: 'The channel closed without an answer.' });
      }
    });
  });
}

function sameNonce(presented: string, nonce: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(nonce);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A fresh address nobody else can reach, and how to clean it up. */
function channelAddress(): { address: string; remove: () => void } {
  if (process.platform === 'win32') {
    return { address: `\\\\.\\pipe\\api-key-guard-${randomBytes(16).toString('hex')}`, remove: () => undefined };
  }
  // mkdtemp makes the directory 0700: only the user may look up the socket inside.
  const base = path.join(os.tmpdir(), 'akg-XXXXXX', 's').length <= MAX_SOCKET_PATH ? os.tmpdir() : '/tmp';
  const directory = fs.mkdtempSync(path.join(base, 'akg-'));
  return { address: path.join(directory, 's'), remove: () => fs.rmSync(directory, { recursive: true, force: true }) };
}
