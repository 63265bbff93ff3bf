/**
 * Cost of the one redactor (core/redaction) per byte of text it masks, beside the plainest peer measured in the
 * same run: `split(key).join(mask)`, which finds the whole key only. Texts: a server's JSON error body with no
 * key in it, the same body full of echoed fragments and encodings, and two hostile texts (escape starts without
 * an end, one endless base64 run). Each at 4 KiB and 64 KiB: a ratio of their costs per byte near 1 says linear.
 */
import { performance } from 'node:perf_hooks';
import { createRedactor, maskSecret } from '../src/core/redaction';

const KEY = 'upz_live_8f3a9c2e7b1d4f6a0c5e9b2d7f1a3c8e';
/** A log line's or a notification's size, and the most of a server's body a check reads (DEFAULT_MAX_BODY_BYTES). */
const SIZES = [4 * 1024, 64 * 1024];
/** Warm-up calls, and the fewest calls measured. */
const ROUNDS = 5;

const echoes = [
  `api_key=${KEY.slice(0, 20)}`,
  `/v1/keys/${KEY.slice(9, 25)}`,
  `key-${KEY.slice(14, 30).toUpperCase()}`,
  [...KEY].map((char, at) => (at % 3 === 0 ? `%${char.charCodeAt(0).toString(16)}` : char)).join(''),
  Buffer.from(`user:${KEY}`).toString('base64'),
].join(' ');

const TEXTS: Record<string, (size: number) => string> = {
  'JSON body, no key': (size) => fill(size, '{"error":{"code":"UNAUTHORIZED","message":"The key is invalid or expired","details":[]}}\n'),
  'JSON body, echoes': (size) => fill(size, `{"error":{"message":"invalid key ${echoes}"}}\n`),
  'escape starts': (size) => fill(size, '%\\u&#x%5'),
  'one base64 run': (size) => fill(size, 'QWxhZGRpbjpvcGVuIHNlc2FtZQ'),
};

function fill(size: number, unit: string): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Mean over enough calls to cover about 2 MB of text, after a warm-up, so small texts are not measured by the timer's grain. */
function nanosecondsPerByte(redact: (text: string) => string, text: string): number {
  const calls = Math.max(ROUNDS, Math.ceil(2e6 / text.length));
  for (let call = 0; call < ROUNDS; call++) redact(text);
  const started = performance.now();
  for (let call = 0; call < calls; call++) redact(text);
  return ((performance.now() - started) * 1e6) / (calls * text.length);
}

function main(): void {
  const redactor = createRedactor([KEY]);
  const mask = maskSecret(KEY);
  const peer = (text: string) => text.split(KEY).join(mask);
  console.log(`ns per byte: ours at ${SIZES.map((size) => `${size / 1024} KiB`).join(' / ')}, growth, peer at 64 KiB, ours / peer`);
  for (const [name, make] of Object.entries(TEXTS)) {
    const [small, large] = SIZES.map((size) => nanosecondsPerByte(redactor, make(size))) as [number, number];
    const peerLarge = nanosecondsPerByte(peer, make(SIZES[1]!));
    console.log(
      `${name.padEnd(20)} ${small.toFixed(1).padStart(7)} / ${large.toFixed(1).padStart(7)}   growth ${(large / small).toFixed(2)}   peer ${peerLarge.toFixed(2).padStart(6)}   ratio ${(large / peerLarge).toFixed(0)}x`,
    );
  }
}

main();
