/**
 * Connectivity checks over undici: one GET per check, or one WebSocket exchange, the key sent only where it belongs.
 * The only module that imports undici, so callers can load it on demand.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { createSecureContext, type SecureContext } from 'node:tls';
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import { readAnswer, readWebSocketReply, type CheckResult, type Reading } from './checkOutcome';
import { findKeyProblem } from './keyHygiene';
import { resolveCheckTarget } from './providers/checkTarget';
import { isLoopbackHost } from './providers/fields';
import { DEFAULT_CHECK_ID, type ProviderDefinition, type WebSocketExchange } from './providers/types';
import { createRedactor } from './redaction';
import { createHandshakeKey, findHandshakeProblem, WebSocketClosedError, WebSocketProtocolError, WebSocketSession } from './webSocketSession';

export interface KeyCheckRequest {
  readonly provider: ProviderDefinition;
  readonly key: string;
  /** Overrides the provider's base URL (regional hosts, staging, local test servers). */
  readonly baseUrl?: string;
  readonly params?: Readonly<Record<string, string>>;
  /** One of the provider's `alternativeChecks` instead of its default check. */
  readonly checkId?: string;
  /** Identifies the key for deduplication and rate-limit memory; defaults to a hash of provider, check, base URL and key. */
  readonly keyId?: string;
}

export interface CheckOptions {
  /** Whole check, from connecting to the last body byte. Default 10 s. */
  readonly timeoutMs?: number;
  /** Response bytes read before the connection is dropped, and the largest WebSocket message accepted. Default 64 KiB. */
  readonly maxBodyBytes?: number;
  /** `http://[user:password@]host:port` of an HTTP proxy; loopback targets never use it. */
  readonly proxyUrl?: string;
  /** Hosts that bypass the proxy, comma or space separated, as in `NO_PROXY` (`*`, `.example.com`, `host:port`). */
  readonly noProxy?: string;
  /** The `Proxy-Authorization` value to send the proxy (VS Code's `http.proxyAuthorization`), instead of credentials in `proxyUrl`. */
  readonly proxyAuthorization?: string;
  /**
   * Whether an `https://` proxy's own certificate must be valid (VS Code's `http.proxyStrictSSL`). Default
   * true. The provider's certificate is always verified: the key goes nowhere a certificate does not prove.
   */
  readonly proxyStrictSSL?: boolean;
  /** Where the proxy settings came from, as messages name them. Default `HTTPS_PROXY and NO_PROXY`. */
  readonly proxySettings?: string;
  /**
   * Every certificate authority to trust, in PEM, instead of Node's default roots (see `certificates.ts`
   * to add the system's). Asked for only when a check needs TLS; the same array returned again builds no
   * new TLS context.
   */
  readonly ca?: () => readonly string[];
  /** Aborts the check: it then rejects with `CheckCancelledError`. */
  readonly signal?: AbortSignal;
  /** Shared between checks so a key is never checked twice at once and a rate-limited key rests. */
  readonly memory?: CheckMemory;
  /** Milliseconds since the epoch; injectable so rate-limit waits are testable. */
  readonly clock?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** A check that cannot be built: unknown or malformed parameter, unusable base URL. Nothing was sent. */
export class CheckConfigurationError extends Error {
  override readonly name: string = 'CheckConfigurationError';
}

/** The proxy in the options cannot be used: nothing was sent, and the network settings, not the key's, are at fault. */
export class ProxyConfigurationError extends CheckConfigurationError {
  override readonly name = 'ProxyConfigurationError';
}

/** The caller's `signal` aborted the check; it has no result. */
export class CheckCancelledError extends Error {
  override readonly name = 'CheckCancelledError';
  constructor() {
    super('the check was cancelled');
  }
}

/** Checks in flight and rate-limit waits, per key id. One instance per session (the CLI needs none). */
export class CheckMemory {
  private readonly inFlight = new Map<string, Promise<CheckResult>>();
  private readonly retryAt = new Map<string, number>();

