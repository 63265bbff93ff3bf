/**
 * Runs `work` for every item in list order, at most `limit` at a time, and starts no new item once
 * `signal` aborts. Resolves when every started item has finished; a rejected item rejects the whole
 * once the others have settled, so no work is left running behind the caller.
 */
export async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      await work(items[next++]!);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit), items.length));
  const settled = await Promise.allSettled(Array.from({ length: workers }, worker));
  const failure = settled.find((result) => result.status === 'rejected');
  if (failure) {
    throw failure.reason;
  }
}
