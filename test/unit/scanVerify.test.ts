/**
 * `api-key-guard scan --verify` as a subprocess against local provider servers: how each answer maps
 * to live, refused or unknown (the README's table, row by row), where the key may go, and how many
 * requests a scan sends.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SEED_PROVIDERS } from '../../src/core/providers/builtIn';
import { CATALOGUE_PROVIDERS } from '../../src/core/providers/catalogue';
import { assertNoFragment, bundleCli, runCliProcess, type CliRun } from '../fixtures/cliProcess';
import {
  TEST_KEYS,
  TEST_PARAMS,
  closedPortOrigin,
  makeSelfSignedCertificate,
  startEchoServer,
  startProviderServer,
  startRedirectServer,
  startServer,
  startSilentServer,
  type ForcedAnswer,
  type LocalServer,
  type ProviderServer,
} from '../fixtures/providerServers';

const UPPZY_KEY = TEST_KEYS.uppzy!;
const OPENAI_KEY = TEST_KEYS.openai!;
const TENANT = `uppzy.tenantId=${TEST_PARAMS.uppzy!.tenantId}`;

interface JsonFinding {
  readonly file: string;
  readonly ruleId: string;
  readonly verification?: { status: string; provider: string; outcome: string; httpStatus?: number; message: string; rotationSteps?: string };
}

/** A distinct Uppzy-looking key: the scanner finds it under UPPZY_API_KEY. */
const uppzyKey = (): string => `upz_live_${randomBytes(16).toString('hex')}`;