  /** Runs `check` unless the same key is already being checked or is resting after a 429. */
  async run(keyId: string, providerName: string, now: number, check: () => Promise<CheckResult>): Promise<CheckResult> {
    const running = this.inFlight.get(keyId);
    if (running) {
      return running;
    }
    const until = this.retryAt.get(keyId);
    if (until !== undefined && until > now) {
      const retryAfterSeconds = Math.ceil((until - now) / 1000);
      return {
        outcome: 'rate-limited',
        latencyMs: 0,
        retryAfterSeconds,
        message: `${providerName} rate limited this key a moment ago, so it was not sent again: retry in ${retryAfterSeconds} s.`,
      };
    }
    const started = check().then((result) => {
      if (result.outcome === 'rate-limited' && result.retryAfterSeconds !== undefined && result.retryAfterSeconds > 0) {
        this.retryAt.set(keyId, now + result.retryAfterSeconds * 1000);
      } else {
        this.retryAt.delete(keyId);
      }
      return result;
    });
    this.inFlight.set(keyId, started);
    try {
      return await started;
    } finally {
      this.inFlight.delete(keyId);
    }
  }
}

/**
 * Checks one key with one GET. Rejects only with `CheckConfigurationError` (validate first with
 * `resolveCheckTarget`), `ProxyConfigurationError`, or `CheckCancelledError` when `options.signal`
 * aborts; every network or server problem is a result.
 */
export async function checkKey(check: KeyCheckRequest, options: CheckOptions = {}): Promise<CheckResult> {
  const target = resolveCheckTarget(check.provider, check);
  if (!target.ok) {
    throw new CheckConfigurationError(target.problem);
  }
  const clock = options.clock ?? Date.now;
  // The answer is read with the chosen check's explanations: a 403 means something else on another API.
  const send = (): Promise<CheckResult> => sendCheck({ ...check, provider: target.provider }, target, options, clock);
  return options.memory ? options.memory.run(keyIdOf(check), check.provider.displayName, clock(), send) : send();
}

function keyIdOf(check: KeyCheckRequest): string {
  if (check.keyId !== undefined) {
    return check.keyId;
  }
  const hash = createHash('sha256');
  hash.update(`${check.provider.id}\0${check.checkId ?? DEFAULT_CHECK_ID}\0${check.baseUrl ?? check.provider.baseUrl}\0${check.key}`);
  return hash.digest('hex').slice(0, 32);
}

/** Whether a request to `url` should go through the proxy, given a `NO_PROXY` list. Loopback never does. */
export function shouldUseProxy(url: URL, noProxy = ''): boolean {
  if (isLoopbackHost(url.hostname)) {
    return false;
  }
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return !noProxy
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .some((entry) => {
      if (entry === '*') {
        return true;
      }
      const [, name = '', entryPort] = /^\[?(.*?)\]?(?::(\d+))?$/.exec(entry.toLowerCase()) ?? [];
      const domain = name.replace(/^\*?\./, '');
      return (entryPort === undefined || entryPort === port) && (host === domain || host.endsWith(`.${domain}`));
    });
}

async function sendCheck(
  check: KeyCheckRequest,
  { url, username }: { readonly url: URL; readonly username?: string },
  options: CheckOptions,
  clock: () => number,
): Promise<CheckResult> {
  const { provider, key } = check;
  if (options.signal?.aborted) {
    throw new CheckCancelledError();
  }
  // A server may echo the Basic credentials it was sent: their joined form is as secret as the key.
  const secrets = [key, ...(username === undefined ? [] : [`${username}:${key}`]), ...proxyCredentials(options.proxyUrl, options.proxyAuthorization)];
  const redactText = createRedactor(secrets);
  const finish = (reading: Reading, latencyMs: number): CheckResult => ({
    ...reading,
    latencyMs: Math.round(latencyMs),
    message: redactText(reading.message),
  });
  const keyProblem = findKeyProblem(key, provider);
  if (keyProblem) {
    return finish({ outcome: 'invalid-key', message: `${keyProblem.replace(/\.$/, '')}; nothing was sent.` }, 0);
  }
  const { websocket } = provider.check;
  if (url.protocol !== (websocket ? 'wss:' : 'https:') && !isLoopbackHost(url.hostname)) {
    const secure = websocket ? 'wss' : 'https';
    return finish(
      {
        outcome: 'insecure-url',
        message: `The ${websocket ? 'WebSocket' : 'base'} URL uses plain ${url.protocol}// to ${url.host}, which would expose the key on the network, so nothing was sent: use ${secure}://.`,
      },
      0,
    );
  }
  // The URL as resolved, before a key sent in the query is placed in it.
  const sentTo = `${websocket ? 'WebSocket' : 'GET'} ${url.origin}${url.pathname}${url.search}`;
  const sent = (reading: Reading, latencyMs: number): CheckResult => ({ ...finish(reading, latencyMs), request: sentTo });
  // A WebSocket opens as an HTTP request: the same pool, proxy and trust serve both.
  const httpUrl = new URL(url.href.replace(/^ws/, 'http'));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const proxyUrl = options.proxyUrl !== undefined && options.proxyUrl !== '' && shouldUseProxy(httpUrl, options.noProxy) ? options.proxyUrl : undefined;
  const dispatcher = createDispatcher(httpUrl, proxyUrl, options, timeoutMs, redactText);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout.signal, options.signal]) : timeout.signal;
  const started = performance.now();
  const failure = { proxyUrl, proxySettings: options.proxySettings ?? 'HTTPS_PROXY and NO_PROXY' };
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  try {
    if (websocket) {
      const exchanged = await exchangeOverWebSocket({ provider, exchange: websocket, key, url: httpUrl, dispatcher, signal, maxBytes, redactText, now: clock });
      if (options.signal?.aborted) {
        throw new CheckCancelledError();
      }
      return sent(exchanged.reading, exchanged.answeredAt - started);
    }
    const { path, headers } = placeKey(provider, key, url, username);
    const response = await request(`${url.origin}${path}`, { method: 'GET', headers, dispatcher, signal });
    const body = await readCapped(response.body, maxBytes);
    if (options.signal?.aborted) {
      throw new CheckCancelledError();
    }
    const reading = readAnswer(provider, { status: response.statusCode, headers: response.headers, body: body.text, url, now: clock() }, redactText);
    const slow = body.failure !== undefined && (timeout.signal.aborted || errorCodes(body.failure).includes('UND_ERR_BODY_TIMEOUT'));
    return sent(slow ? bodyCutShort(reading, provider.displayName, response.statusCode, timeoutMs) : reading, performance.now() - started);
  } catch (error) {
    if (options.signal?.aborted) {
      throw new CheckCancelledError();
    }
    return sent(describeFailure(error, httpUrl, timeout.signal.aborted, timeoutMs, failure), performance.now() - started);
  } finally {
    clearTimeout(timer);
    await dispatcher.destroy().catch(() => undefined);
  }
}

