import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/core/checkOutcome';
import type { KeyRecord } from '../../src/core/keyRecord';
import type { ApiKeyGuardApi } from '../../src/extension/extension';
import {
  BASE_PATHS,
  TEST_KEYS,
  TEST_PARAMS,
  makeSelfSignedCertificate,
  startProviderServer,
  startServer,
  type ProviderServer,
} from '../fixtures/providerServers';
import { startTunnelProxy, type TunnelProxy } from '../fixtures/proxyServer';
import { activateExtension, eventually, removeAllKeys } from './activate';
import { ScriptedPrompts } from './scriptedPrompts';
import { FlakySecrets, MemoryMemento } from './storageDoubles';

const HOST = 'api.uppzy.com';
const global = vscode.ConfigurationTarget.Global;
const http = () => vscode.workspace.getConfiguration('http');
const ours = () => vscode.workspace.getConfiguration('apiKeyGuard');

/**
 * What is simulated: a corporate proxy that intercepts TLS and asks for credentials. The recording
 * proxy tunnels every CONNECT, whatever host it names, to a local HTTPS server whose certificate (for
 * api.uppzy.com) no public root signs, as an intercepting proxy presents its own. This extension
 * host trusts that certificate only through the system store, which Node reads from where
 * SSL_CERT_FILE points on Linux (set here before anything in this host read the store), the way
 * VS Code's own requests trust a company CA; the proxy wants Basic credentials, given only in
 * `http.proxyAuthorization`. Real sockets, TLS and undici otherwise.
 */
