import * as assert from 'node:assert/strict';
import { CheckConfigurationError, CheckMemory, checkKey, shouldUseProxy } from '../../src/core/checkEngine';
import type { CheckOutcome, CheckResult } from '../../src/core/checkOutcome';
import { forEachConcurrently } from '../../src/core/concurrency';
import { BUILT_IN_PROVIDERS } from '../../src/core/providers/builtIn';
import type { ProviderDefinition } from '../../src/core/providers/types';
import {
  BASE_PATHS,
  SALES_LAYER_CATALOG_ONLY_KEY,
  TEST_KEYS,
  TEST_PARAMS,
  UNKNOWN_PARAMS,
  closedPortOrigin,
  forcedAnswer,
  wrongKeyReading,
  makeSelfSignedCertificate,
  startEchoServer,
  startEndlessServer,
  startProviderServer,
  startRedirectServer,
  startRefusingProxy,
  startServer,
  startSilentServer,
  startSlowBodyServer,
  type ForcedAnswer,
  type LocalServer,
  type ProviderServer,
} from '../fixtures/providerServers';
import { secretForms, startTunnelProxy, tlsRecords, type TunnelProxy } from '../fixtures/proxyServer';

const SHORT_TIMEOUT_MS = 300;

/** Fails when a result or its message could reveal the key. */
function assertNoKey(result: CheckResult, key: string): void {
  const text = JSON.stringify(result);
  assert.ok(!text.includes(key), `result contains the key: ${text}`);
  assert.ok(!text.includes(encodeURIComponent(key)), `result contains the percent-encoded key: ${text}`);
  assert.ok(!text.includes(key.slice(0, 10)), `result contains the start of the key: ${text}`);
}