interface WebSocketCheck {
  readonly provider: ProviderDefinition;
  readonly exchange: WebSocketExchange;
  readonly key: string;
  /** The WebSocket URL in its http(s) form, as the upgrade request goes. */
  readonly url: URL;
  readonly dispatcher: Dispatcher;
  readonly signal: AbortSignal;
  readonly maxBytes: number;
  readonly redactText: (text: string) => string;
  readonly now: () => number;
}

/** Replies read before a check gives up on one that decides (greetings, notices). */
const MAX_WEBSOCKET_REPLIES = 4;

/**
 * Opens the WebSocket, sends the exchange's message with the key, reads the replies until one decides,
 * then closes. The key is sent only after the server proved the handshake; a refused upgrade is read as
 * an HTTP answer (a redirect is never followed). Network failures and the timeout reject, as for a GET.
 */
async function exchangeOverWebSocket(check: WebSocketCheck): Promise<{ reading: Reading; answeredAt: number }> {
  const { provider, exchange, url, signal, redactText } = check;
  const name = provider.displayName;
  const handshakeKey = createHandshakeKey();
  const opened = await openWebSocket(check, handshakeKey);
  const answered = (reading: Reading) => ({ reading, answeredAt: performance.now() });
  if (opened.kind === 'answer') {
    return answered(readRefusedUpgrade(check, opened));
  }
  const problem = findHandshakeProblem(opened.status, opened.headers, handshakeKey);
  if (problem) {
    opened.socket.destroy();
    return answered({
      outcome: 'unexpected-response',
      httpStatus: opened.status,
      message: `${name} did not open a WebSocket at ${url.host}: ${problem}, so the key was not sent: check the WebSocket URL.`,
    });
  }
  const session = new WebSocketSession(opened.socket, 'client', check.maxBytes);
  const drop = () => opened.socket.destroy();
  signal.addEventListener('abort', drop, { once: true });
  try {
    session.send(JSON.stringify({ ...exchange.message, [exchange.keyField]: check.key }));
    for (let replies = 0; replies < MAX_WEBSOCKET_REPLIES; replies++) {
      const reading = readWebSocketReply(provider, exchange, (await session.nextMessage()).toString('utf8'), redactText);
      if (reading) {
        return answered(reading);
      }
    }
    return answered({
      outcome: 'unexpected-response',
      message: `${name} sent ${MAX_WEBSOCKET_REPLIES} WebSocket messages without answering the check, which its documentation does not describe: check the WebSocket URL.`,
    });
  } catch (error) {
    if (signal.aborted) {
      throw error;
    }
    if (error instanceof WebSocketProtocolError) {
      return answered({
        outcome: 'unexpected-response',
        message: `${name} broke the WebSocket protocol (${error.message}), so the connection was dropped: check the WebSocket URL.`,
      });
    }
    if (error instanceof WebSocketClosedError && error.code !== undefined) {
      const reason = error.reason.trim() === '' ? '' : `: "${redactText(error.reason).replace(/"/g, "'").slice(0, 120)}"`;
      return answered({
        outcome: 'unexpected-response',
        message: `${name} closed the WebSocket (code ${error.code}${reason}) without answering the check, which its documentation does not describe: check the key and try again.`,
      });
    }
    throw error;
  } finally {
    signal.removeEventListener('abort', drop);
    await session.close();
  }
}

