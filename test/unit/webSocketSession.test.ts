import * as assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';
import {
  acceptFor,
  CLOSE_CODE,
  closePayload,
  encodeFrame,
  findHandshakeProblem,
  FrameReader,
  OPCODE,
  WebSocketClosedError,
  WebSocketProtocolError,
  WebSocketSession,
  type WebSocketRole,
} from '../../src/core/webSocketSession';

const MAX = 64 * 1024;

/** A frame header alone, as `role` would send it, announcing `length` payload bytes that never follow. */
function headerOnly(role: WebSocketRole, opcode: number, length: number, final = true): Buffer {
  const masked = role === 'client';
  const extended = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const header = Buffer.alloc(2 + extended + (masked ? 4 : 0));
  header[0] = (final ? 0x80 : 0) | opcode;
  header[1] = (masked ? 0x80 : 0) | (extended === 0 ? length : extended === 2 ? 126 : 127);
  if (extended === 2) header.writeUInt16BE(length, 2);
  if (extended === 8) header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

function assertViolation(action: () => unknown, pattern: RegExp, closeCode: number = CLOSE_CODE.protocolError): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof WebSocketProtocolError, String(error));
    assert.match(error.message, pattern);
    assert.equal(error.closeCode, closeCode);
    return true;
  });
}

