import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BASE_PATHS,
  SALES_LAYER_CATALOG_ONLY_KEY,
  TEST_KEYS,
  TEST_PARAMS,
  makeSelfSignedCertificate,
  startEchoServer,
  startProviderServer,
  startRefusingProxy,
  startServer,
  startSilentServer,
  type LocalServer,
  type ProviderServer,
} from '../fixtures/providerServers';
import { BUILT_IN_PROVIDERS } from '../../src/core/providers/builtIn';
import { GITHUB_EXHAUSTED_TOKEN } from '../fixtures/catalogueServers';
import { secretForms, startTunnelProxy, tlsRecords, type ProxyCredentials, type TunnelProxy } from '../fixtures/proxyServer';
import { assertNoFragment, bundleCli, runCliProcess, type CliRun as Run } from '../fixtures/cliProcess';
import { ACME_STREAM_DIALECT, ACME_STREAM_KEY, acmeStreamDefinition, startWebSocketServer, type WebSocketServer } from '../fixtures/webSocketServer';

const root = path.resolve(__dirname, '../../..');
let workDir: string;
let cli: string;

/** Runs the bundled CLI's check command (or, with `command: []`, the CLI itself) as a subprocess. */
function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; nodeArgs?: readonly string[]; command?: readonly string[] } = {},
): Promise<Run> {
  return runCliProcess(cli, [...(options.command ?? ['check']), ...args], { ...options, cwd: workDir });
}

function assertNoKey(run: Run, key: string): void {
  for (const text of [run.stdout, run.stderr]) {
    assert.ok(!text.includes(key), `output contains the key: ${text}`);
    assert.ok(!text.includes(encodeURIComponent(key)), `output contains the encoded key: ${text}`);
  }
}