type OpenedWebSocket =
  | { readonly kind: 'upgraded'; readonly status: number; readonly headers: Record<string, string | string[] | undefined>; readonly socket: Duplex }
  | { readonly kind: 'answer'; readonly status: number; readonly headers: Record<string, string | string[] | undefined>; readonly body: string };

/**
 * The upgrade request, through undici's low-level dispatch: a 101 hands over the socket, any other status
 * is an answer whose body is read up to the bound, as a GET's is. Nothing of the key is in it.
 */
function openWebSocket({ url, dispatcher, signal, maxBytes }: WebSocketCheck, handshakeKey: string): Promise<OpenedWebSocket> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let answer: { status: number; headers: Record<string, string | string[] | undefined> } | undefined;
    let abort: ((reason: Error) => void) | undefined;
    const stop = () => abort?.(new Error('the check was stopped'));
    signal.addEventListener('abort', stop, { once: true });
    const settle = (settled: () => void) => {
      signal.removeEventListener('abort', stop);
      settled();
    };
    const answered = () => ({ kind: 'answer' as const, ...answer!, body: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8') });
    dispatcher.dispatch(
      {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        upgrade: 'websocket',
        headers: { 'sec-websocket-key': handshakeKey, 'sec-websocket-version': '13', 'user-agent': 'api-key-guard' },
      },
      {
        onRequestStart: (controller) => {
          abort = (reason) => controller.abort(reason);
          if (signal.aborted) {
            stop();
          }
        },
        onRequestUpgrade: (_controller, status, headers, socket) => settle(() => resolve({ kind: 'upgraded', status, headers, socket })),
        onResponseStart: (_controller, status, headers) => {
          answer = { status, headers };
        },
        onResponseData: (controller, chunk) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= maxBytes) {
            settle(() => resolve(answered()));
            controller.abort(new Error('answer too long'));
          }
        },
        onResponseEnd: () => settle(() => resolve(answered())),
        // A status that came before the failure is still worth reading, as for a GET.
        onResponseError: (_controller, error) => settle(() => (answer && !signal.aborted ? resolve(answered()) : reject(error))),
      },
    );
  });
}

/**
 * A server that answered the upgrade with something else than 101: a redirect, a rate limit or a server
 * error are read as for a GET; any other status means no WebSocket is there. The key was never sent.
 */
function readRefusedUpgrade({ provider, url, redactText, now }: WebSocketCheck, answer: Extract<OpenedWebSocket, { kind: 'answer' }>): Reading {
  const { status } = answer;
  if ((status >= 300 && status < 400) || status === 429 || status >= 500) {
    return readAnswer(provider, { ...answer, url, now: now() }, redactText);
  }
  return {
    outcome: 'unexpected-response',
    httpStatus: status,
    message: `${provider.displayName} answered the WebSocket request with HTTP ${status} instead of opening a WebSocket, so the key was not sent: check the WebSocket URL.`,
  };
}