describe('WebSocket handshake', () => {
  const key = 'dGhlIHNhbXBsZSBub25jZQ==';
  const answer = { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-accept': 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' };

  it('computes the accept value of RFC 6455 §1.3', () => {
    assert.equal(acceptFor(key), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('accepts only a 101 that proves it read this key', () => {
    assert.equal(findHandshakeProblem(101, answer, key), undefined);
    assert.equal(findHandshakeProblem(101, { ...answer, connection: 'keep-alive, Upgrade' }, key), undefined);
    assert.match(findHandshakeProblem(200, answer, key)!, /HTTP 200 instead of 101/);
    assert.match(findHandshakeProblem(101, { ...answer, 'sec-websocket-accept': acceptFor('another key') }, key)!, /Sec-WebSocket-Accept/);
    assert.match(findHandshakeProblem(101, { ...answer, 'sec-websocket-accept': undefined }, key)!, /Sec-WebSocket-Accept/);
    assert.match(findHandshakeProblem(101, { ...answer, upgrade: 'h2c' }, key)!, /another protocol/);
    assert.match(findHandshakeProblem(101, { ...answer, 'sec-websocket-extensions': 'permessage-deflate' }, key)!, /not offered/);
  });
});

describe('WebSocket frames', () => {
  for (const size of [0, 125, 126, 65535, 65536]) {
    it(`carries a ${size}-byte message from client to server and back`, () => {
      const payload = Buffer.alloc(size, 'a');
      const toServer = encodeFrame('client', OPCODE.text, payload);
      assert.deepEqual(new FrameReader('server', MAX).push(toServer), [{ kind: 'message', binary: false, data: payload }]);
      const toClient = encodeFrame('server', OPCODE.binary, payload);
      assert.deepEqual(new FrameReader('client', MAX).push(toClient), [{ kind: 'message', binary: true, data: payload }]);
    });
  }

  it('masks what a client sends with a fresh mask, and nothing a server sends', () => {
    const payload = Buffer.from('{"method":"authenticate"}');
    const first = encodeFrame('client', OPCODE.text, payload);
    const second = encodeFrame('client', OPCODE.text, payload);
    assert.equal(first[1]! & 0x80, 0x80, 'mask bit set');
    assert.ok(!first.includes(payload), 'the payload is not readable on the wire');
    assert.notDeepEqual(first.subarray(2, 6), second.subarray(2, 6), 'each frame has its own mask');
    const fromServer = encodeFrame('server', OPCODE.text, payload);
    assert.equal(fromServer[1]! & 0x80, 0);
    assert.ok(fromServer.includes(payload));
  });

  it('refuses frames masked the wrong way for their sender', () => {
    assertViolation(() => new FrameReader('client', MAX).push(encodeFrame('client', OPCODE.text, Buffer.from('x'))), /server sent a masked frame/);
    assertViolation(() => new FrameReader('server', MAX).push(encodeFrame('server', OPCODE.text, Buffer.from('x'))), /client sent an unmasked frame/);
  });

  it('reads bytes as they come, a frame split anywhere', () => {
    const frame = encodeFrame('server', OPCODE.text, Buffer.from('{"type":"authenticated"}'));
    const reader = new FrameReader('client', MAX);
    const events = [...frame].flatMap((byte) => reader.push(Buffer.from([byte])));
    assert.deepEqual(events, [{ kind: 'message', binary: false, data: Buffer.from('{"type":"authenticated"}') }]);
  });

  it('joins a fragmented message, handing out control frames between its fragments', () => {
    const reader = new FrameReader('client', MAX);
    const events = reader.push(
      Buffer.concat([
        encodeFrame('server', OPCODE.text, Buffer.from('{"type":'), false),
        encodeFrame('server', OPCODE.ping, Buffer.from('are you there')),
        encodeFrame('server', OPCODE.continuation, Buffer.from('"authen'), false),
        encodeFrame('server', OPCODE.continuation, Buffer.from('ticated"}')),
      ]),
    );
    assert.deepEqual(events, [
      { kind: 'ping', data: Buffer.from('are you there') },
      { kind: 'message', binary: false, data: Buffer.from('{"type":"authenticated"}') },
    ]);
  });

  it('keeps a message whole across fragments only up to the bound, which counts the fragments together', () => {
    const half = Buffer.alloc(MAX / 2, 'b');
    const exact = new FrameReader('client', MAX).push(
      Buffer.concat([encodeFrame('server', OPCODE.text, half, false), encodeFrame('server', OPCODE.continuation, half)]),
    );
    assert.equal(exact.length, 1, 'a message of exactly the bound is read');
    const reader = new FrameReader('client', MAX);
    reader.push(Buffer.concat([encodeFrame('server', OPCODE.text, half, false), encodeFrame('server', OPCODE.continuation, half, false)]));
    assertViolation(() => reader.push(headerOnly('server', OPCODE.continuation, 1)), /larger than 64 KiB/, CLOSE_CODE.tooBig);
  });

  it('refuses an oversized frame at its header, before any of its payload arrives', () => {
    assertViolation(() => new FrameReader('client', MAX).push(headerOnly('server', OPCODE.text, MAX + 1)), /larger than 64 KiB/, CLOSE_CODE.tooBig);
    // 2^40 bytes announced: refused from the 10 header bytes alone, nothing is allocated for it.
    assertViolation(() => new FrameReader('client', MAX).push(headerOnly('server', OPCODE.binary, 2 ** 40)), /larger than 64 KiB/, CLOSE_CODE.tooBig);
    const split = new FrameReader('client', MAX);
    const header = headerOnly('server', OPCODE.text, 2 ** 40);
    assert.deepEqual(split.push(header.subarray(0, 5)), [], 'half a header waits');
    assertViolation(() => split.push(header.subarray(5)), /larger than 64 KiB/, CLOSE_CODE.tooBig);
  });

  it('refuses what RFC 6455 forbids: long or fragmented control frames, reserved bits, unknown opcodes, stray continuations, interleaved messages', () => {
    const server = (bytes: Buffer) => () => new FrameReader('client', MAX).push(bytes);
    assertViolation(server(encodeFrame('server', OPCODE.ping, Buffer.alloc(126))), /control frame/);
    assertViolation(server(encodeFrame('server', OPCODE.ping, Buffer.alloc(1), false)), /control frame/);
    const reserved = encodeFrame('server', OPCODE.text, Buffer.from('x'));
    reserved[0]! |= 0x40;
    assertViolation(server(reserved), /reserved bits/);
    assertViolation(server(encodeFrame('server', 0x3, Buffer.from('x'))), /unknown opcode 3/);
    assertViolation(server(encodeFrame('server', 0xb, Buffer.from('x'))), /unknown opcode 11/);
    assertViolation(server(encodeFrame('server', OPCODE.continuation, Buffer.from('x'))), /continuation frame came without/);
    assertViolation(
      server(Buffer.concat([encodeFrame('server', OPCODE.text, Buffer.from('x'), false), encodeFrame('server', OPCODE.text, Buffer.from('y'))])),
      /new message began/,
    );
    assertViolation(server(encodeFrame('server', OPCODE.text, Buffer.from([0xc3, 0x28]))), /not valid UTF-8/, CLOSE_CODE.invalidData);
  });

  it('reads a close frame with and without its status code', () => {
    assert.deepEqual(new FrameReader('client', MAX).push(encodeFrame('server', OPCODE.close, closePayload(4001, 'AUTHENTICATION_FAILED'))), [
      { kind: 'close', code: 4001, reason: 'AUTHENTICATION_FAILED' },
    ]);
    assert.deepEqual(new FrameReader('client', MAX).push(encodeFrame('server', OPCODE.close)), [{ kind: 'close', code: undefined, reason: '' }]);
    assertViolation(() => new FrameReader('client', MAX).push(encodeFrame('server', OPCODE.close, Buffer.from([3]))), /one-byte payload/);
  });
});

describe('WebSocketSession over a loopback socket', () => {
  let listener: net.Server;
  let serverSide: Promise<net.Socket>;
  let client: net.Socket;

  beforeEach(async () => {
    listener = net.createServer();
    serverSide = new Promise((resolve) => listener.once('connection', resolve));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    client = net.connect((listener.address() as AddressInfo).port, '127.0.0.1');
    await new Promise((resolve) => client.once('connect', resolve));
  });
  afterEach(async () => {
    client.destroy();
    (await serverSide).destroy();
    await new Promise((resolve) => listener.close(resolve));
  });

  it('exchanges messages, answers a ping with a pong, and closes with the closing handshake', async () => {
    const server = new WebSocketSession(await serverSide, 'server', MAX);
    const session = new WebSocketSession(client, 'client', MAX);
    const pongs: Buffer[] = [];
    const raw = new FrameReader('server', MAX);
    (await serverSide).on('data', (chunk: Buffer) => pongs.push(...raw.push(chunk).flatMap((event) => (event.kind === 'pong' ? [event.data] : []))));
    session.send('{"method":"authenticate"}');
    assert.equal((await server.nextMessage()).toString(), '{"method":"authenticate"}');
    (await serverSide).write(encodeFrame('server', OPCODE.ping, Buffer.from('beat')));
    server.send('{"type":"authenticated"}');
    assert.equal((await session.nextMessage()).toString(), '{"type":"authenticated"}');
    for (let tries = 0; pongs.length === 0 && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.deepEqual(pongs, [Buffer.from('beat')], 'the ping was answered with its payload');
    const serverSaw = server.nextMessage().catch((error: unknown) => error);
    await session.close(CLOSE_CODE.normal, '', 2000);
    const closed = await serverSaw;
    assert.ok(closed instanceof WebSocketClosedError);
    assert.equal(closed.code, CLOSE_CODE.normal);
    assert.ok(client.destroyed);
  });

  it('fails the awaited message and closes with 1009 when the other side announces an oversized message', async () => {
    const session = new WebSocketSession(client, 'client', MAX);
    const closeFrames: number[] = [];
    const raw = new FrameReader('server', MAX);
    (await serverSide).on('data', (chunk: Buffer) =>
      closeFrames.push(...raw.push(chunk).flatMap((event) => (event.kind === 'close' && event.code !== undefined ? [event.code] : []))),
    );
    const awaited = session.nextMessage();
    (await serverSide).write(headerOnly('server', OPCODE.text, MAX + 1));
    await assert.rejects(awaited, /larger than 64 KiB/);
    await new Promise((resolve) => (client.writableFinished ? resolve(undefined) : client.once('finish', resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(closeFrames, [CLOSE_CODE.tooBig]);
  });

  it('fails the awaited message when the connection ends without a close frame', async () => {
    const session = new WebSocketSession(client, 'client', MAX);
    const awaited = session.nextMessage();
    (await serverSide).destroy();
    await assert.rejects(awaited, (error: unknown) => error instanceof WebSocketClosedError && error.code === undefined);
  });
});
