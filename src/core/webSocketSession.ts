/**
 * The WebSocket protocol (RFC 6455) as far as a check needs it: the handshake's proof, frames both ways,
 * and one session over an upgraded socket. Plain Node (no undici, no vscode), so the check engine speaks
 * the client side and the test servers the server side of the same code.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';

/** RFC 6455 §1.3: the server proves it read the handshake by hashing the client's key with this. */
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Status codes of a close frame (RFC 6455 §7.4.1) this side sends. */
export const CLOSE_CODE = { normal: 1000, protocolError: 1002, invalidData: 1007, tooBig: 1009 } as const;

/** Which end of the connection speaks: a client masks what it sends, a server must not (RFC 6455 §5.1). */
export type WebSocketRole = 'client' | 'server';

/** The `Sec-WebSocket-Key` of a new handshake: 16 random bytes, base64. */
export function createHandshakeKey(): string {
  return randomBytes(16).toString('base64');
}

/** The `Sec-WebSocket-Accept` a server must answer `key` with. */
export function acceptFor(key: string): string {
  return createHash('sha1').update(`${key}${HANDSHAKE_GUID}`).digest('base64');
}

/**
 * Why an answer to an upgrade request is not a WebSocket handshake for `key`, as a phrase; undefined when
 * it is. No extension or subprotocol was offered, so a server that picks one is not speaking to this client.
 */
export function findHandshakeProblem(status: number, headers: Readonly<Record<string, string | string[] | undefined>>, key: string): string | undefined {
  const header = (name: string): string => {
    const value = headers[name];
    return (Array.isArray(value) ? value.join(', ') : (value ?? '')).trim();
  };
  if (status !== 101) {
    return `it answered HTTP ${status} instead of 101 Switching Protocols`;
  }
  if (header('upgrade').toLowerCase() !== 'websocket' || !/(^|,)\s*upgrade\s*(,|$)/i.test(header('connection'))) {
    return 'it switched to another protocol than WebSocket';
  }
  if (header('sec-websocket-accept') !== acceptFor(key)) {
    return 'its Sec-WebSocket-Accept does not answer the handshake, so it is not the WebSocket server asked';
  }
  if (header('sec-websocket-extensions') !== '' || header('sec-websocket-protocol') !== '') {
    return 'it chose an extension or subprotocol that was not offered';
  }
  return undefined;
}

/** The other end broke the protocol, or sent more than the bound: the connection is closed with `closeCode`. */
export class WebSocketProtocolError extends Error {
  override readonly name = 'WebSocketProtocolError';
  constructor(
    message: string,
    readonly closeCode: number = CLOSE_CODE.protocolError,
  ) {
    super(message);
  }
}

/** The other end closed the connection before the message awaited came. */
export class WebSocketClosedError extends Error {
  override readonly name = 'WebSocketClosedError';
  constructor(
    /** The close frame's status code; undefined when the connection ended without one. */
    readonly code: number | undefined,
    readonly reason: string,
  ) {
    super(code === undefined ? 'the connection ended without a close frame' : `the connection was closed (${code}${reason ? `: ${reason}` : ''})`);
  }
}

/** One frame, whole, as `role` sends it: a client's payload masked with a fresh random mask. */
export function encodeFrame(role: WebSocketRole, opcode: number, payload: Buffer = Buffer.alloc(0), final = true): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const masked = role === 'client';
  const header = Buffer.alloc(2 + lengthBytes + (masked ? 4 : 0));
  header[0] = (final ? 0x80 : 0) | opcode;
  header[1] = (masked ? 0x80 : 0) | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) {
    header.writeUInt16BE(length, 2);
  } else if (lengthBytes === 8) {
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) {
    return Buffer.concat([header, payload]);
  }
  const mask = randomBytes(4);
  mask.copy(header, 2 + lengthBytes);
  return Buffer.concat([header, applyMask(payload, mask)]);
}

/** The payload of a close frame: the status code, then the reason in UTF-8 (at most 123 bytes, §5.5). */
export function closePayload(code: number, reason = ''): Buffer {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code);
  return Buffer.concat([payload, Buffer.from(reason, 'utf8').subarray(0, 123)]);
}

function applyMask(payload: Buffer, mask: Buffer): Buffer {
  const out = Buffer.allocUnsafe(payload.length);
  for (let index = 0; index < payload.length; index++) {
    out[index] = payload[index]! ^ mask[index & 3]!;
  }
  return out;
}