/**
 * The connection pool of one check: direct, or through the proxy, trusting `options.ca` (or Node's
 * default roots) for the provider and, unless `proxyStrictSSL` is off, for an `https://` proxy.
 */
function createDispatcher(url: URL, proxyUrl: string | undefined, options: CheckOptions, timeoutMs: number, redactText: (text: string) => string): Dispatcher {
  // Only an https:// target uses TLS: plain http goes to loopback alone, never through a proxy.
  const trust = options.ca && url.protocol === 'https:' ? { secureContext: secureContextFor(options.ca()) } : {};
  const timeouts = { headersTimeout: timeoutMs, bodyTimeout: timeoutMs };
  if (proxyUrl === undefined) {
    return new Agent({ connect: { timeout: timeoutMs, ...trust }, ...timeouts });
  }
  const problem = findProxyProblem(proxyUrl);
  if (problem) {
    throw new ProxyConfigurationError(problem);
  }
  try {
    return new ProxyAgent({
      uri: proxyUrl,
      ...(options.proxyAuthorization ? { token: options.proxyAuthorization } : {}),
      requestTls: { timeout: timeoutMs, ...trust },
      proxyTls: { timeout: timeoutMs, ...trust, ...(options.proxyStrictSSL === false ? { rejectUnauthorized: false } : {}) },
      ...timeouts,
    });
  } catch (error) {
    throw new ProxyConfigurationError(`the proxy cannot be used (${redactText((error as Error).message)})`);
  }
}

/** Why a proxy URL cannot be used, without quoting it: it may hold credentials. */
function findProxyProblem(proxyUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    return 'the proxy is not a valid URL such as http://proxy.example.com:8080';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `the proxy uses ${url.protocol}//, which checks cannot use: give an http:// or https:// proxy`;
  }
  return url.hostname === '' ? 'the proxy URL names no host' : undefined;
}

const secureContexts = new WeakMap<readonly string[], SecureContext>();

/** One TLS context per list of authorities: building one parses every certificate in it. */
function secureContextFor(ca: readonly string[]): SecureContext {
  let context = secureContexts.get(ca);
  if (!context) {
    context = createSecureContext({ ca: [...ca] });
    secureContexts.set(ca, context);
  }
  return context;
}

/**
 * A status came, then its body did not finish in time (a slow or endless body): the outcome follows
 * the status, and the message says the body was cut short rather than blaming a timeout.
 */
function bodyCutShort(reading: Reading, providerName: string, status: number, timeoutMs: number): Reading {
  return {
    ...reading,
    message: `${providerName} answered HTTP ${status} but the body did not finish within ${describeDuration(timeoutMs)}, so the status alone was read. ${reading.message}`,
  };
}

function describeDuration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

function placeKey(provider: ProviderDefinition, key: string, url: URL, username = ''): { path: string; headers: Record<string, string> } {
  // The provider's fixed headers may replace `accept` (GitHub's media type), never the key's own header.
  const fixed = Object.entries(provider.headers ?? {}).map(([name, value]): [string, string] => [name.toLowerCase(), value]);
  const headers: Record<string, string> = { accept: 'application/json', ...Object.fromEntries(fixed), 'user-agent': 'api-key-guard' };
  const { auth } = provider;
  if (auth.in === 'header') {
    headers[auth.name] = `${auth.prefix ?? ''}${key}`;
    return { path: `${url.pathname}${url.search}`, headers };
  }
  if (auth.in === 'basic') {
    headers.authorization = `Basic ${Buffer.from(`${username}:${key}`, 'utf8').toString('base64')}`;
    return { path: `${url.pathname}${url.search}`, headers };
  }
  // Appended by hand: re-serialising the query through URLSearchParams would re-encode `$top` and `folder=/`.
  const separator = url.search === '' ? '?' : '&';
  return { path: `${url.pathname}${url.search}${separator}${encodeURIComponent(auth.name)}=${encodeURIComponent(key)}`, headers };
}

/**
 * Reads at most `cap` bytes, then drops the connection, so a huge or endless body cannot hang or fill
 * memory. `failure` is what ended the body before its end or the cap (the timeout, the server).
 */
