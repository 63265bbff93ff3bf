/**
 * Connectivity checks over undici: one GET per check, the key sent only where it belongs.
 * The only module that imports undici, so callers can load it on demand.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import { readAnswer, type CheckResult, type Reading } from './checkOutcome';
import { findKeyProblem } from './keyHygiene';
import { DEFAULT_CHECK_ID, isLoopbackHost, resolveCheckTarget, type ProviderDefinition } from './providers';
import { createRedactor } from './redaction';

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
  /** Response bytes read before the connection is dropped. Default 64 KiB. */
  readonly maxBodyBytes?: number;
  /** `http://[user:password@]host:port` of an HTTP proxy; loopback targets never use it. */
  readonly proxyUrl?: string;
  /** Hosts that bypass the proxy, comma or space separated, as in `NO_PROXY` (`*`, `.example.com`, `host:port`). */
  readonly noProxy?: string;
  /** Shared between checks so a key is never checked twice at once and a rate-limited key rests. */
  readonly memory?: CheckMemory;
  /** Milliseconds since the epoch; injectable so rate-limit waits are testable. */
  readonly clock?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
export const DEFAULT_CONCURRENCY = 20;

/** A check that cannot be built: unknown or malformed parameter, unusable base URL. Nothing was sent. */
export class CheckConfigurationError extends Error {
  override readonly name = 'CheckConfigurationError';
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
 * `resolveCheckTarget`); every network or server problem is a result.
 */
export async function checkKey(check: KeyCheckRequest, options: CheckOptions = {}): Promise<CheckResult> {
  const target = resolveCheckTarget(check.provider, check);
  if (!target.ok) {
    throw new CheckConfigurationError(target.problem);
  }
  const clock = options.clock ?? Date.now;
  // The answer is read with the chosen check's explanations: a 403 means something else on another API.
  const send = (): Promise<CheckResult> => sendCheck({ ...check, provider: target.provider }, target.url, options, clock);
  return options.memory ? options.memory.run(keyIdOf(check), check.provider.displayName, clock(), send) : send();
}

/**
 * Checks many keys concurrently, at most `concurrency` at a time and one request per key id: repeated
 * keys share one result. Rejects with `CheckConfigurationError` before sending anything if any request is malformed.
 */