export type WebSocketEvent =
  | { readonly kind: 'message'; readonly binary: boolean; readonly data: Buffer }
  | { readonly kind: 'ping' | 'pong'; readonly data: Buffer }
  | { readonly kind: 'close'; readonly code: number | undefined; readonly reason: string };

interface FrameHeader {
  readonly final: boolean;
  readonly opcode: number;
  readonly headerLength: number;
  readonly payloadLength: number;
  readonly mask: Buffer | undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns the bytes `role` receives into messages and control frames. A message is bounded by
 * `maxMessageBytes` as a whole (its fragments added up): a frame whose header announces more is refused
 * at once, before any of its payload is kept, so a hostile length costs no memory.
 */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentedBytes = 0;
  private fragmentedBinary: boolean | undefined;

  constructor(
    private readonly role: WebSocketRole,
    private readonly maxMessageBytes: number,
  ) {}

  /** The events the bytes so far complete; throws `WebSocketProtocolError` on the first violation. */
  push(chunk: Buffer): WebSocketEvent[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const events: WebSocketEvent[] = [];
    for (;;) {
      const header = this.readHeader();
      if (!header || this.buffered.length < header.headerLength + header.payloadLength) {
        return events;
      }
      const raw = this.buffered.subarray(header.headerLength, header.headerLength + header.payloadLength);
      this.buffered = this.buffered.subarray(header.headerLength + header.payloadLength);
      const event = this.readFrame(header, header.mask ? applyMask(raw, header.mask) : Buffer.from(raw));
      if (event) {
        events.push(event);
      }
    }
  }

  /** The header of the next frame once all of it is here, judged before its payload is waited for. */
  private readHeader(): FrameHeader | undefined {
    const bytes = this.buffered;
    if (bytes.length < 2) {
      return undefined;
    }
    const first = bytes[0]!;
    const second = bytes[1]!;
    const masked = (second & 0x80) !== 0;
    const shortLength = second & 0x7f;
    const lengthBytes = shortLength === 126 ? 2 : shortLength === 127 ? 8 : 0;
    const headerLength = 2 + lengthBytes + (masked ? 4 : 0);
    if (bytes.length < headerLength) {
      return undefined;
    }
    if ((first & 0x70) !== 0) {
      throw new WebSocketProtocolError('a frame used reserved bits no extension was agreed for');
    }
    if (masked !== (this.role === 'server')) {
      throw new WebSocketProtocolError(masked ? 'a server sent a masked frame' : 'a client sent an unmasked frame');
    }
    const opcode = first & 0x0f;
    const final = (first & 0x80) !== 0;
    const length = lengthBytes === 0 ? shortLength : lengthBytes === 2 ? bytes.readUInt16BE(2) : bytes.readBigUInt64BE(2);
    if (opcode >= OPCODE.close) {
      if (opcode > OPCODE.pong) {
        throw new WebSocketProtocolError(`a frame had the unknown opcode ${opcode}`);
      }
      if (!final || length > 125) {
        throw new WebSocketProtocolError('a control frame was fragmented or longer than 125 bytes');
      }
    } else if (opcode > OPCODE.binary) {
      throw new WebSocketProtocolError(`a frame had the unknown opcode ${opcode}`);
    }
    const room = this.maxMessageBytes - (opcode === OPCODE.continuation ? this.fragmentedBytes : 0);
    if (BigInt(length) > BigInt(room)) {
      throw new WebSocketProtocolError(`a message was larger than ${describeBytes(this.maxMessageBytes)}`, CLOSE_CODE.tooBig);
    }
    return { final, opcode, headerLength, payloadLength: Number(length), mask: masked ? bytes.subarray(headerLength - 4, headerLength) : undefined };
  }

  private readFrame({ final, opcode }: FrameHeader, payload: Buffer): WebSocketEvent | undefined {
    switch (opcode) {
      case OPCODE.ping:
      case OPCODE.pong:
        return { kind: opcode === OPCODE.ping ? 'ping' : 'pong', data: payload };
      case OPCODE.close:
        return this.readClose(payload);
      case OPCODE.continuation:
        if (this.fragmentedBinary === undefined) {
          throw new WebSocketProtocolError('a continuation frame came without a message to continue');
        }
        return this.collect(this.fragmentedBinary, payload, final);
      default:
        if (this.fragmentedBinary !== undefined) {
          throw new WebSocketProtocolError('a new message began before the fragmented one ended');
        }
        return this.collect(opcode === OPCODE.binary, payload, final);
    }
  }