async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, cap: number): Promise<{ text: string; failure?: unknown }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let failure: unknown;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= cap) {
        break;
      }
    }
  } catch (error) {
    // A body cut short still leaves a status worth reading.
    failure = error ?? new Error('body failed');
  } finally {
    body.destroy();
  }
  return { text: Buffer.concat(chunks).subarray(0, cap).toString('utf8'), ...(failure === undefined ? {} : { failure }) };
}

/** What of the proxy settings is secret: the URL's user and password, and the `Proxy-Authorization` value with its Basic credentials. */
function proxyCredentials(proxyUrl: string | undefined, proxyAuthorization: string | undefined): string[] {
  const parts: string[] = [];
  try {
    const url = new URL(proxyUrl ?? '');
    parts.push(decodeURIComponent(url.username), decodeURIComponent(url.password));
  } catch {
    // No URL, no credentials in it.
  }
  if (proxyAuthorization) {
    const [scheme = '', token = ''] = proxyAuthorization.trim().split(/\s+/, 2);
    parts.push(token);
    if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      parts.push(decoded, ...decoded.split(':'));
    }
  }
  return parts.filter((part) => part.length >= 4);
}

/** Errors of opening a connection at all (as opposed to one that opened, then failed). */
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|EPROTO|HOSTNAME_MISMATCH/i;

function describeFailure(
  error: unknown,
  url: URL,
  timedOut: boolean,
  timeoutMs: number,
  { proxyUrl, proxySettings }: { proxyUrl: string | undefined; proxySettings: string },
): Reading {
  const code = errorCodes(error).find((candidate) => candidate !== 'UND_ERR_SOCKET') ?? errorCodes(error)[0] ?? '';
  const host = url.host;
  if (timedOut || /TIMEOUT|ETIMEDOUT/.test(code)) {
    return {
      outcome: 'timeout',
      message: `No answer from ${host} within ${describeDuration(timeoutMs)}: check the base URL, your network and proxy settings, then try again.`,
    };
  }
  if (TLS_CODE.test(code)) {
    return {
      outcome: 'tls-error',
      message: `The HTTPS certificate of ${host} was not accepted (${code}), so the key was not sent: check the base URL; if a proxy or firewall intercepts HTTPS, its certificate authority must be trusted (see "Proxies and certificates" in the README).`,
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  if (proxyUrl !== undefined && /proxy/i.test(`${text} ${code}`)) {
    return {
      outcome: 'network-error',
      proxyFailed: true,
      message: `The proxy ${safeOrigin(proxyUrl)} did not open a connection to ${host} (${text.replace(/\s+/g, ' ').slice(0, 120)}): check ${proxySettings}.`,
    };
  }
  // Through a proxy the client connects only to the proxy, so failing to connect is the proxy's.
  if (proxyUrl !== undefined && UNREACHABLE_CODES.has(code)) {
    return {
      outcome: 'network-error',
      proxyFailed: true,
      message: `The proxy ${safeOrigin(proxyUrl)} could not be reached (${code}), so nothing was sent to ${host}: check ${proxySettings}.`,
    };
  }
  const reasons: Readonly<Record<string, string>> = {
    ENOTFOUND: `The host ${url.hostname} was not found (DNS): check the base URL and your network.`,
    EAI_AGAIN: `The host ${url.hostname} could not be looked up right now (DNS): check your network and try again.`,
    ECONNREFUSED: `${host} refused the connection: check the base URL, and that the server is up.`,
    ECONNRESET: `The connection to ${host} was reset: try again, and check firewall and proxy settings.`,
    EHOSTUNREACH: `${host} is unreachable from this network: check your network, VPN and proxy settings.`,
    ENETUNREACH: `The network to reach ${host} is down: check your connection.`,
  };
  return {
    outcome: 'network-error',
    message:
      reasons[code] ?? `Could not talk to ${host} (${code || text.replace(/\s+/g, ' ').slice(0, 120)}): check the base URL, your network and proxy settings.`,
  };
}

/** `code` of the error and of its causes: undici wraps the socket error that names the real problem. */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') {
      codes.push(code);
    }
    current = cause ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return codes;
}

function safeOrigin(proxyUrl: string): string {
  try {
    return new URL(proxyUrl).origin;
  } catch {
    return 'configured';
  }
}
