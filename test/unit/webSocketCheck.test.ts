import * as assert from 'node:assert/strict';
import { CheckConfigurationError, checkKey, type CheckOptions } from '../../src/core/checkEngine';
import type { CheckResult } from '../../src/core/checkOutcome';
import { BUILT_IN_PROVIDERS } from '../../src/core/providers/builtIn';
import { makeSelfSignedCertificate, startRefusingProxy, startServer, TEST_KEYS, type LocalServer } from '../fixtures/providerServers';
import { secretForms, startTunnelProxy } from '../fixtures/proxyServer';
import { parseProviderDefinitions } from '../../src/core/providers/definitions';
import type { ProviderDefinition } from '../../src/core/providers/types';
import {
  ACME_STREAM_DIALECT,
  ACME_STREAM_KEY,
  acmeStreamDefinition,
  LAYERX402_WS_PATH,
  startWebSocketServer,
  type WebSocketBehaviour,
  type WebSocketServer,
} from '../fixtures/webSocketServer';

const provider = BUILT_IN_PROVIDERS.find((candidate) => candidate.id === 'layerx402')!;
const key = TEST_KEYS.layerx402!;

function assertNoKey(result: CheckResult, secret: string): void {
  const text = JSON.stringify(result);
  assert.ok(!text.includes(secret), `result contains the key: ${text}`);
  assert.ok(!text.includes(secret.slice(0, 10)), `result contains the start of the key: ${text}`);
}