  private collect(binary: boolean, payload: Buffer, final: boolean): WebSocketEvent | undefined {
    this.fragments.push(payload);
    this.fragmentedBytes += payload.length;
    if (!final) {
      this.fragmentedBinary = binary;
      return undefined;
    }
    const data = Buffer.concat(this.fragments);
    this.fragments = [];
    this.fragmentedBytes = 0;
    this.fragmentedBinary = undefined;
    if (!binary) {
      decodeText(data);
    }
    return { kind: 'message', binary, data };
  }

  private readClose(payload: Buffer): WebSocketEvent {
    if (payload.length === 1) {
      throw new WebSocketProtocolError('a close frame had a one-byte payload');
    }
    return payload.length === 0
      ? { kind: 'close', code: undefined, reason: '' }
      : { kind: 'close', code: payload.readUInt16BE(0), reason: decodeText(payload.subarray(2)) };
  }
}

/** Text frames must be valid UTF-8 (RFC 6455 §8.1). */
function decodeText(data: Buffer): string {
  try {
    return utf8.decode(data);
  } catch {
    throw new WebSocketProtocolError('a text message was not valid UTF-8', CLOSE_CODE.invalidData);
  }
}

function describeBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

/**
 * One WebSocket connection over an upgraded socket: sends text messages, answers pings, hands out the
 * messages received one at a time, and closes with the closing handshake. Any violation (see
 * `FrameReader`) closes the connection and fails the message awaited.
 */
export class WebSocketSession {
  private readonly reader: FrameReader;
  private readonly received: Buffer[] = [];
  private waiting: { resolve: (data: Buffer) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;
  private closeSent = false;
  private readonly closed: Promise<void>;

  constructor(
    private readonly socket: Duplex,
    private readonly role: WebSocketRole,
    maxMessageBytes: number,
  ) {
    this.reader = new FrameReader(role, maxMessageBytes);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error: Error) => this.fail(error));
    socket.on('close', () => this.fail(new WebSocketClosedError(undefined, '')));
  }

  send(text: string): void {
    this.socket.write(encodeFrame(this.role, OPCODE.text, Buffer.from(text, 'utf8')));
  }

  /** The next message received, as its bytes (a text message is valid UTF-8). */
  nextMessage(): Promise<Buffer> {
    const ready = this.received.shift();
    if (ready) {
      return Promise.resolve(ready);
    }
    if (this.failure) {
      return Promise.reject(this.failure);
    }
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /**
   * Sends a close frame (once) and waits at most `waitMs` for the other end to close the connection,
   * as the closing handshake asks; then the socket is destroyed either way.
   */
  async close(code: number = CLOSE_CODE.normal, reason = '', waitMs = 1000): Promise<void> {
    this.sendClose(code, reason);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    this.socket.destroy();
  }

  private sendClose(code: number, reason: string): void {
    if (!this.closeSent && this.socket.writable) {
      this.closeSent = true;
      this.socket.write(encodeFrame(this.role, OPCODE.close, closePayload(code, reason)));
    }
  }

  private receive(chunk: Buffer): void {
    // After a close or a violation, nothing more is read.
    if (this.failure) {
      return;
    }
    let events: WebSocketEvent[];
    try {
      events = this.reader.push(chunk);
    } catch (error) {
      const violation = error as WebSocketProtocolError;
      this.fail(violation);
      this.sendClose(violation.closeCode, '');
      this.socket.end();
      return;
    }
    for (const event of events) {
      if (event.kind === 'message') {
        this.deliver(event.data);
      } else if (event.kind === 'ping') {
        this.socket.write(encodeFrame(this.role, OPCODE.pong, event.data));
      } else if (event.kind === 'close') {
        // Echo the close, then the server ends the TCP connection first (RFC 6455 §7.1.1).
        this.sendClose(event.code ?? CLOSE_CODE.normal, '');
        this.fail(new WebSocketClosedError(event.code, event.reason));
        if (this.role === 'server') {
          this.socket.end();
        }
        return;
      }
    }
  }

  private deliver(data: Buffer): void {
    if (this.failure) {
      return;
    }
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) {
      waiting.resolve(data);
    } else {
      this.received.push(data);
    }
  }

  /** The first failure stays: a close after a violation does not hide the violation. */
  private fail(error: Error): void {
    this.failure ??= error;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(this.failure);
  }
}