export async function checkMany(checks: readonly KeyCheckRequest[], options: CheckOptions & { readonly concurrency?: number } = {}): Promise<CheckResult[]> {
  checks.forEach((check, index) => {
    const target = resolveCheckTarget(check.provider, check);
    if (!target.ok) {
      throw new CheckConfigurationError(`check #${index + 1} (${check.provider.id}): ${target.problem}`);
    }
  });
  const memory = options.memory ?? new CheckMemory();
  const ids = checks.map(keyIdOf);
  const unique = [...new Map(ids.map((id, index) => [id, checks[index]!])).entries()];
  const results = new Map<string, CheckResult>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < unique.length) {
      const [id, check] = unique[next++]!;
      results.set(id, await checkKey(check, { ...options, memory }));
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, unique.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return ids.map((id) => results.get(id)!);
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

async function sendCheck(check: KeyCheckRequest, url: URL, options: CheckOptions, clock: () => number): Promise<CheckResult> {
  const { provider, key } = check;
  const secrets = [key, ...proxyCredentials(options.proxyUrl)];
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
  if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname)) {
    return finish(
      {
        outcome: 'insecure-url',
        message: `The base URL uses plain ${url.protocol}// to ${url.host}, which would expose the key on the network, so nothing was sent: use https://.`,
      },
      0,
    );
  }
  const { path, headers } = placeKey(provider, key, url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const proxied = options.proxyUrl !== undefined && options.proxyUrl !== '' && shouldUseProxy(url, options.noProxy);
  const dispatcherOptions = { connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs };
  let dispatcher: Dispatcher;
  try {
    dispatcher = proxied ? new ProxyAgent({ uri: options.proxyUrl, ...dispatcherOptions }) : new Agent(dispatcherOptions);
  } catch (error) {
    throw new CheckConfigurationError(`proxy URL is not usable: ${redactText(String((error as Error).message))}`);
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const started = performance.now();
  try {
    const response = await request(`${url.origin}${path}`, { method: 'GET', headers, dispatcher, signal: abort.signal });
    const body = await readCapped(response.body, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    const reading = readAnswer(provider, { status: response.statusCode, headers: response.headers, body, url, now: clock() }, redactText);
    return finish(reading, performance.now() - started);
  } catch (error) {
    const reading = describeFailure(error, url, abort.signal.aborted, timeoutMs, proxied ? options.proxyUrl : undefined);
    return finish(reading, performance.now() - started);
  } finally {
    clearTimeout(timer);
    await dispatcher.destroy().catch(() => undefined);
  }
}

function placeKey(provider: ProviderDefinition, key: string, url: URL): { path: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'api-key-guard' };
  const { auth } = provider;
  if (auth.in === 'header') {
    headers[auth.name] = `${auth.prefix ?? ''}${key}`;
    return { path: `${url.pathname}${url.search}`, headers };
  }
  // Appended by hand: re-serialising the query through URLSearchParams would re-encode `$top` and `folder=/`.
  const separator = url.search === '' ? '?' : '&';
  return { path: `${url.pathname}${url.search}${separator}${encodeURIComponent(auth.name)}=${encodeURIComponent(key)}`, headers };
}

/** Reads at most `cap` bytes, then drops the connection, so a huge or endless body cannot hang or fill memory. */
async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, cap: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= cap) {
        break;
      }
    }
  } catch {
    // A body cut short by the timeout or the server still leaves a status worth reading.
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, cap).toString('utf8');
}

function proxyCredentials(proxyUrl: string | undefined): string[] {
  try {
    const url = new URL(proxyUrl ?? '');
    return [decodeURIComponent(url.username), decodeURIComponent(url.password)].filter((part) => part.length >= 4);
  } catch {
    return [];
  }
}

/** Errors of opening a connection at all (as opposed to one that opened, then failed). */
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|EPROTO|HOSTNAME_MISMATCH/i;

function describeFailure(error: unknown, url: URL, aborted: boolean, timeoutMs: number, proxyUrl: string | undefined): Reading {
  const code = errorCodes(error).find((candidate) => candidate !== 'UND_ERR_SOCKET') ?? errorCodes(error)[0] ?? '';
  const host = url.host;
  if (aborted || /TIMEOUT|ETIMEDOUT/.test(code)) {
    const seconds = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 100) / 10} s` : `${timeoutMs} ms`;
    return {
      outcome: 'timeout',
      message: `No answer from ${host} within ${seconds}: check the base URL, your network and proxy settings, then try again.`,
    };
  }
  if (TLS_CODE.test(code)) {
    return {
      outcome: 'tls-error',
      message: `The HTTPS certificate of ${host} was not accepted (${code}), so the key was not sent: check the base URL, or whether a proxy or firewall intercepts HTTPS.`,
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  if (proxyUrl !== undefined && /proxy/i.test(`${text} ${code}`)) {
    return {
      outcome: 'network-error',
      message: `The proxy ${safeOrigin(proxyUrl)} did not open a connection to ${host} (${text.replace(/\s+/g, ' ').slice(0, 120)}): check the proxy settings and NO_PROXY.`,
    };
  }
  // Through a proxy the client connects only to the proxy, so failing to connect is the proxy's.
  if (proxyUrl !== undefined && UNREACHABLE_CODES.has(code)) {
    return {
      outcome: 'network-error',
      message: `The proxy ${safeOrigin(proxyUrl)} could not be reached (${code}), so nothing was sent to ${host}: check the proxy settings and NO_PROXY.`,
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
