/**
 * The history scan's reader thread (started by history.ts): runs `git log -p`, reads its
 * output into batches of file sections and hands each batch to the scanning thread, its arrays
 * transferred, not copied. It reads ahead of the scanner by at most MAX_AHEAD_BYTES: beyond that
 * it stops reading, and git, its pipe full, waits. So git never waits for a scan of one large
 * section, the scanner never waits for git while a batch is ready, and memory stays bounded
 * whatever the length of the history.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startGit, type GitOptions } from './git';
import { PatchReader } from './patch';
import { SectionWriter, type BatchArrays, type SectionBatch } from './sections';

export interface PatchWorkerData extends GitOptions {
  /** git's arguments, as `patchArgs` makes them. */
  readonly args: readonly string[];
}

/** What the reader thread posts: a batch, the end of the patch, or why git failed. The scanning thread answers each batch with its arrays, to be filled again. */
export type PatchWorkerMessage = { readonly batch: SectionBatch } | { readonly done: true } | { readonly error: string };

/** Sections are handed over in batches of about this size: a message per batch, not per file. */
const BATCH_BYTES = 1024 * 1024;
const MAX_AHEAD_BYTES = 8 * 1024 * 1024;

function run(port: NonNullable<typeof parentPort>, data: PatchWorkerData): void {
  const { child, finished } = startGit(data, data.args, { largeOutput: true });
  // What each batch in flight holds, not its arrays' room: arrays grown once for a large section
  // are reused, and counted by their room every later batch would stop the reading.
  const inFlight: number[] = [];
  const aheadBytes = () => inFlight.reduce((sum, size) => sum + size, 0);
  const writer = new SectionWriter(BATCH_BYTES, (batch) => {
    inFlight.push(batch.bytes.byteLength + batch.fileLines.byteLength + batch.added.byteLength);
    if (aheadBytes() > MAX_AHEAD_BYTES) child.stdout.pause();
    const message: PatchWorkerMessage = { batch };
    port.postMessage(message, [batch.index.buffer, batch.bytes.buffer, batch.fileLines.buffer, batch.added.buffer]);
  });
  // The scanning thread gives the arrays back in the order it received them.
  port.on('message', (arrays: BatchArrays) => {
    inFlight.shift();
    writer.reuse(arrays);
    if (aheadBytes() <= MAX_AHEAD_BYTES) child.stdout.resume();
  });
  const reader = new PatchReader(writer);
  child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
  child.stdin.end();
  finished.then(
    () => {
      reader.end();
      writer.flush();
      const message: PatchWorkerMessage = { done: true };
      port.postMessage(message);
      port.close();
    },
    (error: unknown) => {
      const message: PatchWorkerMessage = { error: error instanceof Error ? error.message : String(error) };
      port.postMessage(message);
      port.close();
    },
  );
}

if (parentPort !== null) run(parentPort, workerData as PatchWorkerData);