describe('api-key-guard check (subprocess)', function () {
  this.timeout(20_000);
  const key = TEST_KEYS.uppzy!;
  const tenant = `tenantId=${TEST_PARAMS.uppzy!.tenantId}`;
  let uppzy: ProviderServer;

  before(async () => {
    cli = await bundleCli('akg-cli-');
    workDir = path.dirname(cli);
    uppzy = await startProviderServer('uppzy');
  });
  after(async () => {
    await uppzy.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('exits 0 and says ok for a working key from an environment variable', async () => {
    const run = await runCli(['--provider', 'uppzy', '--base-url', uppzy.baseUrl, '--param', tenant, '--key-env', 'UPPZY_API_KEY'], {
      env: { UPPZY_API_KEY: key },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ok \(HTTP 200, \d+ ms\): Uppzy M2M API accepted the key/);
    assertNoKey(run, key);
  });

  it('reads the key from stdin, dropping one trailing newline, and prints the JSON contract', async () => {
    const run = await runCli(['--provider', 'uppzy', '--base-url', uppzy.baseUrl, '--param', tenant, '--key-stdin', '--format', 'json'], {
      input: `${key}\n`,
    });
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['provider', 'outcome', 'httpStatus', 'latencyMs', 'retryAfterSeconds', 'rateLimit', 'plan', 'message']);
    assert.equal(json.provider, 'uppzy');
    assert.equal(json.outcome, 'ok');
    assert.equal(json.httpStatus, 200);
    assert.equal(json.retryAfterSeconds, null);
    assert.equal(json.rateLimit, null, 'Uppzy reports no rate limit');
    assert.equal(typeof json.latencyMs, 'number');
  });

  describe('rate-limit headroom', () => {
    const servers: ProviderServer[] = [];
    after(() => Promise.all(servers.map((server) => server.close())));
    const start = async (providerId: string) => {
      const server = await startProviderServer(providerId);
      servers.push(server);
      return server;
    };
    const layerArgs = (server: ProviderServer) => [
      '--provider',
      'layerx402',
      '--base-url',
      server.baseUrl,
      '--param',
      `wallet=${TEST_PARAMS.layerx402!.wallet}`,
    ];

    it('prints the headroom Layerx402 reports and the plan its limit implies, in text and as JSON with an ISO reset time', async () => {
      const layer = await start('layerx402');
      const env = { LAYERX402_API_KEY: TEST_KEYS.layerx402! };
      const text = await runCli([...layerArgs(layer), '--key-env', 'LAYERX402_API_KEY'], { env });
      assert.equal(text.code, 0, text.stderr);
      const lines = text.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 2, text.stdout);
      assert.match(lines[1]!, /^Rate limit: 87 of 100 requests left, resets \S.*; Standard plan \(100 requests a minute\)\.$/);
      const started = Date.now();
      const json = JSON.parse((await runCli([...layerArgs(layer), '--key-env', 'LAYERX402_API_KEY', '--format', 'json'], { env })).stdout) as {
        rateLimit: { limit: number; remaining: number; resetAt: string };
      };
      assert.deepEqual(Object.keys(json.rateLimit), ['limit', 'remaining', 'resetAt']);
      assert.equal(json.rateLimit.limit, 100);
      assert.equal(json.rateLimit.remaining, 87);
      assert.match(json.rateLimit.resetAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      const finished = Date.now();
      // The server answers between the two instants with its whole second plus a minute.
      const resetAt = Date.parse(json.rateLimit.resetAt);
      assert.ok(
        resetAt >= started - 1_000 + 60_000 && resetAt <= finished + 60_000,
        `the server's Unix-seconds reset, a minute ahead (${resetAt - started} ms after the start, ${finished - started} ms run)`,
      );
      assertNoKey(text, TEST_KEYS.layerx402!);
    });

    it("reads GitHub's 403 with no requests left as rate-limited, with the wait until its reset", async () => {
      const github = await start('github');
      const run = await runCli(['--provider', 'github', '--base-url', github.baseUrl, '--key-stdin', '--format', 'json'], { input: GITHUB_EXHAUSTED_TOKEN });
      assert.equal(run.code, 1);
      const json = JSON.parse(run.stdout) as {
        outcome: string;
        httpStatus: number;
        retryAfterSeconds: number;
        rateLimit: { limit: number; remaining: number };
      };
      assert.equal(json.outcome, 'rate-limited');
      assert.equal(json.httpStatus, 403);
      assert.ok(json.retryAfterSeconds > 3000 && json.retryAfterSeconds <= 3600, String(json.retryAfterSeconds));
      assert.deepEqual([json.rateLimit.limit, json.rateLimit.remaining], [5000, 0]);
      assertNoKey(run, GITHUB_EXHAUSTED_TOKEN);
    });
  });

  it('exits 1 with the outcome for a failed check, with null for absent fields', async () => {
    const wrong = await runCli(['--provider', 'uppzy', '--base-url', uppzy.baseUrl, '--param', tenant, '--key-stdin', '--format', 'json'], {
      input: 'upz_live_wrong_wrong_wrong_wrong',
    });
    assert.equal(wrong.code, 1);
    assert.equal(JSON.parse(wrong.stdout).outcome, 'unauthorized');
    const damaged = await runCli(['--provider', 'uppzy', '--base-url', uppzy.baseUrl, '--param', tenant, '--key-stdin', '--format', 'json'], {
      input: `"${key}"\n`,
    });
    assert.equal(damaged.code, 1);
    const json = JSON.parse(damaged.stdout) as Record<string, unknown>;
    assert.equal(json.outcome, 'invalid-key');
    assert.equal(json.httpStatus, null);
    assert.match(String(json.message), /quotes/);
    assertNoKey(damaged, key);
  });

  it('never prints the key, even when the server echoes it', async () => {
    const echo = await startEchoServer();
    try {
      const run = await runCli(['--provider', 'uppzy', '--base-url', `${echo.origin}/api/v1`, '--param', tenant, '--key-env', 'K'], {
        env: { K: key },
      });
      assert.equal(run.code, 1);
      assert.match(run.stdout, /^unauthorized/);
      assertNoKey(run, key);
    } finally {
      await echo.close();
    }
  });

  it('refuses plain http to a non-loopback host without sending', async () => {
    const run = await runCli(['--provider', 'saleslayer', '--base-url', 'http://api2.saleslayer.com', '--key-env', 'K'], {
      env: { K: TEST_KEYS.saleslayer! },
    });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^insecure-url/);
  });

  it('reports a timeout within --timeout-ms', async () => {
    const silent = await startSilentServer();
    try {
      const run = await runCli(['--provider', 'saleslayer', '--base-url', silent.origin, '--key-env', 'K', '--timeout-ms', '300'], {
        env: { K: TEST_KEYS.saleslayer! },
      });
      assert.equal(run.code, 1);
      assert.match(run.stdout, /^timeout/);
    } finally {
      await silent.close();
    }
  });

  it('goes through HTTPS_PROXY', async () => {
    const proxy: LocalServer & { connects: string[] } = await startRefusingProxy();
    try {
      const run = await runCli(['--provider', 'saleslayer', '--key-env', 'K', '--timeout-ms', '5000'], {
        env: { K: TEST_KEYS.saleslayer!, HTTPS_PROXY: proxy.origin },
      });
      assert.equal(run.code, 1);
      assert.deepEqual(proxy.connects, ['api2.saleslayer.com:443']);
      assert.match(run.stdout, /^network-error.*proxy/);
    } finally {
      await proxy.close();
    }
  });

  it('checks a custom provider from --providers-file and reports the broken definitions', async () => {
    const echo = await startEchoServer();
    const file = path.join(workDir, 'providers.json');
    fs.writeFileSync(
      file,
      JSON.stringify([
        {
          id: 'acme',
          displayName: 'Acme',
          baseUrl: echo.origin,
          auth: { in: 'query', name: 'api_key' },
          docsUrl: 'https://docs.acme.example',
          check: { path: '/v1/me' },
        },
        { id: 'broken', displayName: 'Broken' },
      ]),
    );
    try {
      const run = await runCli(['--provider', 'acme', '--providers-file', file, '--key-env', 'K'], { env: { K: key } });
      assert.equal(run.code, 1);
      assert.match(run.stdout, /^unauthorized \(HTTP 401/);
      assert.match(run.stderr, /skipped provider 'broken' \(#2\), field 'baseUrl'/);
      assert.equal(echo.requests[0]!.url, `/v1/me?api_key=${encodeURIComponent(key)}`);
      assertNoKey(run, key);
      const broken = await runCli(['--provider', 'broken', '--providers-file', file, '--key-env', 'K'], { env: { K: key } });
      assert.equal(broken.code, 2);
      assert.match(broken.stderr, /field 'baseUrl': missing/);
    } finally {
      await echo.close();
    }
  });

  describe('through an HTTPS_PROXY tunnel to an HTTPS provider', () => {
    // Nothing is mocked: real sockets, real TLS, real undici, all on 127.0.0.1. The base URL names a host
    // that is not loopback, so the CLI uses the proxy, and the test proxy tunnels every CONNECT to the local
    // HTTPS provider (a proxied client never resolves the name). The CLI trusts that provider's self-signed
    // certificate through NODE_EXTRA_CA_CERTS, as it would a company CA; the NO_PROXY test alone adds a
    // lookup hook, explained there.
    const host = 'api.uppzy.com';
    const baseUrl = `https://${host}${BASE_PATHS.uppzy}`;
    const credentials: ProxyCredentials = { user: 'akg-proxy-user', password: 'pa:ss@wo/rd-9f3k' };
    const checkArgs = (url: string) => ['--provider', 'uppzy', '--base-url', url, '--param', tenant, '--key-env', 'K', '--timeout-ms', '5000'];
    const proxyUrl = (proxy: TunnelProxy, user: string, password: string) => `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${proxy.host}`;
    let provider: ProviderServer | undefined;
    let caFile: string;
    let proxies: TunnelProxy[] = [];
    const startProxy = async (proxyCredentials?: ProxyCredentials): Promise<TunnelProxy> => {
      const proxy = await startTunnelProxy({ upstream: provider!.origin, ...(proxyCredentials ? { credentials: proxyCredentials } : {}) });
      proxies.push(proxy);
      return proxy;
    };
    const env = (proxy: string, extra: Record<string, string> = {}) => ({ K: key, HTTPS_PROXY: proxy, NODE_EXTRA_CA_CERTS: caFile, ...extra });

    /** Fails unless the output shows none of `secrets` in any form a server or a URL could carry. */
    function assertNothingSecret(run: Run, ...secrets: string[]): void {
      assertNoKey(run, key);
      for (const form of secrets.flatMap(secretForms)) {
        assert.ok(!`${run.stdout}${run.stderr}`.includes(form), `output contains ${JSON.stringify(form)}: ${run.stdout}${run.stderr}`);
      }
    }

    before(async () => {
      const certificate = makeSelfSignedCertificate([host]);
      caFile = path.join(workDir, 'provider-ca.pem');
      fs.writeFileSync(caFile, certificate.cert);
      provider = await startProviderServer('uppzy', certificate);
    });
    beforeEach(() => {
      provider!.requests.length = 0;
    });
    afterEach(async () => {
      await Promise.all(proxies.map((proxy) => proxy.close()));
      proxies = [];
    });
    after(() => provider?.close());

    it('is ok through an http:// proxy that sees CONNECT, then only TLS, and never the key', async () => {
      const proxy = await startProxy();
      const run = await runCli(checkArgs(baseUrl), { env: env(proxy.origin) });
      await proxy.settled();
      const received = proxy.received();
      for (const form of [...secretForms(key), 'x-api-key', 'GET /', TEST_PARAMS.uppzy!.tenantId!]) {
        assert.ok(!received.includes(form), `the proxy received ${JSON.stringify(form)}`);
      }
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^ok \(HTTP 200, \d+ ms\): Uppzy M2M API accepted the key/);
      assert.equal(proxy.requests.length, 1);
      const [connect] = proxy.requests;
      assert.equal(connect!.head.split('\r\n')[0], `CONNECT ${host}:443 HTTP/1.1`);
      assert.equal(connect!.status, 200);
      for (const name of Object.keys(connect!.headers)) {
        assert.match(name, /^(host|connection|proxy-[a-z-]+)$/, `the CONNECT request carries a ${name} header`);
      }
      // Everything the proxy received is that head and the tunnel, and the tunnel is TLS records only.
      const tunnelled = Buffer.concat(connect!.tunnelled);
      assert.equal(received.length, Buffer.byteLength(connect!.head, 'latin1') + 4 + tunnelled.length);
      const records = tlsRecords(tunnelled);
      assert.equal(records[0]!.type, 22, 'the tunnel does not start with a TLS handshake');
      assert.ok(
        records.some((record) => record.type === 23),
        'no encrypted application data went through the tunnel',
      );
      // ...and the key did arrive, at the provider, through the tunnel.
      assert.equal(provider!.requests.length, 1);
      assert.equal(provider!.requests[0]!.headers['x-api-key'], key);
      assert.equal(provider!.requests[0]!.headers.host, host);
      assertNoKey(run, key);
    });

    it('sends proxy credentials as Proxy-Authorization, and prints neither them nor the key', async () => {
      const proxy = await startProxy(credentials);
      const run = await runCli(checkArgs(baseUrl), { env: env(proxyUrl(proxy, credentials.user, credentials.password)) });
      await proxy.settled();
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^ok \(HTTP 200/);
      assert.equal(proxy.requests.length, 1);
      assert.equal(proxy.requests[0]!.headers['proxy-authorization'], `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`);
      assert.equal(proxy.requests[0]!.status, 200);
      assert.equal(provider!.requests.length, 1);
      assertNothingSecret(run, credentials.user, credentials.password);
    });

    it('exits 1 when the proxy refuses the credentials (407), naming the proxy but not the credentials', async () => {
      const proxy = await startProxy(credentials);
      const none = await runCli(checkArgs(baseUrl), { env: env(proxy.origin) });
      const wrong = { user: credentials.user, password: 'wr:ong@pa/ss-77x1' };
      const refused = await runCli(checkArgs(baseUrl), { env: env(proxyUrl(proxy, wrong.user, wrong.password)) });
      await proxy.settled();
      assert.deepEqual(
        proxy.requests.map((request) => [request.status, request.headers['proxy-authorization']]),
        [
          [407, undefined],
          [407, `Basic ${Buffer.from(`${wrong.user}:${wrong.password}`).toString('base64')}`],
        ],
      );
      for (const run of [none, refused]) {
        assertNothingSecret(run, wrong.user, wrong.password, `${wrong.user}:${wrong.password}`);
        assert.equal(run.code, 1, run.stderr);
        assert.match(run.stdout, /^network-error \(\d+ ms\): The proxy http:\/\/127\.0\.0\.1:\d+ did not open a connection to api\.uppzy\.com \(.*407/);
      }
      assert.equal(provider!.requests.length, 0);
    });

    it('bypasses the proxy for a host in NO_PROXY: the proxy gets not even a connection', async () => {
      // Bypassing, the CLI resolves the host itself. This preloaded hook answers 127.0.0.1 for
      // api.uppzy.com so the check stays on loopback instead of asking the network's DNS, and reports
      // each lookup on stderr. It touches only name resolution: the sockets, TLS and undici stay real.
      const hook = ['--require', path.join(root, 'test', 'fixtures', 'resolveTestHost.js')];
      const proxy = await startProxy();
      // Uppzy on another port is another origin: a custom provider declares it, as a user would for such a server.
      const direct = `https://${host}:${new URL(provider!.origin).port}${BASE_PATHS.uppzy}`;
      const providersFile = path.join(workDir, 'uppzy-direct.json');
      const uppzy = BUILT_IN_PROVIDERS.find((candidate) => candidate.id === 'uppzy')!;
      fs.writeFileSync(providersFile, JSON.stringify([{ ...uppzy, id: 'uppzy-direct', baseUrl: direct, origins: undefined }]));
      const directArgs = ['--provider', 'uppzy-direct', '--providers-file', providersFile, ...checkArgs(direct).slice(2)];
      const bypassed = await runCli(directArgs, { env: env(proxy.origin, { NO_PROXY: `localhost, .uppzy.com` }), nodeArgs: hook });
      assert.equal(bypassed.code, 0, bypassed.stdout + bypassed.stderr);
      assert.match(bypassed.stdout, /^ok \(HTTP 200/);
      assert.match(bypassed.stderr, /resolveTestHost: api\.uppzy\.com -> 127\.0\.0\.1/);
      assert.equal(proxy.connections(), 0, 'the proxy was connected to');
      assert.equal(proxy.received().length, 0);
      assert.equal(provider!.requests.length, 1);
      // The same check without NO_PROXY goes through the proxy, and the hook sees no lookup.
      const proxied = await runCli(directArgs, { env: env(proxy.origin), nodeArgs: hook });
      await proxy.settled();
      assert.equal(proxied.code, 0, proxied.stdout + proxied.stderr);
      assert.deepEqual(
        proxy.requests.map((request) => request.target),
        [`${host}:${new URL(provider!.origin).port}`],
      );
      assert.doesNotMatch(proxied.stderr, /resolveTestHost/);
      assertNoKey(bypassed, key);
      assertNoKey(proxied, key);
    });
  });

  describe('--check websocket for Layerx402', () => {
    const layerKey = TEST_KEYS.layerx402!;
    let server: WebSocketServer;
    before(async () => {
      server = await startWebSocketServer();
    });
    after(() => server.close());
    const wsArgs = () => ['--provider', 'layerx402', '--check', 'websocket', '--base-url', server.baseUrl, '--key-env', 'K'];

    it('exits 0 with the plan for a key the WebSocket API authenticates, and needs no wallet', async () => {
      const run = await runCli(wsArgs(), { env: { K: layerKey } });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^ok \(\d+ ms\): Layerx402 accepted the key over its WebSocket API \(plan: premium\)\.\n$/);
      const json = JSON.parse((await runCli([...wsArgs(), '--format', 'json'], { env: { K: layerKey } })).stdout) as Record<string, unknown>;
      assert.equal(json.outcome, 'ok');
      assert.equal(json.plan, 'premium');
      assert.equal(json.httpStatus, null);
      assert.equal(server.messages.at(-1), JSON.stringify({ method: 'authenticate', apiKey: layerKey }));
      assertNoKey(run, layerKey);
    });

    it('exits 1 and says why for a refused key, never showing it', async () => {
      const wrong = 'lx402_sk_wrong_0000000000000000000000';
      server.behaviour = 'echo-key';
      try {
        const run = await runCli([...wsArgs(), '--format', 'json'], { env: { K: wrong } });
        assert.equal(run.code, 1, run.stderr);
        const json = JSON.parse(run.stdout) as Record<string, unknown>;
        assert.equal(json.outcome, 'unauthorized');
        assert.match(String(json.message), /AUTHENTICATION_FAILED/);
        assertNoKey(run, wrong);
      } finally {
        server.behaviour = 'documented';
      }
    });

    it('exits 2 for a WebSocket URL Layerx402 does not declare, or not ws(s)://, and connects nowhere', async () => {
      const connections = server.connections();
      for (const [baseUrl, message] of [
        ['wss://collector.example', /the key would go to collector\.example, which is not a server of Layerx402/],
        [server.baseUrl.replace('ws:', 'http:'), /the WebSocket URL must start with wss:\/\//],
      ] as const) {
        const run = await runCli(['--provider', 'layerx402', '--check', 'websocket', '--base-url', baseUrl, '--key-env', 'K'], { env: { K: layerKey } });
        assert.equal(run.code, 2, run.stdout);
        assert.match(run.stderr, message);
        assertNoKey(run, layerKey);
      }
      assert.equal(server.connections(), connections);
    });

    it('lists the check in its help, without the wallet the REST check needs', async () => {
      const run = await runCli(['--help']);
      assert.match(run.stdout, /--check websocket: WebSocket API \(WebSocket wss:\/\/layerx402\.dev\/api\/data\) instead of GET \/portfolio\/\{wallet\}/);
    });
  });

  it("checks a custom provider's WebSocket check from --providers-file, and skips a definition whose WebSocket URL is undeclared", async () => {
    const server = await startWebSocketServer(undefined, ACME_STREAM_DIALECT);
    const file = path.join(workDir, 'stream-providers.json');
    const undeclared = { ...acmeStreamDefinition('wss://collector.example'), id: 'acme-collector', origins: undefined };
    fs.writeFileSync(file, JSON.stringify({ providers: [acmeStreamDefinition(server.baseUrl), undeclared] }));
    const args = (id: string) => ['--provider', id, '--check', 'stream', '--providers-file', file, '--key-env', 'K'];
    try {
      const run = await runCli(args('acme-stream'), { env: { K: ACME_STREAM_KEY } });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^ok \(\d+ ms\): Acme Stream accepted the key over its WebSocket API \(plan: gold\)\.\n$/);
      assert.match(
        run.stderr,
        /skipped provider 'acme-collector' \(#2\), field 'alternativeChecks\[0\]\.websocket\.baseUrl': its origin wss:\/\/collector\.example is not in origins/,
      );
      assert.deepEqual(server.messages, [JSON.stringify({ action: 'auth', version: '2', token: ACME_STREAM_KEY })]);
      assertNoKey(run, ACME_STREAM_KEY);
      server.behaviour = 'echo-key';
      const refused = await runCli([...args('acme-stream'), '--format', 'json'], { env: { K: ACME_STREAM_KEY } });
      assert.equal(refused.code, 1, refused.stderr);
      const json = JSON.parse(refused.stdout) as Record<string, unknown>;
      assert.equal(json.outcome, 'unauthorized');
      assert.match(String(json.message), /AUTH_REJECTED: "Invalid API key: \*\*\*\*/);
      assertNoKey(refused, ACME_STREAM_KEY);
      const skipped = await runCli(args('acme-collector'), { env: { K: ACME_STREAM_KEY } });
      assert.equal(skipped.code, 2, skipped.stdout);
      assert.match(skipped.stderr, /field 'alternativeChecks\[0\]\.websocket\.baseUrl'/);
      assertNoKey(skipped, ACME_STREAM_KEY);
      assert.equal(server.connections(), 2, 'only the two checks of the declared provider connected');
    } finally {
      await server.close();
    }
  });

  const usageErrors: readonly [string, readonly string[], RegExp][] = [
    ['a key on the command line', ['--provider', 'uppzy', '--key', key], /--key is not accepted/],
    ['a key as a positional argument', ['--provider', 'uppzy', key], /unexpected argument/],
    ['a key as an unknown option value', ['--provider', 'uppzy', `--apikey=${key}`], /unknown option --apikey/],
    ['no key source', ['--provider', 'uppzy', '--param', tenant], /the key is missing/],
    ['both key sources', ['--provider', 'uppzy', '--key-env', 'K', '--key-stdin'], /not both/],
    ['an unset variable', ['--provider', 'saleslayer', '--key-env', 'NOT_SET_ANYWHERE'], /NOT_SET_ANYWHERE is not set/],
    ['no provider', ['--key-env', 'K'], /--provider is required/],
    ['an unknown provider', ['--provider', 'nope', '--key-env', 'K'], /unknown provider 'nope' \(known: saleslayer, uppzy/],
    ['a missing parameter', ['--provider', 'uppzy', '--key-env', 'K'], /Tenant ID \(tenantId\) is required/],
    ['an unknown parameter', ['--provider', 'saleslayer', '--param', 'x=1', '--key-env', 'K'], /no parameter 'x'/],
    ['a bad base URL', ['--provider', 'saleslayer', '--base-url', 'api2 saleslayer', '--key-env', 'K'], /not a valid URL/],
    [
      'a base URL on an origin the provider does not declare',
      ['--provider', 'saleslayer', '--base-url', 'https://collector.example', '--key-env', 'K'],
      /the key would go to collector\.example, which is not a server of Sales Layer: its keys go only to https:\/\/api2\.saleslayer\.com/,
    ],
    [
      'an unknown check',
      ['--provider', 'saleslayer', '--check', 'products', '--key-env', 'K'],
      /Sales Layer has no check 'products' \(known: default, catalog\)/,
    ],
    [
      'a check the provider does not have',
      ['--provider', 'uppzy', '--param', tenant, '--check', 'catalog', '--key-env', 'K'],
      /Uppzy M2M API has no check 'catalog' \(known: default\)/,
    ],
    ['a bad timeout', ['--provider', 'saleslayer', '--key-env', 'K', '--timeout-ms', 'soon'], /--timeout-ms must be/],
    ['a bad format', ['--provider', 'saleslayer', '--key-env', 'K', '--format', 'xml'], /--format must be text or json/],
    ['a missing providers file', ['--provider', 'x', '--providers-file', 'nope.json', '--key-env', 'K'], /the file given with --providers-file does not exist/],
  ];
  for (const [name, args, message] of usageErrors) {
    it(`exits 2 for ${name}, naming the problem`, async () => {
      const run = await runCli(args, { env: { K: key } });
      assert.equal(run.code, 2, run.stdout);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
      assertNoKey(run, key);
    });
  }

  describe('echoes no option value that may be a key', () => {
    const echoes: readonly [string, readonly string[], RegExp][] = [
      [
        'the key where the variable name belongs',
        ['--provider', 'uppzy', '--param', tenant, '--key-env', 'sk_live_4eC39HqLyjWDarjtT1zdp7dcVx'],
        /the variable named by --key-env is not set/,
      ],
      [
        "another variable's value where its name belongs",
        ['--provider', 'uppzy', '--param', tenant, '--key-env', key],
        /the value given is that of K: use --key-env K/,
      ],
      ['the key as the provider', ['--provider', key, '--key-env', 'K'], /unknown provider given with --provider \(known: saleslayer/],
      [
        'the key as the check',
        ['--provider', 'saleslayer', '--check', key, '--key-env', 'K'],
        /Sales Layer has no check by the id given \(known: default, catalog\)/,
      ],
      [
        'the key as a parameter name',
        ['--provider', 'uppzy', '--param', `${key}=x`, '--key-env', 'K'],
        /Uppzy M2M API has no parameter by the name given \(known: tenantId\)/,
      ],
      [
        'the key twice as a parameter name',
        ['--provider', 'uppzy', '--param', `${key}=x`, '--param', `${key}=y`, '--key-env', 'K'],
        /--param with one name is given twice/,
      ],
      [
        'the key as a parameter value',
        ['--provider', 'uppzy', '--param', `tenantId=${key}==`, '--key-env', 'K'],
        /Tenant ID \(tenantId\) has an unexpected format/,
      ],
      ['the key as the base URL', ['--provider', 'uppzy', '--param', tenant, '--base-url', key, '--key-env', 'K'], /the base URL is not a valid URL/],
      [
        'the key in the base URL path, with a query',
        ['--provider', 'uppzy', '--param', tenant, '--base-url', `https://api.uppzy.com/v1/keys/${key}?x=1`, '--key-env', 'K'],
        /the base URL for api\.uppzy\.com must not contain a query or fragment/,
      ],
      [
        'the key as the base URL password',
        ['--provider', 'uppzy', '--param', tenant, '--base-url', `https://user:${key}@api.uppzy.com`, '--key-env', 'K'],
        /the base URL for api\.uppzy\.com must not contain a user name or password/,
      ],
      [
        'the key as the host of an ftp base URL',
        ['--provider', 'uppzy', '--param', tenant, '--base-url', `ftp://${key}`, '--key-env', 'K'],
        /must start with https:\/\//,
      ],
      [
        'the key as the timeout',
        ['--provider', 'uppzy', '--param', tenant, '--timeout-ms', key, '--key-env', 'K'],
        /--timeout-ms must be a whole number of milliseconds from 1 to 600000\n/,
      ],
      ['the key as the format', ['--provider', 'uppzy', '--param', tenant, '--format', key, '--key-env', 'K'], /--format must be text or json\n/],
      [
        'the key as the providers file',
        ['--provider', 'uppzy', '--providers-file', key, '--key-env', 'K'],
        /the file given with --providers-file does not exist/,
      ],
      ['the key as an option name', ['--provider', 'uppzy', `--${key}`, '--key-env', 'K'], /unknown option \(its name is not shown: it may be a key\)/],
      ['the key as the value of a flag', ['--provider', 'uppzy', `--key-stdin=${key}`], /option --key-stdin is used wrongly/],
    ];
    for (const [name, args, message] of echoes) {
      it(`exits 2 for ${name} without repeating it`, async () => {
        const run = await runCli(args, { env: { K: key } });
        assert.equal(run.code, 2, run.stdout);
        assert.match(run.stderr, message);
        assertNoFragment(run, key);
      });
    }

    it('still names a variable that may be named, and values that cannot be keys', async () => {
      const unset = await runCli(['--provider', 'uppzy', '--param', tenant, '--key-env', 'UPPZY_API_KEY']);
      assert.match(unset.stderr, /environment variable UPPZY_API_KEY is not set/);
      const format = await runCli(['--provider', 'uppzy', '--param', tenant, '--format', 'xml', '--key-env', 'K'], { env: { K: key } });
      assert.match(format.stderr, /--format must be text or json, not 'xml'/);
    });

    it('exits 2 for the key as a command, without repeating it', async () => {
      const run = await runCli([key], { command: [] });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /unknown command \(not shown: it may be a key\)/);
      assertNoFragment(run, key);
    });

    it('says where a providers file stops being JSON, quoting none of it (a key file given by mistake)', async () => {
      const keyFile = path.join(workDir, 'key.txt');
      fs.writeFileSync(keyFile, `${key}\n`);
      const broken = path.join(workDir, 'broken.json');
      fs.writeFileSync(broken, `{\n  "providers": [\n    { "id": "acme", "apiKey": ${key} }\n  ]\n}\n`);
      const cut = path.join(workDir, 'cut.json');
      fs.writeFileSync(cut, `[{ "id": "${key}"`);
      const cases: readonly [string, RegExp][] = [
        [keyFile, /key\.txt is not valid JSON at line 1, column 1 \(its content is not shown/],
        [broken, /broken\.json is not valid JSON at line 3, column 31 /],
        [cut, /cut\.json is not valid JSON at the end \(it stops before the JSON is complete\)/],
      ];
      for (const [file, message] of cases) {
        const run = await runCli(['--provider', 'acme', '--providers-file', file, '--key-env', 'K'], { env: { K: 'x' } });
        assert.equal(run.code, 2, run.stdout);
        assert.match(run.stderr, message);
        assertNoFragment(run, key);
      }
    });
  });

  it('masks fragments of the key a server echoes glued to other text, percent-encoded or in base64', async () => {
    const fragment = key.slice(4, 20);
    const quoted = [...key].map((char) => (/[A-Za-z0-9]/.test(char) ? char : `%${char.charCodeAt(0).toString(16)}`)).join('');
    const echo = await startServer((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      const detail = `api_key=${key.slice(0, 20)}… /v1/keys/${fragment} key-${fragment} ${quoted} ${Buffer.from(`u:${key}`).toString('base64')}`;
      response.end(JSON.stringify({ detail, message: detail, error: { message: detail } }));
    });
    try {
      for (const format of ['text', 'json']) {
        const run = await runCli(['--provider', 'uppzy', '--base-url', `${echo.origin}/api/v1`, '--param', tenant, '--key-env', 'K', '--format', format], {
          env: { K: key },
        });
        assert.equal(run.code, 1, run.stderr);
        assert.match(run.stdout, /api_key=\*\*\*\*/);
        assertNoFragment(run, key);
        const base64 = run.stdout.match(/[A-Za-z0-9+/]{12,}/g) ?? [];
        assert.ok(!base64.some((run) => Buffer.from(run, 'base64').toString('latin1').includes(key.slice(0, 8))), run.stdout);
      }
    } finally {
      await echo.close();
    }
  });

  describe('with the Sales Layer Catalog API check', () => {
    let salesLayer: ProviderServer;
    before(async () => {
      salesLayer = await startProviderServer('saleslayer');
    });
    after(() => salesLayer.close());

    it('exits 0 for a Catalog-only key with --check catalog, sending the documented Catalog request', async () => {
      const run = await runCli(['--provider', 'saleslayer', '--base-url', salesLayer.baseUrl, '--check', 'catalog', '--key-env', 'K'], {
        env: { K: SALES_LAYER_CATALOG_ONLY_KEY },
      });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^ok \(HTTP 200, \d+ ms\): Sales Layer accepted the key/);
      assert.equal(salesLayer.requests.at(-1)!.url, '/catalog/rest/Catalog/Products?$top=1&$select=prod_ref');
      assertNoKey(run, SALES_LAYER_CATALOG_ONLY_KEY);
    });

    it('exits 1 with forbidden for the DAM check of a Catalog-only key, pointing to the Catalog check', async () => {
      const run = await runCli(['--provider', 'saleslayer', '--base-url', salesLayer.baseUrl, '--key-env', 'K', '--format', 'json'], {
        env: { K: SALES_LAYER_CATALOG_ONLY_KEY },
      });
      assert.equal(run.code, 1, run.stderr);
      const json = JSON.parse(run.stdout) as Record<string, unknown>;
      assert.equal(json.outcome, 'forbidden');
      assert.equal(json.httpStatus, 403);
      assert.match(String(json.message), /if this is a Catalog-only key, choose the Catalog API check .*--check catalog/);
      assertNoKey(run, SALES_LAYER_CATALOG_ONLY_KEY);
    });
  });

  it('documents itself with --help', async () => {
    const run = await runCli(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /--key-stdin/);
    assert.match(run.stdout, /--check <id>/);
    assert.match(run.stdout, /--check catalog: Catalog API \(GET \/catalog\/rest\/Catalog\/Products\)/);
    assert.match(run.stdout, /Exit codes: 0/);
  });
});
