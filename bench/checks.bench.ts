/**
 * Wall time of checking 20 keys at once against a local server that answers after 300 ms, as a
 * ratio to one single check. Close to 1 means the checks really run side by side.
 */
import { performance } from 'node:perf_hooks';
import { checkKey, type KeyCheckRequest } from '../src/core/checkEngine';
import { forEachConcurrently } from '../src/core/concurrency';
import { BUILT_IN_PROVIDERS } from '../src/core/providers/builtIn';
import { startServer } from '../test/fixtures/providerServers';

const KEYS = 20;
/** All the keys at once, as Check All Keys runs them with apiKeyGuard.checkConcurrency at its maximum. */
const checkAll = (checks: readonly KeyCheckRequest[]) => forEachConcurrently(checks, KEYS, async (check) => void (await checkKey(check)));
const ANSWER_DELAY_MS = 300;
const ROUNDS = 5;

async function main(): Promise<void> {
  let inFlight = 0;
  let maxInFlight = 0;
  const server = await startServer((_request, response) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"value":[],"@count":0}');
    }, ANSWER_DELAY_MS);
  });
  const provider = BUILT_IN_PROVIDERS.find((item) => item.id === 'saleslayer')!;
  const key = (n: number) => `bench-key-${String(n).padStart(22, '0')}`;
  const time = async (work: () => Promise<unknown>): Promise<number> => {
    const started = performance.now();
    await work();
    return performance.now() - started;
  };
  try {
    // Warm-up batch: the first round otherwise measures the JIT, not the checks.
    await checkAll(Array.from({ length: KEYS }, (_, n) => ({ provider, key: key(900 + n), baseUrl: server.origin })));
    const singles: number[] = [];
    const batches: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      singles.push(await time(() => checkKey({ provider, key: key(round), baseUrl: server.origin })));
      maxInFlight = 0;
      const checks = Array.from({ length: KEYS }, (_, n) => ({ provider, key: key(100 + n), baseUrl: server.origin }));
      batches.push(await time(() => checkAll(checks)));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const single = median(singles);
    const batch = median(batches);
    console.log(`server answer delay      ${ANSWER_DELAY_MS} ms`);
    console.log(`one check (median of ${ROUNDS})  ${single.toFixed(1)} ms`);
    console.log(`${KEYS} keys (median of ${ROUNDS})  ${batch.toFixed(1)} ms`);
    console.log(`ratio ${KEYS} keys / one     ${(batch / single).toFixed(2)}`);
    console.log(`max requests in flight   ${maxInFlight}`);
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