describe('api-key-guard scan --verify (subprocess, local providers)', function () {
  this.timeout(30_000);
  let cli: string;
  let bystander: LocalServer;
  const trees: string[] = [];

  /** A folder holding `files`; removed after the suite. */
  function tree(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akg-verify-'));
    trees.push(dir);
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
  }

  const scan = (cwd: string, ...args: string[]): Promise<CliRun> => runCliProcess(cli, ['scan', ...args], { cwd });
  const json = (run: CliRun): JsonFinding[] => JSON.parse(run.stdout) as JsonFinding[];

  before(async function () {
    this.timeout(60_000);
    cli = await bundleCli('akg-verify-cli-');
    // Named in every scanned tree as the place to send keys: it must never receive one.
    bystander = await startServer((_request, response) => response.writeHead(200).end('{}'));
  });
  afterEach(() => {
    assert.deepEqual(bystander.requests, [], 'the server a scanned file names received a request');
  });
  after(async () => {
    await bystander.close();
    fs.rmSync(path.dirname(cli), { recursive: true, force: true });
    for (const dir of trees) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A tree with one Uppzy key, and beside it a base URL of its own choosing, as a hostile repository would hold. */
  const uppzyTree = (key = UPPZY_KEY): string => tree({ 'deploy/prod.env': `UPPZY_API_KEY=${key}\nUPPZY_BASE_URL=${bystander.origin}/api/v1\n` });

  describe('maps each answer as the README table says, never dropping the finding', () => {
    let uppzy: ProviderServer;
    before(async () => {
      uppzy = await startProviderServer('uppzy');
    });
    afterEach(() => {
      uppzy.force = undefined;
      uppzy.requests.length = 0;
    });
    after(() => uppzy.close());

    const verifyAgainst = async (baseUrl: string, key = UPPZY_KEY, ...extra: string[]) => {
      const run = await scan(uppzyTree(key), '--verify', '--param', TENANT, '--base-url', `uppzy=${baseUrl}`, '--format', 'json', ...extra);
      assert.equal(run.code, 1, run.stderr);
      const [finding, ...rest] = json(run);
      assert.equal(rest.length, 0);
      assert.equal(finding!.ruleId, 'uppzy-key', 'the finding is reported whatever the verification says');
      assertNoFragment(run, key);
      return finding!.verification!;
    };

    it('200: live', async () => {
      const verification = await verifyAgainst(uppzy.baseUrl);
      assert.deepEqual(verification, {
        status: 'live',
        provider: 'uppzy',
        outcome: 'ok',
        httpStatus: 200,
        message: 'This key works against Uppzy M2M API: rotate it, then remove it from the file.',
        rotationSteps: SEED_PROVIDERS.find((provider) => provider.id === 'uppzy')!.rotationSteps,
      });
      assert.equal(uppzy.requests.length, 1);
    });

    it('403: live without permission, as Uppzy documents', async () => {
      uppzy.force = 'forbidden';
      const verification = await verifyAgainst(uppzy.baseUrl);
      assert.equal(verification.status, 'live');
      assert.equal(verification.httpStatus, 403);
    });

    it('401: refused', async () => {
      const verification = await verifyAgainst(uppzy.baseUrl, uppzyKey());
      assert.deepEqual(
        { status: verification.status, outcome: verification.outcome, httpStatus: verification.httpStatus },
        { status: 'refused', outcome: 'unauthorized', httpStatus: 401 },
      );
      assert.match(verification.message, /^Uppzy M2M API refused this key \(HTTP 401\)/);
    });

    const couldNotTell: [string, ForcedAnswer, string][] = [
      ['5xx', 'server-error', 'server-error'],
      ['429', 'rate-limited', 'rate-limited'],
      ['an unexpected body (a web page)', 'unexpected', 'unexpected-response'],
    ];
    for (const [row, force, outcome] of couldNotTell) {
      it(`${row}: unknown, could not tell`, async () => {
        uppzy.force = force;
        const verification = await verifyAgainst(uppzy.baseUrl);
        assert.equal(verification.status, 'unknown');
        assert.equal(verification.outcome, outcome);
        assert.match(verification.message, /^Could not tell whether this key works against Uppzy M2M API: /);
      });
    }

    it('timeout: unknown', async () => {
      const silent = await startSilentServer();
      try {
        const verification = await verifyAgainst(`${silent.origin}/api/v1`, UPPZY_KEY, '--timeout-ms', '300');
        assert.deepEqual([verification.status, verification.outcome], ['unknown', 'timeout']);
      } finally {
        await silent.close();
      }
    });

    it('TLS (a certificate nobody vouches for): unknown, and the key is not sent', async () => {
      const secure = await startProviderServer('uppzy', makeSelfSignedCertificate());
      try {
        const verification = await verifyAgainst(secure.baseUrl);
        assert.deepEqual([verification.status, verification.outcome], ['unknown', 'tls-error']);
        assert.deepEqual(secure.requests, []);
      } finally {
        await secure.close();
      }
    });

    it('network (nothing listening): unknown', async () => {
      const verification = await verifyAgainst(`${await closedPortOrigin()}/api/v1`);
      assert.deepEqual([verification.status, verification.outcome], ['unknown', 'network-error']);
    });

    it('a redirect to another origin: unknown, and the key is not sent there', async () => {
      const redirect = await startRedirectServer(bystander.origin);
      try {
        const verification = await verifyAgainst(`${redirect.origin}/api/v1`);
        assert.deepEqual([verification.status, verification.outcome], ['unknown', 'redirect-blocked']);
      } finally {
        await redirect.close();
      }
    });

    it('a missing parameter: unknown, saying what to give, and nothing is sent', async () => {
      const run = await scan(uppzyTree(), '--verify', '--base-url', `uppzy=${uppzy.baseUrl}`, '--format', 'json');
      assert.equal(run.code, 1, run.stderr);
      const verification = json(run)[0]!.verification!;
      assert.equal(verification.status, 'unknown');
      assert.match(verification.message, /Tenant ID \(tenantId\) is required.*give --param uppzy\.tenantId=…/);
      assert.deepEqual(uppzy.requests, []);
    });

    it('sends nothing at all without --verify', async () => {
      const dir = tree({
        'providers.json': JSON.stringify([{ ...ACME, baseUrl: uppzy.origin }]),
        'app.env': `ACME_API_KEY=${uppzyKey()}\nUPPZY_API_KEY=${UPPZY_KEY}\n`,
      });
      const run = await scan(dir, '--providers-file', 'providers.json', '--format', 'json');
      assert.equal(run.code, 1, run.stderr);
      assert.ok(json(run).every((finding) => finding.verification === undefined));
      assert.deepEqual(uppzy.requests, []);
    });

    it('keeps exit code 1 when every key is refused: a refused key is still a hardcoded key', async () => {
      const run = await scan(uppzyTree(uppzyKey()), '--verify', '--param', TENANT, '--base-url', `uppzy=${uppzy.baseUrl}`);
      assert.equal(run.code, 1);
      assert.match(run.stdout, /^deploy\/prod\.env:1:15 uppzy-key .*\n {2}refused: Uppzy M2M API refused this key \(HTTP 401\)/);
    });
  });

  describe('where the key goes and what the output shows', () => {
    let openai: ProviderServer;
    before(async () => {
      openai = await startProviderServer('openai');
    });
    afterEach(() => {
      openai.requests.length = 0;
    });
    after(() => openai.close());

    it("shows live next to the finding in text, JSON and SARIF (level error, even in a test folder) with OpenAI's own rotation steps, never the key", async () => {
      const dir = tree({ 'test/fixtures/ci.sh': `export OPENAI_API_KEY=${OPENAI_KEY}\n` });
      const args = ['--verify', '--base-url', `openai=${openai.baseUrl}`];
      const steps = CATALOGUE_PROVIDERS.find((provider) => provider.id === 'openai')!.rotationSteps!;
      assert.match(steps, /^OpenAI's rotation: /, 'its own steps, not the generic sentence');
      const text = await scan(dir, ...args);
      assert.equal(text.stdout.split('\n')[1], `  live: This key works against OpenAI: rotate it, then remove it from the file. ${steps}`);
      assert.match(text.stdout, /^test\/fixtures\/ci\.sh:1:\d+ openai-api-key .*\n {2}live: .*\n$/);
      const sarif = await scan(dir, ...args, '--format', 'sarif');
      const [result] = (
        JSON.parse(sarif.stdout) as { runs: { results: { level: string; message: { text: string }; properties: Record<string, unknown> }[] }[] }
      ).runs[0]!.results;
      assert.equal(result!.level, 'error', 'a live key is an error, though a test folder makes findings notes');
      assert.deepEqual(result!.properties.verification, {
        status: 'live',
        provider: 'openai',
        outcome: 'ok',
        httpStatus: 200,
        message: 'This key works against OpenAI: rotate it, then remove it from the file.',
        rotationSteps: steps,
      });
      assert.ok(result!.message.text.endsWith(` live: This key works against OpenAI: rotate it, then remove it from the file. ${steps}`), result!.message.text);
      const asJson = await scan(dir, ...args, '--format', 'json');
      assert.equal(json(asJson)[0]!.verification!.status, 'live');
      assert.equal(json(asJson)[0]!.verification!.rotationSteps, steps);
      for (const run of [text, sarif, asJson]) {
        assert.equal(run.code, 1);
        // Past its `sk-proj-` prefix, which the rule's description in SARIF names.
        assertNoFragment(run, OPENAI_KEY.slice('sk-proj-'.length));
      }
      assert.equal(openai.requests.length, 3);
    });

    it('masks the key a server echoes back, in every format and on stderr', async () => {
      const echo = await startEchoServer();
      try {
        const dir = uppzyTree();
        for (const format of ['text', 'json', 'sarif']) {
          const run = await scan(dir, '--verify', '--param', TENANT, '--base-url', `uppzy=${echo.origin}/api/v1`, '--format', format);
          assert.equal(run.code, 1, run.stderr);
          assert.match(run.stdout, /refused/);
          assertNoFragment(run, UPPZY_KEY);
        }
        assert.equal(echo.requests.length, 3);
      } finally {
        await echo.close();
      }
    });

    it("never sends a key to a custom provider of the scanned repository that claims other vendors' keys", async () => {
      // The repository's own providers file: one provider naming OpenAI's variable, one whose variable holds an OpenAI key.
      const greedy = { ...ACME, id: 'greedy', envVars: ['GREEDY_KEY', 'OPENAI_API_KEY'], baseUrl: bystander.origin };
      const sly = { ...ACME, id: 'sly', envVars: ['SLY_KEY'], baseUrl: bystander.origin };
      const dir = tree({
        'providers.json': JSON.stringify([greedy, sly]),
        '.env': `OPENAI_API_KEY=${OPENAI_KEY}\nSLY_KEY=${OPENAI_KEY}\nGREEDY_KEY=${uppzyKey()}\n`,
      });
      const run = await scan(dir, '--providers-file', 'providers.json', '--verify', '--base-url', `openai=${openai.baseUrl}`, '--format', 'json');
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /the custom provider 'greedy' names OPENAI_API_KEY, which holds another vendor's keys, so no found key is sent to it/);
      const findings = json(run);
      assert.ok(findings.length >= 2, run.stdout);
      for (const finding of findings) assert.ok(finding.verification === undefined || finding.verification.provider === 'openai', JSON.stringify(finding));
      assert.equal(openai.requests.length, 1, 'the OpenAI key went to OpenAI, once');
      // The bystander (both custom providers' base URL) received nothing: see afterEach.
    });

    it('checks a custom provider of --providers-file with the keys under its own variable', async () => {
      const acme = await startServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
      try {
        const key = uppzyKey();
        const dir = tree({ 'providers.json': JSON.stringify([{ ...ACME, baseUrl: acme.origin }]), 'app.env': `ACME_API_KEY=${key}\n` });
        const run = await scan(dir, '--providers-file', 'providers.json', '--verify', '--format', 'json');
        assert.equal(json(run)[0]!.verification!.status, 'live', run.stderr);
        assert.equal(acme.requests[0]!.headers['x-acme-key'], key);
      } finally {
        await acme.close();
      }
    });
  });

  describe('how many requests', () => {
    /** A server that answers 200 after `delayMs`, recording when each request came and the most in flight at once. */
    async function startCountingServer(answer: (index: number) => { status: number; headers?: Record<string, string> }, delayMs = 0) {
      let inFlight = 0;
      const stats = { maxInFlight: 0, arrivals: [] as number[] };
      const server = await startServer((_request, response) => {
        const { status, headers } = answer(stats.arrivals.length);
        stats.arrivals.push(Date.now());
        stats.maxInFlight = Math.max(stats.maxInFlight, ++inFlight);
        setTimeout(() => {
          inFlight--;
          response.writeHead(status, { 'content-type': 'application/json', ...headers }).end('{}');
        }, delayMs);
      });
      return Object.assign(server, { stats, baseUrl: `${server.origin}/api/v1` });
    }

    /** Scans a tree of `count` files, each with a key of its own, verifying against `server`. */
    const scanDistinctKeys = (count: number, server: { baseUrl: string }, ...args: string[]): Promise<CliRun> => {
      const files = Object.fromEntries(Array.from({ length: count }, (_, index) => [`service${index}.env`, `UPPZY_API_KEY=${uppzyKey()}\n`]));
      return scan(tree(files), '--verify', '--param', TENANT, '--base-url', `uppzy=${server.baseUrl}`, ...args);
    };

    it('sends one request per distinct key, however many files hold it', async () => {
      const server = await startCountingServer(() => ({ status: 200 }));
      try {
        const files = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`service${index}/app.env`, `UPPZY_API_KEY=${UPPZY_KEY}\n`]));
        const run = await scan(tree(files), '--verify', '--param', TENANT, '--base-url', `uppzy=${server.baseUrl}`, '--format', 'json');
        const findings = json(run);
        assert.equal(findings.length, 50);
        assert.ok(findings.every((finding) => finding.verification?.status === 'live'));
        assert.equal(server.requests.length, 1);
      } finally {
        await server.close();
      }
    });

    it('holds the concurrency bound', async () => {
      const server = await startCountingServer(() => ({ status: 200 }), 150);
      try {
        const run = await scanDistinctKeys(10, server, '--verify-concurrency', '3');
        assert.equal(run.code, 1, run.stderr);
        assert.equal(server.requests.length, 10);
        assert.equal(server.stats.maxInFlight, 3, 'three at once, never more');
      } finally {
        await server.close();
      }
    });

    it('pauses the rest after a 429 with Retry-After, then sends each once: no retry storm', async () => {
      const server = await startCountingServer((index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
      try {
        const run = await scanDistinctKeys(3, server, '--verify-concurrency', '1', '--format', 'json');
        assert.deepEqual(
          json(run).map((finding) => finding.verification!.status),
          ['unknown', 'live', 'live'],
        );
        assert.equal(server.requests.length, 3);
        const [first, second] = server.stats.arrivals;
        assert.ok(second! - first! >= 900, `the next check waited ${second! - first!} ms, not the 1 s Retry-After asked`);
      } finally {
        await server.close();
      }
    });

    it('gives up on the rest, unsent, when the wait would pass the bound', async () => {
      const server = await startCountingServer(() => ({ status: 429, headers: { 'retry-after': '120' } }));
      try {
        const run = await scanDistinctKeys(3, server, '--verify-concurrency', '1', '--format', 'json');
        const verifications = json(run).map((finding) => finding.verification!);
        assert.ok(verifications.every((verification) => verification.status === 'unknown'));
        assert.equal(verifications.filter((verification) => /rate limited, not checked/.test(verification.message)).length, 2);
        assert.equal(server.requests.length, 1);
      } finally {
        await server.close();
      }
    });
  });

  it('refuses --param without --verify, and a parameter the provider does not have', async () => {
    const dir = uppzyTree();
    const stray = await scan(dir, '--param', TENANT);
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /--param is used only with --verify/);
    const unknown = await scan(dir, '--verify', '--param', 'uppzy.tenant=acme');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Uppzy M2M API has no parameter tenant \(known: tenantId\)/);
  });
});

/** A custom provider as a repository's providers file would define it; tests set its base URL. */
const ACME = {
  id: 'acme',
  displayName: 'Acme',
  baseUrl: 'https://api.acme.example',
  auth: { in: 'header', name: 'X-Acme-Key' },
  envVars: ['ACME_API_KEY'],
  docsUrl: 'https://acme.example/docs',
  check: { path: '/me' },
};