function assertSentence(result: CheckResult): void {
  assert.match(result.message, /^[A-Z"].*[.]$/s, `not a sentence: ${result.message}`);
  assert.ok(!result.message.includes('\n'), 'message spans lines');
}

for (const provider of BUILT_IN_PROVIDERS) {
  describe(`checkKey against a local ${provider.displayName}`, () => {
    const key = TEST_KEYS[provider.id]!;
    const params = TEST_PARAMS[provider.id]!;
    let server: ProviderServer;
    const check = (overrides: { key?: string; params?: Record<string, string>; baseUrl?: string } = {}, timeoutMs?: number) =>
      checkKey(
        { provider, key: overrides.key ?? key, params: overrides.params ?? params, baseUrl: overrides.baseUrl ?? server.baseUrl },
        { timeoutMs: timeoutMs ?? 5000 },
      );

    before(async () => {
      server = await startProviderServer(provider.id);
    });
    afterEach(() => {
      server.force = undefined;
    });
    after(() => server.close());

    it('is ok with the right key, sending it only in the documented place', async () => {
      const result = await check();
      assert.equal(result.outcome, 'ok', result.message);
      assert.equal(result.httpStatus, 200);
      assertSentence(result);
      const sent = server.requests.at(-1)!;
      assert.equal(sent.method, 'GET');
      const { auth } = provider;
      const placed =
        auth.in === 'header'
          ? { header: auth.name.toLowerCase(), value: `${auth.prefix ?? ''}${key}` }
          : auth.in === 'basic'
            ? {
                header: 'authorization',
                value: `Basic ${Buffer.from(`${auth.username.replace(/\{(\w+)\}/g, (_m, name: string) => params[name]!)}:${key}`).toString('base64')}`,
              }
            : undefined;
      const elsewhere = Object.entries(sent.headers).filter(([name]) => name !== placed?.header);
      assert.ok(!JSON.stringify(elsewhere).includes(key), 'key sent in another header');
      if (placed) {
        assert.equal(sent.headers[placed.header], placed.value);
        assert.ok(!sent.url.includes(key), 'key leaked into the URL');
      } else if (auth.in === 'query') {
        assert.equal(new URL(sent.url, 'http://local').searchParams.get(auth.name), key);
      }
    });

    it('reads a wrong key as the provider answers it, naming the causes and not the key', async () => {
      const wrong = 'wrong0key0' + 'x'.repeat(30);
      const result = await check({ key: wrong });
      const expected = wrongKeyReading(provider.id);
      assert.equal(result.outcome, expected.outcome, result.message);
      assert.equal(result.httpStatus, expected.status);
      assert.match(result.message, /wrong|invalid/i);
      assertNoKey(result, wrong);
      assertSentence(result);
    });

    const forced: readonly [ForcedAnswer, CheckOutcome][] = [
      ['forbidden', 'forbidden'],
      ['bad-request', 'bad-request'],
      ['not-found', 'not-found'],
      ['rate-limited', 'rate-limited'],
      ['server-error', 'server-error'],
      ['unexpected', 'unexpected-response'],
    ];
    for (const [force, outcome] of forced) {
      const answer = forcedAnswer(provider.id, force);
      if (!answer) {
        continue;
      }
      it(`reports ${outcome} when the provider answers ${force}`, async () => {
        server.force = force;
        const result = await check();
        assert.equal(result.outcome, outcome, result.message);
        assert.equal(result.httpStatus, answer.status);
        assert.ok(result.message.startsWith(provider.displayName), result.message);
        assertSentence(result);
        assertNoKey(result, key);
      });
    }

    if (UNKNOWN_PARAMS[provider.id] && provider.parameters.length > 0) {
      it('is not-found for a parameter outside the key scope', async () => {
        const result = await check({ params: { ...UNKNOWN_PARAMS[provider.id]! } });
        assert.equal(result.outcome, 'not-found', result.message);
        assert.match(result.message, new RegExp(provider.parameters[0]!.label.split(' ')[0]!, 'i'));
      });
    }

    it('is invalid-key for a pasted key with a trailing newline, and sends nothing', async () => {
      const before = server.requests.length;
      const result = await check({ key: `${key}\n` });
      assert.equal(result.outcome, 'invalid-key');
      assert.match(result.message, /line break/);
      assert.equal(server.requests.length, before);
      assertNoKey(result, key);
    });

    it('is insecure-url for plain http to another host, and sends nothing', async () => {
      const result = await check({ baseUrl: provider.baseUrl.replace(/^https:/, 'http:') });
      assert.equal(result.outcome, 'insecure-url');
      assert.match(result.message, /https:\/\//);
    });

    it('is timeout when the server never answers', async () => {
      const silent = await startSilentServer();
      try {
        const result = await check({ baseUrl: `${silent.origin}${BASE_PATHS[provider.id]}` }, SHORT_TIMEOUT_MS);
        assert.equal(result.outcome, 'timeout', result.message);
        assert.equal(result.httpStatus, undefined);
        assert.match(result.message, /300 ms/);
      } finally {
        await silent.close();
      }
    });

    it('is network-error on a closed port', async () => {
      const result = await check({ baseUrl: `${await closedPortOrigin()}${BASE_PATHS[provider.id]}` });
      assert.equal(result.outcome, 'network-error', result.message);
      assert.match(result.message, /refused/);
    });

    it('is redirect-blocked for a redirect to another origin, which receives nothing', async () => {
      const elsewhere = await startServer((_request, response) => response.end('{}'));
      const redirecting = await startRedirectServer(elsewhere.origin);
      try {
        const result = await check({ baseUrl: `${redirecting.origin}${BASE_PATHS[provider.id]}` });
        assert.equal(result.outcome, 'redirect-blocked');
        assert.equal(result.httpStatus, 302);
        assert.ok(result.message.includes(elsewhere.origin), result.message);
        assert.equal(elsewhere.requests.length, 0, 'the key was forwarded to the redirect target');
        assert.equal(redirecting.requests.length, 1);
        assertNoKey(result, key);
      } finally {
        await Promise.all([redirecting.close(), elsewhere.close()]);
      }
    });

    it('never shows the key when the server echoes it', async () => {
      const echo = await startEchoServer(provider.errorMessageFields[0] === 'error');
      try {
        const result = await check({ baseUrl: `${echo.origin}${BASE_PATHS[provider.id]}` });
        assert.equal(result.outcome, 'unauthorized');
        assertNoKey(result, key);
        assert.ok(result.message.includes('****'), result.message);
      } finally {
        await echo.close();
      }
    });

    it('is tls-error for a self-signed certificate', async () => {
      const certificate = makeSelfSignedCertificate();
      const tlsServer = await startServer((_request, response) => response.end('{}'), certificate);
      try {
        const result = await check({ baseUrl: `${tlsServer.origin}${BASE_PATHS[provider.id]}` });
        assert.equal(result.outcome, 'tls-error', result.message);
        assert.equal(tlsServer.requests.length, 0);
      } finally {
        await tlsServer.close();
      }
    });
  });
}

describe('checkKey with the Sales Layer Catalog API check', () => {
  const provider = BUILT_IN_PROVIDERS.find((candidate) => candidate.id === 'saleslayer')!;
  let server: ProviderServer;
  const check = (key: string, checkId?: string) =>
    checkKey({ provider, key, baseUrl: server.baseUrl, ...(checkId === undefined ? {} : { checkId }) }, { timeoutMs: 5000 });

  before(async () => {
    server = await startProviderServer('saleslayer');
  });
  afterEach(() => {
    server.force = undefined;
  });
  after(() => server.close());

  it('sends the documented Catalog request, with the key only in the X-API-KEY header', async () => {
    const result = await check(TEST_KEYS.saleslayer!, 'catalog');
    assert.equal(result.outcome, 'ok', result.message);
    const sent = server.requests.at(-1)!;
    assert.equal(sent.url, '/catalog/rest/Catalog/Products?$top=1&$select=prod_ref');
    assert.equal(sent.headers['x-api-key'], TEST_KEYS.saleslayer);
  });

  it('proves a Catalog-only key, which the default DAM check finds forbidden with a pointer to the Catalog check', async () => {
    const catalog = await check(SALES_LAYER_CATALOG_ONLY_KEY, 'catalog');
    assert.equal(catalog.outcome, 'ok', catalog.message);
    const dam = await check(SALES_LAYER_CATALOG_ONLY_KEY);
    assert.equal(dam.outcome, 'forbidden', dam.message);
    assert.equal(server.requests.at(-1)!.url, '/dam/image?$top=1');
    assert.match(dam.message, /if this is a Catalog-only key, choose the Catalog API check in Edit Key Details/);
    assertSentence(dam);
    assertNoKey(dam, SALES_LAYER_CATALOG_ONLY_KEY);
  });

  it('is unauthorized for a wrong key, explained as for the DAM', async () => {
    const wrong = 'wrong0key0' + 'x'.repeat(30);
    const catalog = await check(wrong, 'catalog');
    assert.equal(catalog.outcome, 'unauthorized');
    assert.match(server.requests.at(-1)!.url, /^\/catalog\//);
    assert.equal(catalog.message, (await check(wrong)).message);
    assertNoKey(catalog, wrong);
  });

  it('explains a refusal and a missing resource in Catalog terms, without the DAM advice', async () => {
    for (const force of ['forbidden', 'not-found'] as const) {
      server.force = force;
      const result = await check(TEST_KEYS.saleslayer!, 'catalog');
      assert.equal(result.outcome, force, result.message);
      assert.match(result.message, /Catalog/);
      assert.doesNotMatch(result.message, /DAM/);
      assertSentence(result);
    }
  });

  it('keeps the key hygiene: a damaged key is invalid-key and nothing is sent', async () => {
    const before = server.requests.length;
    const result = await check(`"${TEST_KEYS.saleslayer!}"`, 'catalog');
    assert.equal(result.outcome, 'invalid-key');
    assert.equal(server.requests.length, before);
    assertNoKey(result, TEST_KEYS.saleslayer!);
  });

  it('rejects an unknown check id before sending anything', async () => {
    const before = server.requests.length;
    await assert.rejects(
      check(TEST_KEYS.saleslayer!, 'products'),
      (error: unknown) => error instanceof CheckConfigurationError && /known: default, catalog/.test(error.message),
    );
    assert.equal(server.requests.length, before);
  });

  it('checks one key with both checks at once: a different check is a different request', async () => {
    const key = TEST_KEYS.saleslayer!;
    const before = server.requests.length;
    const memory = new CheckMemory();
    const results = await Promise.all([
      checkKey({ provider, key, baseUrl: server.baseUrl }, { memory }),
      checkKey({ provider, key, baseUrl: server.baseUrl, checkId: 'catalog' }, { memory }),
    ]);
    assert.deepEqual(
      results.map((result) => result.outcome),
      ['ok', 'ok'],
    );
    assert.deepEqual(
      server.requests
        .slice(before)
        .map((request) => request.url.split('?')[0])
        .sort(),
      ['/catalog/rest/Catalog/Products', '/dam/image'],
    );
  });
});

describe('checkKey limits', () => {
  const provider = BUILT_IN_PROVIDERS[0]!;
  const key = TEST_KEYS[provider.id]!;

  it('stops reading an endless body at the cap and still reads the status', async () => {
    const endless = await startEndlessServer();
    try {
      const result = await checkKey({ provider, key, baseUrl: endless.origin }, { timeoutMs: 5000, maxBodyBytes: 64 * 1024 });
      assert.equal(result.outcome, 'ok', result.message);
      assert.ok(endless.written() < 64 * 1024 * 1024, `server wrote ${endless.written()} bytes`);
    } finally {
      await endless.close();
    }
  });

  it('measures the latency over the whole answer, in whole milliseconds', async () => {
    const delayMs = 60;
    const slow = await startServer((_request, response) => setTimeout(() => response.end('{"value":[]}'), delayMs));
    try {
      const result = await checkKey({ provider, key, baseUrl: slow.origin }, { timeoutMs: 5000 });
      assert.equal(result.outcome, 'ok', result.message);
      assert.ok(Number.isInteger(result.latencyMs) && result.latencyMs >= delayMs, `latency ${result.latencyMs} ms covers the server's ${delayMs} ms`);
    } finally {
      await slow.close();
    }
  });

  it('goes by the status of an answer whose body never finishes, and says the body was cut short', async () => {
    const slow = await startSlowBodyServer(401);
    try {
      const result = await checkKey({ provider, key, baseUrl: slow.origin }, { timeoutMs: SHORT_TIMEOUT_MS });
      assert.equal(result.outcome, 'unauthorized', result.message);
      assert.equal(result.httpStatus, 401);
      assert.match(
        result.message,
        /^Sales Layer answered HTTP 401 but the body did not finish within 300 ms, so the status alone was read\. Sales Layer rejected the key/,
      );
      assertSentence(result);
    } finally {
      await slow.close();
    }
  });

  it('stops a check when its signal aborts: the request in flight is dropped and there is no result', async () => {
    const silent = await startSilentServer();
    const cancel = new AbortController();
    try {
      const checking = checkKey({ provider, key, baseUrl: silent.origin }, { timeoutMs: 60_000, signal: cancel.signal });
      while (silent.requests.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      cancel.abort();
      await assert.rejects(checking, { name: 'CheckCancelledError' });
      await assert.rejects(checkKey({ provider, key, baseUrl: silent.origin }, { signal: cancel.signal }), { name: 'CheckCancelledError' });
      assert.equal(silent.requests.length, 1, 'an aborted signal sends nothing');
    } finally {
      await silent.close();
    }
  });

  it('refuses an unusable proxy as a proxy problem, not the key settings, without quoting the proxy', async () => {
    for (const proxyUrl of ['http//user:secret-pw@proxy:8080', 'ftp://user:secret-pw@proxy.example:21', 'not a proxy']) {
      await assert.rejects(checkKey({ provider, key }, { proxyUrl }), (error: Error) => {
        assert.equal(error.name, 'ProxyConfigurationError');
        assert.ok(error instanceof CheckConfigurationError, 'the CLI still exits 2 for it');
        assert.ok(!error.message.includes('secret-pw') && !error.message.includes('user'), error.message);
        assert.match(error.message, /proxy/);
        return true;
      });
    }
  });

  it('rejects a malformed configuration before sending anything', async () => {
    const uppzy = BUILT_IN_PROVIDERS.find((item) => item.id === 'uppzy')!;
    await assert.rejects(checkKey({ provider: uppzy, key }), CheckConfigurationError);
    await assert.rejects(checkKey({ provider: uppzy, key, params: { tenantId: '../x' } }), /Tenant ID/);
    await assert.rejects(checkKey({ provider, key, params: { tenant: 'x' } }), /no parameter 'tenant'/);
    await assert.rejects(checkKey({ provider, key, baseUrl: 'not a url' }), /not a valid URL/);
    await assert.rejects(checkKey({ provider, key, baseUrl: 'https://user:pw@example.com' }), /user name or password/);
  });

  it('sends the key as a query parameter for a custom provider, and redacts it when echoed', async () => {
    const custom: ProviderDefinition = {
      ...provider,
      id: 'custom-query',
      displayName: 'Custom',
      auth: { in: 'query', name: 'api_key' },
      check: { path: '/v1/ping', query: { $top: '1' } },
    };
    const echo = await startEchoServer();
    try {
      const result = await checkKey({ provider: custom, key, baseUrl: echo.origin });
      assert.equal(result.outcome, 'unauthorized');
      assert.equal(echo.requests[0]!.url, `/v1/ping?$top=1&api_key=${encodeURIComponent(key)}`);
      // Where the check went, for the log: the request's URL without the key placed in it.
      assert.equal(result.request, `GET ${echo.origin}/v1/ping?$top=1`);
      assertNoKey(result, key);
    } finally {
      await echo.close();
    }
  });

  it('sends through the proxy and never names its password', async () => {
    const proxy = await startRefusingProxy();
    const password = 'proxy-secret-123';
    try {
      const proxyUrl = `http://user:${password}@${proxy.origin.replace('http://', '')}`;
      const result = await checkKey({ provider, key }, { proxyUrl, timeoutMs: 5000 });
      assert.equal(result.outcome, 'network-error', result.message);
      assert.deepEqual(proxy.connects, ['api2.saleslayer.com:443']);
      assert.ok(!result.message.includes(password), result.message);
      assert.match(result.message, /proxy/);
    } finally {
      await proxy.close();
    }
  });

  it('names the proxy, not the provider, when the proxy cannot be reached', async () => {
    const proxyOrigin = await closedPortOrigin();
    const result = await checkKey({ provider, key }, { proxyUrl: proxyOrigin, timeoutMs: 5000 });
    assert.equal(result.outcome, 'network-error', result.message);
    assert.match(
      result.message,
      new RegExp(`^The proxy ${proxyOrigin.replace(/[.]/g, '\\.')} could not be reached \\(ECONNREFUSED\\), so nothing was sent to api2\\.saleslayer\\.com`),
    );
  });

  it('sends nothing, not even to a proxy, to an origin the provider does not declare', async () => {
    const proxy = await startRefusingProxy();
    try {
      await assert.rejects(
        checkKey({ provider, key, baseUrl: 'https://collector.example' }, { proxyUrl: proxy.origin }),
        (error: unknown) =>
          error instanceof CheckConfigurationError && /^the key would go to collector\.example, which is not a server of Sales Layer/.test(error.message),
      );
      assert.equal(proxy.requests.length + proxy.connects.length, 0);
    } finally {
      await proxy.close();
    }
  });

  it('sends nothing, not even to a proxy, for plain http to a non-loopback host', async () => {
    const proxy = await startRefusingProxy();
    try {
      const result = await checkKey({ provider, key, baseUrl: 'http://api2.saleslayer.com' }, { proxyUrl: proxy.origin });
      assert.equal(result.outcome, 'insecure-url');
      assert.equal(proxy.requests.length + proxy.connects.length, 0);
    } finally {
      await proxy.close();
    }
  });
});

describe('checkKey through a CONNECT proxy to an HTTPS provider', () => {
  // Nothing is mocked: real sockets, real TLS, real undici, all on 127.0.0.1. The check is addressed to
  // a name that is not loopback (Uppzy's own, an origin it declares), so the engine uses the proxy, and the test proxy tunnels every CONNECT
  // to the local HTTPS provider (the client never resolves a proxied name). This process does not trust
  // the provider's self-signed certificate (the engine takes no CA, and Node 20 cannot add one at run
  // time), so the open tunnel ends in tls-error here; checkCommand.test.ts runs the CLI with
  // NODE_EXTRA_CA_CERTS for the successful check.
  const host = 'api.uppzy.com';
  const provider = BUILT_IN_PROVIDERS.find((item) => item.id === 'uppzy')!;
  const key = TEST_KEYS.uppzy!;
  const request = { provider, key, params: TEST_PARAMS.uppzy!, baseUrl: `https://${host}${BASE_PATHS.uppzy}` };
  const credentials = { user: 'akg-proxy-user', password: 'pa:ss@wo/rd-9f3k' };
  const proxyUrl = (proxy: TunnelProxy, user?: string, password?: string) =>
    user === undefined ? proxy.origin : `http://${encodeURIComponent(user)}:${encodeURIComponent(password ?? '')}@${proxy.host}`;
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  let server: ProviderServer | undefined;
  let proxy: TunnelProxy;

  before(async () => {
    const certificate = makeSelfSignedCertificate([host]);
    server = await startProviderServer('uppzy', certificate);
  });
  beforeEach(async () => {
    proxy = await startTunnelProxy({ upstream: server!.origin, credentials });
  });
  afterEach(() => proxy?.close());
  after(() => server?.close());

  /** Fails unless the result shows neither the key nor a proxy credential, in any form a server or URL could carry. */
  function assertNothingSecret(result: CheckResult, ...secrets: string[]): void {
    assertNoKey(result, key);
    const text = JSON.stringify(result);
    for (const form of secrets.flatMap(secretForms)) {
      assert.ok(!text.includes(form), `result contains ${JSON.stringify(form)}: ${text}`);
    }
  }

  it('sends the credentials as Proxy-Authorization and tunnels only TLS, so an untrusted far end gets no key', async () => {
    const result = await checkKey(request, { proxyUrl: proxyUrl(proxy, credentials.user, credentials.password), timeoutMs: 5000 });
    await proxy.settled();
    for (const form of secretForms(key)) {
      assert.ok(!proxy.received().includes(form), `the proxy received the key as ${form}`);
    }
    assert.equal(result.outcome, 'tls-error', result.message);
    assert.equal(proxy.requests.length, 1);
    const [connect] = proxy.requests;
    assert.equal(connect!.head.split('\r\n')[0], `CONNECT ${host}:443 HTTP/1.1`);
    assert.equal(connect!.headers['proxy-authorization'], basic(credentials.user, credentials.password));
    assert.equal(connect!.status, 200);
    for (const name of Object.keys(connect!.headers)) {
      assert.match(name, /^(host|connection|proxy-[a-z-]+)$/, `the CONNECT request carries a ${name} header`);
    }
    const tunnelled = Buffer.concat(connect!.tunnelled);
    assert.equal(tlsRecords(tunnelled)[0]!.type, 22, 'the tunnel does not start with a TLS handshake');
    assert.equal(proxy.received().length, Buffer.byteLength(connect!.head, 'latin1') + 4 + tunnelled.length);
    assert.equal(server!.requests.length, 0, 'the provider got a request over a certificate nobody trusts');
    assertNothingSecret(result, credentials.user, credentials.password);
  });

  it('is refused without credentials (407), naming the proxy, and opens no tunnel', async () => {
    const result = await checkKey(request, { proxyUrl: proxyUrl(proxy), timeoutMs: 5000 });
    await proxy.settled();
    assert.equal(result.outcome, 'network-error', result.message);
    assert.ok(result.message.includes(`The proxy ${proxy.origin} did not open a connection to ${host}`), result.message);
    assert.match(result.message, /407/);
    assert.equal(proxy.requests.length, 1);
    assert.equal(proxy.requests[0]!.status, 407);
    assert.equal(proxy.requests[0]!.headers['proxy-authorization'], undefined);
    assert.equal(proxy.requests[0]!.tunnelled.length, 0);
    for (const form of secretForms(key)) {
      assert.ok(!proxy.received().includes(form), `the proxy received the key as ${form}`);
    }
    assert.equal(server!.requests.length, 0);
  });

  it('never shows wrong proxy credentials refused with 407: not raw, percent-encoded or base64', async () => {
    const wrong = { user: credentials.user, password: 'wr:ong@pa/ss-77x1' };
    const result = await checkKey(request, { proxyUrl: proxyUrl(proxy, wrong.user, wrong.password), timeoutMs: 5000 });
    await proxy.settled();
    assertNothingSecret(result, wrong.user, wrong.password, `${wrong.user}:${wrong.password}`);
    assert.equal(result.outcome, 'network-error', result.message);
    assert.equal(proxy.requests[0]!.headers['proxy-authorization'], basic(wrong.user, wrong.password));
    assert.equal(proxy.requests[0]!.status, 407);
    assert.match(result.message, /407/);
    assert.ok(result.message.includes(proxy.origin), result.message);
    assert.equal(server!.requests.length, 0);
  });
});

describe('checkKey with the trust and proxy settings VS Code has', () => {
  // Real TLS on 127.0.0.1 with a certificate no default root signs: only the authorities passed as
  // `ca` make it trusted, as a corporate CA in the system store does for a proxy that intercepts TLS.
  const host = 'api.uppzy.com';
  const provider = BUILT_IN_PROVIDERS.find((item) => item.id === 'uppzy')!;
  const key = TEST_KEYS.uppzy!;
  const proxied = { provider, key, params: TEST_PARAMS.uppzy!, baseUrl: `https://${host}${BASE_PATHS.uppzy}` };
  const credentials = { user: 'akg-proxy-user', password: 'pa:ss@wo/rd-9f3k' };
  const authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  let certificate: { key: string; cert: string } | undefined;
  let server: ProviderServer;
  const proxies: TunnelProxy[] = [];
  const startProxy = async (options: { credentials?: typeof credentials; tls?: { key: string; cert: string } } = {}) => {
    const proxy = await startTunnelProxy({ upstream: server.origin, ...options });
    proxies.push(proxy);
    return proxy;
  };

  before(async function () {
    certificate = makeSelfSignedCertificate([host]);
    server = await startProviderServer('uppzy', certificate);
  });
  afterEach(async () => {
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  });
  after(() => server?.close());

  it('trusts exactly the authorities given as ca, in place of the default roots', async () => {
    const direct = { ...proxied, baseUrl: server.baseUrl };
    assert.equal((await checkKey(direct, { timeoutMs: 5000 })).outcome, 'tls-error');
    const trusted = await checkKey(direct, { timeoutMs: 5000, ca: () => [certificate!.cert] });
    assert.equal(trusted.outcome, 'ok', trusted.message);
    const someoneElse = makeSelfSignedCertificate();
    assert.equal((await checkKey(direct, { timeoutMs: 5000, ca: () => [someoneElse.cert] })).outcome, 'tls-error', 'nor anything the list leaves out');
  });

  it('sends proxyAuthorization as Proxy-Authorization and reaches a provider trusted through ca', async () => {
    const proxy = await startProxy({ credentials });
    const result = await checkKey(proxied, { proxyUrl: proxy.origin, proxyAuthorization: authorization, ca: () => [certificate!.cert], timeoutMs: 5000 });
    assert.equal(result.outcome, 'ok', result.message);
    assert.equal(proxy.requests[0]!.headers['proxy-authorization'], authorization);
    assert.equal(proxy.requests[0]!.target, `${host}:443`);
  });

  it('never shows a refused proxyAuthorization, raw, base64 or decoded', async () => {
    const proxy = await startProxy({ credentials });
    const wrong = { user: 'akg-proxy-user', password: 'wr:ong@pa/ss-77x1' };
    const token = Buffer.from(`${wrong.user}:${wrong.password}`).toString('base64');
    const result = await checkKey(proxied, { proxyUrl: proxy.origin, proxyAuthorization: `Basic ${token}`, timeoutMs: 5000 });
    assert.equal(result.outcome, 'network-error', result.message);
    assert.equal(result.proxyFailed, true);
    assert.match(result.message, /407.*check HTTPS_PROXY and NO_PROXY\.$/);
    for (const form of [token, wrong.password, `${wrong.user}:${wrong.password}`].flatMap(secretForms)) {
      assert.ok(!JSON.stringify(result).includes(form), `result contains ${form}`);
    }
  });

  it('skips verifying only the proxy certificate when proxyStrictSSL is off, never the provider certificate', async () => {
    const proxyCertificate = makeSelfSignedCertificate();
    const proxy = await startProxy({ tls: proxyCertificate });
    const strict = await checkKey(proxied, { proxyUrl: proxy.origin, ca: () => [certificate!.cert], timeoutMs: 5000 });
    assert.notEqual(strict.outcome, 'ok', 'an untrusted https proxy is refused by default');
    assert.equal(proxy.requests.length, 0, 'no CONNECT went to an untrusted proxy');
    const relaxed = await checkKey(proxied, { proxyUrl: proxy.origin, proxyStrictSSL: false, ca: () => [certificate!.cert], timeoutMs: 5000 });
    assert.equal(relaxed.outcome, 'ok', relaxed.message);
    const unverifiedProvider = await checkKey(proxied, { proxyUrl: proxy.origin, proxyStrictSSL: false, timeoutMs: 5000 });
    assert.equal(unverifiedProvider.outcome, 'tls-error', 'the provider certificate is still verified');
  });
});

describe('shouldUseProxy', () => {
  it('bypasses loopback and NO_PROXY entries', () => {
    const url = (text: string) => new URL(text);
    assert.equal(shouldUseProxy(url('http://127.0.0.1:9/'), ''), false);
    assert.equal(shouldUseProxy(url('https://api.uppzy.com/'), ''), true);
    assert.equal(shouldUseProxy(url('https://api.uppzy.com/'), 'example.com, .uppzy.com'), false);
    assert.equal(shouldUseProxy(url('https://api.uppzy.com/'), 'uppzy.com'), false);
    assert.equal(shouldUseProxy(url('https://api.uppzy.com/'), 'api.uppzy.com:8443'), true);
    assert.equal(shouldUseProxy(url('https://api.uppzy.com/'), '*'), false);
    assert.equal(shouldUseProxy(url('https://notuppzy.com/'), 'uppzy.com'), true);
  });
});

describe('checks of many keys', () => {
  const provider = BUILT_IN_PROVIDERS.find((item) => item.id === 'layerx402')!;
  const params = TEST_PARAMS.layerx402!;
  const LIMIT = 3;
  let server: LocalServer;
  let inFlight = 0;
  let maxInFlight = 0;
  /**
   * While set, answers are held until this many requests are in flight at once (or 2 s pass), so checks
   * that run one at a time cannot pass for concurrent ones however fast the machine is.
   */
  let gather = 0;
  const held: (() => void)[] = [];

  before(async () => {
    server = await startServer((request, response) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const answer = () => {
        inFlight--;
        const limited = String(request.headers.authorization).includes('limited');
        response.writeHead(limited ? 429 : 200, { 'content-type': 'application/json', ...(limited ? { 'retry-after': '60' } : {}) });
        response.end(limited ? '{"success":false,"error":{"code":"RATE_LIMIT_EXCEEDED","message":"slow down"}}' : '{"success":true}');
      };
      held.push(answer);
      const release = () => held.splice(0).forEach((send) => send());
      if (held.length >= gather) {
        release();
      } else {
        setTimeout(release, 2000);
      }
    });
  });
  beforeEach(() => {
    server.requests.length = 0;
    maxInFlight = 0;
    gather = 0;
  });
  after(() => server.close());

  const keyNumber = (n: number) => `lx402_sk_test_${String(n).padStart(24, '0')}`;

  it('runs the checks side by side, as many at once as the limit and never more', async () => {
    const checks = Array.from({ length: 9 }, (_, n) => ({ provider, key: keyNumber(n), params, baseUrl: server.origin }));
    const outcomes: string[] = [];
    let running = 0;
    let maxRunning = 0;
    gather = LIMIT;
    await forEachConcurrently(checks, LIMIT, async (check) => {
      maxRunning = Math.max(maxRunning, ++running);
      outcomes.push((await checkKey(check)).outcome);
      running--;
    });
    assert.deepEqual(outcomes, Array<string>(9).fill('ok'));
    assert.equal(server.requests.length, 9);
    assert.equal(maxInFlight, LIMIT, `${maxInFlight} requests were in flight at once`);
    // Counted where the checks start, which a pool without its limit does all at once, before any request arrives.
    assert.equal(maxRunning, LIMIT, `${maxRunning} checks ran at once`);
  });

  it('starts no check once the signal aborts, and finishes those started', async () => {
    const cancel = new AbortController();
    const checks = Array.from({ length: 9 }, (_, n) => ({ provider, key: keyNumber(n), params, baseUrl: server.origin }));
    let finished = 0;
    await forEachConcurrently(
      checks,
      LIMIT,
      async (check) => {
        await checkKey(check);
        finished++;
        cancel.abort();
      },
      cancel.signal,
    );
    assert.equal(finished, LIMIT, 'the checks started finish; none starts after the first result');
  });

  it('shares one in-flight check of the same key between callers', async () => {
    const memory = new CheckMemory();
    const same = { provider, key: keyNumber(3), params, baseUrl: server.origin };
    await Promise.all([checkKey(same, { memory }), checkKey(same, { memory })]);
    assert.equal(server.requests.length, 1);
  });

  it('does not re-send a rate-limited key before Retry-After, and says when to retry', async () => {
    let now = 1_000_000;
    const memory = new CheckMemory();
    const options = { memory, clock: () => now };
    const limited = { provider, key: 'lx402_limited_key_000000000000', params, baseUrl: server.origin };
    const first = await checkKey(limited, options);
    assert.equal(first.outcome, 'rate-limited');
    assert.equal(first.retryAfterSeconds, 60);
    now += 45_000;
    const second = await checkKey(limited, options);
    assert.equal(second.outcome, 'rate-limited');
    assert.equal(second.retryAfterSeconds, 15);
    assert.match(second.message, /retry in 15 s/);
    assert.equal(server.requests.length, 1);
    now += 16_000;
    await checkKey(limited, options);
    assert.equal(server.requests.length, 2);
  });
});