describe("checks with VS Code's network settings", () => {
  let api: ApiKeyGuardApi;
  let folder: string;
  let server: ProviderServer;
  let proxy: TunnelProxy;
  const credentials = { user: 'akg-proxy-user', password: 'pa:ss@wo/rd-9f3k' };
  const authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;

  before(async function () {
    const certificate = makeSelfSignedCertificate([HOST]);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'akg-system-ca-'));
    fs.writeFileSync(path.join(folder, 'ca-certificates.crt'), certificate.cert);
    process.env.SSL_CERT_FILE = path.join(folder, 'ca-certificates.crt');
    const readSystemStore = (tls as { getCACertificates?: (store: 'system') => string[] }).getCACertificates;
    if (readSystemStore) {
      const body = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '');
      assert.ok(
        readSystemStore('system').some((pem) => body(pem) === body(certificate.cert)),
        'this host read its system store before the test could point SSL_CERT_FILE at the test CA',
      );
    }
    api = await activateExtension();
    await removeAllKeys(api);
    server = await startProviderServer('uppzy', certificate);
    proxy = await startTunnelProxy({ upstream: server.origin, credentials });
  });
  afterEach(async () => {
    api.usePrompts(undefined);
    await removeAllKeys(api);
    for (const setting of ['proxy', 'proxyAuthorization', 'noProxy', 'proxyStrictSSL', 'proxySupport', 'systemCertificates']) {
      await http().update(setting, undefined, global);
    }
    await ours().update('checkTimeoutMs', undefined, global);
  });
  after(async () => {
    delete process.env.SSL_CERT_FILE;
    await proxy?.close();
    await server?.close();
    if (folder) {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  const addKey = (baseUrl = `https://${HOST}${BASE_PATHS.uppzy}`): Promise<KeyRecord> =>
    api.store.add({ providerId: 'uppzy', name: 'behind-proxy', environment: 'production', baseUrl, params: { ...TEST_PARAMS.uppzy! } }, TEST_KEYS.uppzy!);

  async function checkKey(record: KeyRecord): Promise<{ result: CheckResult; notification: { message: string; actions: string[] } }> {
    const prompts = new ScriptedPrompts([]);
    api.usePrompts(prompts);
    const result = await vscode.commands.executeCommand<CheckResult>('apiKeyGuard.checkKey', record.id);
    await eventually(() => prompts.notifications.length > 0, 'the notification');
    return { result, notification: prompts.notifications[0]! };
  }

  /** The CONNECTs our checks sent; VS Code's server may send its own through the same proxy. */
  const ourConnects = () => proxy.requests.filter((request) => request.target === `${HOST}:443`);

  it('works through a proxy that needs http.proxyAuthorization and a CA the system store trusts', async () => {
    await http().update('proxy', proxy.origin, global);
    await http().update('proxyAuthorization', authorization, global);
    const record = await addKey();
    const { result } = await checkKey(record);
    assert.equal(result.outcome, 'ok', result.message);
    const connect = ourConnects().at(-1)!;
    assert.equal(connect.headers['proxy-authorization'], authorization);
    assert.equal(connect.status, 200);
    assert.equal(server.requests.at(-1)?.headers['x-api-key'], TEST_KEYS.uppzy, 'the key reached the provider only through the tunnel');

    await http().update('systemCertificates', false, global);
    const untrusted = (await checkKey(record)).result;
    assert.equal(untrusted.outcome, 'tls-error', 'without http.systemCertificates the CA is not trusted');
    assert.match(untrusted.message, /its certificate authority must be trusted \(see "Proxies and certificates" in the README\)\.$/);
  });

  it('goes around the proxy for a host http.noProxy names, and for every host with http.proxySupport off', async () => {
    await http().update('proxy', proxy.origin, global);
    await http().update('proxyAuthorization', authorization, global);
    // Direct, the name does not resolve: the shortest timeout keeps a slow resolver from mattering.
    await ours().update('checkTimeoutMs', 1, global);
    const record = await addKey();
    const before = ourConnects().length;
    for (const [setting, value] of [
      ['noProxy', [`.${HOST.split('.').slice(1).join('.')}`]],
      ['proxySupport', 'off'],
    ] as const) {
      await http().update(setting, value, global);
      const { result } = await checkKey(record);
      assert.notEqual(result.outcome, 'ok', result.message);
      assert.equal(result.proxyFailed, undefined, result.message);
      assert.equal(ourConnects().length, before, `no CONNECT with http.${setting} ${JSON.stringify(value)}`);
      await http().update(setting, undefined, global);
    }
  });

  it("skips verifying an https proxy's own certificate only when http.proxyStrictSSL is off", async () => {
    // A proxy spoken to over TLS, with a certificate nothing here trusts.
    const untrustedProxy = await startTunnelProxy({ upstream: server.origin, tls: makeSelfSignedCertificate() });
    try {
      await http().update('proxy', untrustedProxy.origin, global);
      const record = await addKey();
      const strict = (await checkKey(record)).result;
      assert.notEqual(strict.outcome, 'ok', strict.message);
      assert.equal(untrustedProxy.requests.length, 0, 'no CONNECT to a proxy whose certificate is not trusted');
      await http().update('proxyStrictSSL', false, global);
      const relaxed = (await checkKey(record)).result;
      assert.equal(relaxed.outcome, 'ok', relaxed.message);
      assert.equal(untrustedProxy.requests.at(-1)?.target, `${HOST}:443`, 'the check went through that proxy');
    } finally {
      await untrustedProxy.close();
    }
  });

  it('blames the proxy settings, not the key, when the proxy refuses, and offers to open them', async () => {
    await http().update('proxy', proxy.origin, global);
    const { result, notification } = await checkKey(await addKey());
    assert.equal(result.outcome, 'network-error', result.message);
    assert.equal(result.proxyFailed, true);
    assert.equal(ourConnects().at(-1)!.status, 407);
    assert.match(result.message, /407.*check VS Code's settings http\.proxy and http\.noProxy\.$/);
    assert.deepEqual(notification.actions, ['Open Proxy Settings', 'Show Log']);
  });

  it('reports a malformed http.proxy as a network settings problem, with Open Proxy Settings instead of Edit Key Details', async () => {
    await http().update('proxy', 'http//user:pw@proxy:8080', global);
    const { result, notification } = await checkKey(await addKey());
    assert.equal(result.outcome, 'not-checkable');
    assert.equal(result.notCheckableReason, 'network-settings');
    assert.equal(
      result.message,
      "Nothing was sent, because the proxy is not a valid URL such as http://proxy.example.com:8080: fix VS Code's setting http.proxy, or clear it to connect directly.",
    );
    assert.deepEqual(notification.actions, ['Open Proxy Settings', 'Show Log']);
  });

  it('keeps checkTimeoutMs within its bounds: 0 waits the minimum instead of failing every check at once', async () => {
    const silent = await startServer(() => undefined);
    try {
      await ours().update('checkTimeoutMs', 0, global);
      const { result } = await checkKey(await addKey(`${silent.origin}${BASE_PATHS.uppzy}`));
      assert.equal(result.outcome, 'timeout');
      assert.match(result.message, /within 1 s:/);
    } finally {
      await silent.close();
    }
  });

  it('aborts the requests in flight when Check All is cancelled, even with the longest timeout', async () => {
    let closed = false;
    const silent = await startServer((request) => request.socket.on('close', () => (closed = true)));
    const store = api.createStore(new FlakySecrets(), new MemoryMemento());
    const checks = api.createChecks(store);
    const cancel = new vscode.CancellationTokenSource();
    try {
      await ours().update('checkTimeoutMs', 120_000, global);
      const record = await store.add(
        { providerId: 'uppzy', name: 'slow', environment: 'production', baseUrl: `${silent.origin}${BASE_PATHS.uppzy}`, params: { ...TEST_PARAMS.uppzy! } },
        TEST_KEYS.uppzy!,
      );
      const checking = checks.check([record], cancel.token);
      await eventually(() => silent.requests.length > 0, 'the request to be sent');
      cancel.cancel();
      const results = await checking;
      assert.equal(results.size, 0, 'a cancelled check has no result');
      assert.equal(store.get(record.id)?.lastCheck, undefined, 'and records none');
      await eventually(() => closed, 'the request in flight to be dropped');
    } finally {
      cancel.dispose();
      store.dispose();
      await silent.close();
    }
  });
});