function assertSentence(result: CheckResult): void {
  assert.match(result.message, /^[A-Z"].*[.]$/s, `not a sentence: ${result.message}`);
}

async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    assert.ok(tries < 200, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the Layerx402 WebSocket check against a local server', () => {
  let server: WebSocketServer;
  /** Another server on another port: nothing may ever reach it. */
  let elsewhere: LocalServer;
  const check = (overrides: { key?: string; baseUrl?: string } = {}, options: CheckOptions = {}) =>
    checkKey({ provider, key: overrides.key ?? key, checkId: 'websocket', baseUrl: overrides.baseUrl ?? server.baseUrl }, { timeoutMs: 5000, ...options });

  before(async () => {
    server = await startWebSocketServer();
    elsewhere = await startServer((_request, response) => response.end('{}'));
  });
  afterEach(() => {
    server.behaviour = 'documented';
    assert.equal(elsewhere.requests.length, 0, 'the other server received a request');
  });
  after(async () => {
    await server.close();
    await elsewhere.close();
  });

  it('is ok with the plan of the authenticated reply, the key only in the authenticate message, and closes right after', async () => {
    const before = server.messages.length;
    const result = await check();
    assert.equal(result.outcome, 'ok', result.message);
    assert.equal(result.plan, 'premium');
    assert.equal(result.message, 'Layerx402 accepted the key over its WebSocket API (plan: premium).');
    assert.equal(result.httpStatus, undefined);
    assert.match(result.request ?? '', new RegExp(`^WebSocket ws://127\\.0\\.0\\.1:\\d+${LAYERX402_WS_PATH}$`));
    assert.ok(result.latencyMs >= 0);
    assert.deepEqual(server.messages.slice(before), [JSON.stringify({ method: 'authenticate', apiKey: key })]);
    const upgrade = server.upgrades.at(-1)!;
    assert.equal(upgrade.url, LAYERX402_WS_PATH);
    assert.ok(!JSON.stringify(upgrade).includes(key), 'the key was in the upgrade request');
    assert.equal(upgrade.headers.authorization, undefined);
    await eventually(() => server.closeCodes.length > 0, 'the close frame');
    assert.equal(server.closeCodes.at(-1), 1000, 'the client closed normally right after the reply');
    assertNoKey(result, key);
  });

  it('needs no wallet, which only the REST check reads', async () => {
    const result = await checkKey({ provider, key, checkId: 'websocket', baseUrl: server.baseUrl }, { timeoutMs: 5000 });
    assert.equal(result.outcome, 'ok', result.message);
  });

  const documented: readonly [WebSocketBehaviour | 'wrong-key', string, RegExp][] = [
    [
      'wrong-key',
      'unauthorized',
      /^Layerx402 rejected the key over its WebSocket API \(AUTHENTICATION_FAILED: "Invalid API key"\): the key is missing, wrong or revoked/,
    ],
    [
      'connection-limit',
      'rate-limited',
      /\(CONNECTION_LIMIT: "Maximum number of connections reached"\): the key already has as many WebSocket connections open as its plan allows/,
    ],
    ['rate-limited', 'rate-limited', /\(RATE_LIMIT_EXCEEDED: "Too many requests"\): Layerx402 allows 100 requests a minute.*; retry in 30 s\.$/],
  ];
  for (const [behaviour, outcome, message] of documented) {
    it(`reads ${behaviour === 'wrong-key' ? 'a wrong key (AUTHENTICATION_FAILED)' : behaviour} as ${outcome}, in plain words`, async () => {
      const wrong = 'lx402_sk_wrong_0000000000000000000000';
      if (behaviour !== 'wrong-key') server.behaviour = behaviour;
      const result = await check(behaviour === 'wrong-key' ? { key: wrong } : {});
      assert.equal(result.outcome, outcome, result.message);
      assert.match(result.message, message);
      assertSentence(result);
      assertNoKey(result, behaviour === 'wrong-key' ? wrong : key);
    });
  }

  it('gives the retry time of a rate-limited reply to the caller', async () => {
    server.behaviour = 'rate-limited';
    assert.equal((await check()).retryAfterSeconds, 30);
  });

  it('never shows the key when an error message echoes it', async () => {
    server.behaviour = 'echo-key';
    const result = await check();
    assert.equal(result.outcome, 'unauthorized');
    assert.match(result.message, /Invalid API key: \*\*\*\*/);
    assertNoKey(result, key);
  });

  it('cleans a hostile plan name: the key masked, no control or invisible characters, a bounded length', async () => {
    server.behaviour = 'hostile-plan';
    const result = await check();
    assert.equal(result.outcome, 'ok', result.message);
    assertNoKey(result, key);
    assert.match(result.plan!, /^Premium \[31m\*{4}\w{0,4} x+…$/, 'the key masked as every message masks it');
    assert.ok(result.plan!.length <= 40, result.plan);
    assert.doesNotMatch(`${result.plan}${result.message}`, /[\p{Cc}\p{Cf}]/u);
    assert.equal(result.message, `Layerx402 accepted the key over its WebSocket API (plan: ${result.plan}).`);
  });

  it('reads on past a greeting, and joins a fragmented reply', async () => {
    server.behaviour = 'greeting-first';
    const result = await check();
    assert.equal(result.outcome, 'ok', result.message);
    assert.equal(result.plan, 'premium');
  });

  const unexpected: readonly [WebSocketBehaviour, RegExp][] = [
    ['unknown-code', /refused the WebSocket check with MAINTENANCE: "Down for maintenance", which its documentation does not describe/],
    ['close-instead', /closed the WebSocket \(code 4001: "authentication required"\) without answering the check/],
    ['not-json', /with something other than JSON/],
    ['greetings-only', /sent 4 WebSocket messages without answering the check/],
  ];
  for (const [behaviour, message] of unexpected) {
    it(`is unexpected-response when the server does not answer as documented: ${behaviour}`, async () => {
      server.behaviour = behaviour;
      const result = await check();
      assert.equal(result.outcome, 'unexpected-response', result.message);
      assert.match(result.message, message);
      assertSentence(result);
      assertNoKey(result, key);
    });
  }

  it('refuses a message announced over 64 KiB at its header, and closes with 1009', async () => {
    server.behaviour = 'oversized';
    const codes = server.closeCodes.length;
    const result = await check();
    assert.equal(result.outcome, 'unexpected-response', result.message);
    assert.match(result.message, /broke the WebSocket protocol \(a message was larger than 64 KiB\)/);
    await eventually(() => server.closeCodes.length > codes, 'the close frame');
    assert.equal(server.closeCodes.at(-1), 1009);
  });

  it('is timeout when the server never answers, and the connection is dropped', async () => {
    server.behaviour = 'silent';
    const result = await check({}, { timeoutMs: 300 });
    assert.equal(result.outcome, 'timeout', result.message);
    assert.match(result.message, /^No answer from 127\.0\.0\.1:\d+ within 300 ms/);
  });

  const refusedUpgrades: readonly [WebSocketBehaviour, string, RegExp][] = [
    ['not-101', 'unexpected-response', /answered the WebSocket request with HTTP 200 instead of opening a WebSocket, so the key was not sent/],
    ['unauthorized-upgrade', 'unexpected-response', /HTTP 401 instead of opening a WebSocket, so the key was not sent/],
    [
      'bad-accept',
      'unexpected-response',
      /did not open a WebSocket at 127\.0\.0\.1:\d+: its Sec-WebSocket-Accept does not answer the handshake.*so the key was not sent/,
    ],
  ];
  for (const [behaviour, outcome, message] of refusedUpgrades) {
    it(`sends no key when the upgrade ${behaviour === 'bad-accept' ? 'answer does not prove the handshake' : `is answered ${behaviour}`}`, async () => {
      server.behaviour = behaviour;
      const before = server.messages.length;
      const result = await check();
      assert.equal(result.outcome, outcome, result.message);
      assert.match(result.message, message);
      assert.equal(server.messages.length, before, 'the server received a message');
      assertNoKey(result, key);
    });
  }

  it('follows no redirect of the upgrade: the other server gets nothing', async () => {
    server.behaviour = 'redirect';
    server.redirectTo = `${elsewhere.origin}${LAYERX402_WS_PATH}`;
    const result = await check();
    assert.equal(result.outcome, 'redirect-blocked', result.message);
    assert.equal(result.httpStatus, 302);
    assert.match(result.message, /the key was not sent there/);
    assert.equal(elsewhere.requests.length, 0);
  });

  it('stops when its signal aborts: there is no result', async () => {
    server.behaviour = 'silent';
    const cancel = new AbortController();
    const checking = check({}, { timeoutMs: 60_000, signal: cancel.signal });
    setTimeout(() => cancel.abort(), 100);
    await assert.rejects(checking, { name: 'CheckCancelledError' });
  });
});

describe('the Layerx402 WebSocket check and where the key may go', () => {
  it('sends nothing, not even to a proxy, for plain ws:// to its own host: insecure-url', async () => {
    const proxy = await startRefusingProxy();
    try {
      const result = await checkKey({ provider, key, checkId: 'websocket', baseUrl: 'ws://layerx402.dev/api/data' }, { proxyUrl: proxy.origin });
      assert.equal(result.outcome, 'insecure-url');
      assert.match(result.message, /^The WebSocket URL uses plain ws:\/\/ to layerx402\.dev.*use wss:\/\/\.$/);
      assert.equal(proxy.requests.length + proxy.connects.length, 0);
    } finally {
      await proxy.close();
    }
  });

  it('refuses an origin Layerx402 does not declare, and an https:// URL for the WebSocket check, before sending anything', async () => {
    const proxy = await startRefusingProxy();
    try {
      await assert.rejects(
        checkKey({ provider, key, checkId: 'websocket', baseUrl: 'wss://collector.example' }, { proxyUrl: proxy.origin }),
        (error: unknown) =>
          error instanceof CheckConfigurationError &&
          error.message.startsWith(
            'the key would go to collector.example, which is not a server of Layerx402: its keys go only to https://api.layerx402.dev, wss://layerx402.dev',
          ),
      );
      await assert.rejects(
        checkKey({ provider, key, checkId: 'websocket', baseUrl: 'https://api.layerx402.dev' }),
        /the WebSocket URL must start with wss:\/\//,
      );
      assert.equal(proxy.requests.length + proxy.connects.length, 0);
    } finally {
      await proxy.close();
    }
  });

  it('goes to the documented endpoint by default, through the proxy', async () => {
    const proxy = await startRefusingProxy();
    try {
      const result = await checkKey({ provider, key, checkId: 'websocket' }, { proxyUrl: proxy.origin, timeoutMs: 5000 });
      assert.equal(result.outcome, 'network-error', result.message);
      assert.deepEqual(proxy.connects, ['layerx402.dev:443']);
      assertNoKey(result, key);
    } finally {
      await proxy.close();
    }
  });

  it('reaches its own host through a CONNECT proxy, the key inside TLS only', async () => {
    // The proxy tunnels the CONNECT for layerx402.dev to a local wss:// server with a certificate for that name.
    const certificate = makeSelfSignedCertificate(['layerx402.dev']);
    const server = await startWebSocketServer(certificate);
    const proxy = await startTunnelProxy({ upstream: server.baseUrl.replace('wss:', 'https:') });
    try {
      const result = await checkKey({ provider, key, checkId: 'websocket' }, { proxyUrl: proxy.origin, timeoutMs: 5000, ca: () => [certificate.cert] });
      await proxy.settled();
      assert.equal(result.outcome, 'ok', result.message);
      assert.deepEqual(
        proxy.requests.map((request) => request.target),
        ['layerx402.dev:443'],
      );
      for (const form of secretForms(key)) {
        assert.ok(!proxy.received().includes(form), `the proxy saw the key as ${form}`);
      }
      assert.equal(server.upgrades.at(-1)?.url, LAYERX402_WS_PATH);
    } finally {
      await proxy.close();
      await server.close();
    }
  });

  it('speaks wss:// over TLS, trusting only the authorities given', async () => {
    const certificate = makeSelfSignedCertificate(['127.0.0.1']);
    const server = await startWebSocketServer(certificate);
    try {
      const request = { provider, key, checkId: 'websocket', baseUrl: server.baseUrl };
      const untrusted = await checkKey(request, { timeoutMs: 5000 });
      assert.equal(untrusted.outcome, 'tls-error', untrusted.message);
      assert.deepEqual(server.messages, [], 'no key before the certificate is trusted');
      const trusted = await checkKey(request, { timeoutMs: 5000, ca: () => [certificate.cert] });
      assert.equal(trusted.outcome, 'ok', trusted.message);
      assert.equal(server.messages.length, 1);
    } finally {
      await server.close();
    }
  });
});

describe("a custom provider's WebSocket check, from its definition, against a local server", () => {
  let server: WebSocketServer;
  /** Another server on another port: nothing may ever reach it. */
  let elsewhere: LocalServer;
  let custom: ProviderDefinition;
  const wrongKey = 'acme_live_wrong_000000000000000000';

  /** Reads definitions as settings or a providers file hold them: JSON, through the custom-provider validation. */
  const load = (definitions: unknown[]) => parseProviderDefinitions(JSON.parse(JSON.stringify(definitions)));

  before(async () => {
    server = await startWebSocketServer(undefined, ACME_STREAM_DIALECT);
    elsewhere = await startServer((_request, response) => response.end('{}'));
    const { providers, errors } = load([acmeStreamDefinition(server.baseUrl)]);
    assert.deepEqual(errors, []);
    custom = providers[0]!;
  });
  afterEach(() => {
    server.behaviour = 'documented';
    assert.equal(elsewhere.requests.length, 0, 'the other server received a request');
  });
  after(async () => {
    await server.close();
    await elsewhere.close();
  });

  it('connects to its ws:// loopback URL, authenticates with the declared message and reports ok with the plan', async () => {
    const before = server.messages.length;
    const result = await checkKey({ provider: custom, key: ACME_STREAM_KEY, checkId: 'stream' }, { timeoutMs: 5000 });
    assert.equal(result.outcome, 'ok', result.message);
    assert.equal(result.plan, 'gold');
    assert.equal(result.message, 'Acme Stream accepted the key over its WebSocket API (plan: gold).');
    assert.deepEqual(server.messages.slice(before), [JSON.stringify({ action: 'auth', version: '2', token: ACME_STREAM_KEY })]);
    const upgrade = server.upgrades.at(-1)!;
    assert.equal(upgrade.url, ACME_STREAM_DIALECT.path);
    assert.ok(!JSON.stringify(upgrade).includes(ACME_STREAM_KEY), 'the key was in the upgrade request');
    assert.equal(upgrade.headers['x-acme-key'], undefined, 'the REST header is not sent over the WebSocket');
    await eventually(() => server.closeCodes.length > 0, 'the close frame');
    assert.equal(server.closeCodes.at(-1), 1000);
    assertNoKey(result, ACME_STREAM_KEY);
  });

  it('works as the default check too', async () => {
    const definition = acmeStreamDefinition(server.baseUrl);
    const [stream] = definition.alternativeChecks as { websocket: unknown }[];
    const { providers, errors } = load([
      { ...definition, check: { path: ACME_STREAM_DIALECT.path, websocket: stream!.websocket }, alternativeChecks: undefined },
    ]);
    assert.deepEqual(errors, []);
    const result = await checkKey({ provider: providers[0]!, key: ACME_STREAM_KEY }, { timeoutMs: 5000 });
    assert.equal(result.outcome, 'ok', result.message);
    assert.equal(result.plan, 'gold');
  });

  const declared: readonly [WebSocketBehaviour | 'wrong-key', string, RegExp][] = [
    [
      'wrong-key',
      'unauthorized',
      /^Acme Stream rejected the key over its WebSocket API \(AUTH_REJECTED: "Invalid API key"\): the token is wrong or revoked: create a new one in the Acme console\.$/,
    ],
    [
      'connection-limit',
      'forbidden',
      /^Acme Stream refused this request over its WebSocket API \(TOO_MANY_STREAMS: "Maximum number of connections reached"\): the plan allows one stream at a time: close the other one, then check again\.$/,
    ],
    ['rate-limited', 'rate-limited', /\(SLOW_DOWN: "Too many requests"\): Acme allows 10 stream logins a minute: wait and check again; retry in 30 s\.$/],
    ['unknown-code', 'unexpected-response', /refused the WebSocket check with MAINTENANCE: "Down for maintenance", which its documentation does not describe/],
  ];
  for (const [behaviour, outcome, message] of declared) {
    it(`maps ${behaviour === 'wrong-key' ? 'a wrong key' : behaviour} by its declared error codes to ${outcome}`, async () => {
      if (behaviour !== 'wrong-key') server.behaviour = behaviour;
      const key = behaviour === 'wrong-key' ? wrongKey : ACME_STREAM_KEY;
      const result = await checkKey({ provider: custom, key, checkId: 'stream' }, { timeoutMs: 5000 });
      assert.equal(result.outcome, outcome, result.message);
      assert.match(result.message, message);
      assertSentence(result);
      assertNoKey(result, key);
    });
  }

  it('never shows the key when an error message echoes it', async () => {
    server.behaviour = 'echo-key';
    const result = await checkKey({ provider: custom, key: ACME_STREAM_KEY, checkId: 'stream' }, { timeoutMs: 5000 });
    assert.equal(result.outcome, 'unauthorized');
    assert.match(result.message, /Invalid API key: \*\*\*\*/);
    assertNoKey(result, ACME_STREAM_KEY);
  });

  it('refuses, before anything is sent, a definition whose WebSocket URL is plain ws:// to another machine or on an undeclared origin', async () => {
    const connections = server.connections();
    const valid = acmeStreamDefinition(server.baseUrl);
    const withWebSocketUrl = (id: string, webSocketUrl: string, origins: readonly string[]) => {
      const definition = acmeStreamDefinition(webSocketUrl);
      return { ...definition, id, origins };
    };
    const { providers, errors } = load([
      withWebSocketUrl('acme-plain', 'ws://stream.acme.example', ['https://api.acme.example']),
      withWebSocketUrl('acme-collector', 'wss://collector.example', ['https://api.acme.example', 'wss://stream.acme.example']),
      withWebSocketUrl('acme-elsewhere', elsewhere.origin.replace('http:', 'ws:'), ['https://api.acme.example', server.baseUrl]),
      valid,
    ]);
    assert.deepEqual(
      providers.map((provider) => provider.id),
      ['acme-stream'],
      'a broken definition loses nothing else',
    );
    assert.deepEqual(
      errors.map((error) => [error.id, error.field]),
      [
        ['acme-plain', 'alternativeChecks[0].websocket.baseUrl'],
        ['acme-collector', 'alternativeChecks[0].websocket.baseUrl'],
        ['acme-elsewhere', 'alternativeChecks[0].websocket.baseUrl'],
      ],
    );
    assert.match(errors[0]!.message, /^use wss:\/\/: over plain ws:\/\/ the key would cross the network/);
    assert.match(errors[1]!.message, /^its origin wss:\/\/collector\.example is not in origins/);
    assert.match(errors[2]!.message, /^its origin ws:\/\/127\.0\.0\.1:\d+ is not in origins/);
    assert.equal(server.connections(), connections);
  });

  it("sends a key's own WebSocket URL nowhere but the declared origins, over wss:// alone, not even to a proxy", async () => {
    const proxy = await startRefusingProxy();
    try {
      const declared = load([{ ...acmeStreamDefinition(server.baseUrl), origins: ['https://api.acme.example', 'wss://stream.acme.example', server.baseUrl] }])
        .providers[0]!;
      const request = (baseUrl: string) => ({ provider: declared, key: ACME_STREAM_KEY, checkId: 'stream', baseUrl });
      await assert.rejects(
        checkKey(request('wss://collector.example'), { proxyUrl: proxy.origin }),
        (error: unknown) =>
          error instanceof CheckConfigurationError &&
          error.message.startsWith('the key would go to collector.example, which is not a server of Acme Stream') &&
          !error.message.includes(ACME_STREAM_KEY),
      );
      const plain = await checkKey(request('ws://stream.acme.example'), { proxyUrl: proxy.origin });
      assert.equal(plain.outcome, 'insecure-url', plain.message);
      assertNoKey(plain, ACME_STREAM_KEY);
      assert.equal(proxy.requests.length + proxy.connects.length, 0);
    } finally {
      await proxy.close();
    }
  });
});
