/**
 * What a provider's answer means. Pure functions over status, headers and the (capped) body, so the
 * engine's network code stays small and every reading is testable without a server.
 */
import type { ExplainedOutcome, ProviderDefinition, WebSocketExchange } from './providers/types';
import { readRateLimit, readResetTime, type RateLimit } from './rateLimit';

export type CheckOutcome =
  | 'ok'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'bad-request'
  | 'rate-limited'
  | 'server-error'
  | 'timeout'
  | 'network-error'
  | 'tls-error'
  | 'redirect-blocked'
  | 'insecure-url'
  | 'invalid-key'
  | 'unexpected-response'
  | 'not-checkable';

/**
 * Why a check was never sent, so the caller can offer the step that makes the key checkable again: the
 * key's own settings, the provider's definition, the secret, or what surrounds the key (the secret
 * storage, the network settings), which no edit of the key can fix.
 */
export type NotCheckableReason = 'provider-removed' | 'unusable-settings' | 'secret-missing' | 'storage-unreadable' | 'network-settings';

export interface CheckResult {
  readonly outcome: CheckOutcome;
  readonly httpStatus?: number;
  readonly latencyMs: number;
  readonly retryAfterSeconds?: number;
  /** The headroom the answer reported, whatever its outcome. */
  readonly rateLimit?: RateLimit;
  /** The plan the answer named (Layerx402's WebSocket `authenticated` reply), as the provider wrote it. */
  readonly plan?: string;
  /** One sentence a person can act on; already redacted. */
  readonly message: string;
  /** Where the check went, when something was sent: `GET https://host/path?query` or `WebSocket wss://host/path`, never with the key. */
  readonly request?: string;
  /** Set with `not-checkable` only. */
  readonly notCheckableReason?: NotCheckableReason;
  /** Set when the proxy, not the provider, failed (refused, unreachable): the network settings are at fault, not the key. */
  readonly proxyFailed?: boolean;
}

/** A stored key whose provider definition is gone (removed from settings): nothing was sent. */
export function providerRemovedResult(providerId: string): CheckResult {
  return notCheckable(
    'provider-removed',
    `Nothing was sent, because the provider '${providerId}' is no longer defined: add it back in settings (apiKeyGuard.customProviders) or remove this key.`,
  );
}

/** A stored key whose base URL or parameters cannot make a check request (see `resolveCheckTarget`): nothing was sent. */
export function unusableSettingsResult(problem: string): CheckResult {
  return notCheckable(
    'unusable-settings',
    `Nothing was sent, because this key's settings cannot be checked (${problem.replace(/\.$/, '')}): fix them with "Edit Key Details".`,
  );
}

/** A stored key whose secret the editor's secret storage lost (a session-only keyring): there is nothing to send. */
export function secretMissingResult(): CheckResult {
  return notCheckable('secret-missing', 'Nothing was sent, because VS Code\'s secret storage no longer has this key: enter it again with "Re-enter Key".');
}

/**
 * The secret storage could not be read at all (a locked keyring): the key may well be there, so there
 * is nothing to enter again; `reason` is the storage's own words, already redacted.
 */
export function storageUnreadableResult(reason: string): CheckResult {
  return notCheckable(
    'storage-unreadable',
    `Nothing was sent, because VS Code's secret storage could not be read (${reason.replace(/\.$/, '')}): unlock your keyring, or start one, then check again.`,
  );
}

/** The proxy the network settings name cannot be used: nothing was sent, and the fix is in those settings, not in the key's. */
export function networkSettingsResult(problem: string, setting: string): CheckResult {
  return notCheckable('network-settings', `Nothing was sent, because ${problem.replace(/\.$/, '')}: fix ${setting}, or clear it to connect directly.`);
}

function notCheckable(notCheckableReason: NotCheckableReason, message: string): CheckResult {
  return { outcome: 'not-checkable', latencyMs: 0, message, notCheckableReason };
}

export interface ProviderAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  /** The URL the check was sent to, to resolve a relative redirect target. */
  readonly url: URL;
  /** Current time in ms since the epoch, for `Retry-After` dates and rate-limit resets. */
  readonly now: number;
}

export type Reading = Omit<CheckResult, 'latencyMs'>;

const DEFAULT_EXPLANATIONS: Readonly<Record<ExplainedOutcome, string>> = {
  unauthorized: 'the key is missing, wrong, expired or revoked: paste it again or create a new one',
  forbidden: 'the key is valid but its plan, role or permissions do not allow this request: ask the account owner for access',
  'not-found': 'the resource is outside the key scope or the base URL is wrong: check the parameters and the base URL',
  'bad-request': 'the key was accepted but a parameter is wrong: check the parameters',
  'rate-limited': 'wait before checking again',
};

const SERVER_TEXT_LIMIT = 160;

/** `redactText` masks the key in server text before it is shortened, so a cut can never split the key. */
export function readAnswer(provider: ProviderDefinition, answer: ProviderAnswer, redactText: (text: string) => string): Reading {
  const rateLimit = readRateLimit(answer.headers, answer.now);
  const reading = readStatus(provider, answer, rateLimit, redactText);
  return rateLimit ? { ...reading, rateLimit } : reading;
}

function readStatus(provider: ProviderDefinition, answer: ProviderAnswer, rateLimit: RateLimit | undefined, redactText: (text: string) => string): Reading {
  const { status } = answer;
  const json = parseJson(answer.body);
  // Only failures quote the server, so an ok answer costs no redaction.
  const say = (): string => {
    const serverText = tidy(redactText(errorText(provider, json, answer) ?? ''));
    return serverText ? `: "${serverText}"` : '';
  };
  const name = provider.displayName;
  if (status >= 300 && status < 400) {
    return { outcome: 'redirect-blocked', httpStatus: status, message: describeRedirect(name, answer) };
  }
  if (status >= 200 && status < 300) {
    const coded = codedOutcome(provider, json);
    if (coded) {
      // The code is a documented value, so it may be quoted when the server gave no words of its own.
      return explainedReading(provider, answer, json, coded.outcome, say() || `: "${tidy(redactText(coded.code)) ?? ''}"`);
    }
    const failure = provider.errorInSuccessBody;
    const found = failure && json !== undefined ? fieldAt(json, failure.field) : undefined;
    if (failure && found !== undefined && (Array.isArray(failure.value) ? failure.value.includes(found) : found === failure.value)) {
      return {
        outcome: 'unexpected-response',
        httpStatus: status,
        message: `${name} answered HTTP ${status} but reported an error${say()}; the cause is not documented, so check the key, its permissions and the parameters.`,
      };
    }
    if (/text\/html/i.test(headerValue(answer.headers, 'content-type') ?? '')) {
      return {
        outcome: 'unexpected-response',
        httpStatus: status,
        message: `${name} answered HTTP ${status} with a web page instead of API data; a login portal or a wrong base URL is in the way, so check the base URL and your network.`,
      };
    }
    return { outcome: 'ok', httpStatus: status, message: `${name} accepted the key (HTTP ${status}).` };
  }
  // GitHub answers 403 over its limit: no requests left turns such a status into rate-limited.
  const exhausted = rateLimit?.remaining === 0 && provider.rateLimit?.exhaustedStatuses?.includes(status) === true;
  const outcome = exhausted ? 'rate-limited' : outcomeForStatus(status);
  if (outcome === 'server-error') {
    return {
      outcome,
      httpStatus: status,
      message: `${name} had a server error (HTTP ${status}${say()}): the problem is on its side, so try again later.`,
    };
  }
  if (outcome === 'unexpected-response') {
    return {
      outcome,
      httpStatus: status,
      message: `${name} answered with HTTP ${status}${say()}, which its documentation does not describe: check the base URL.`,
    };
  }
  return explainedReading(provider, answer, json, outcome, say());
}

/** The outcome a documented code in a 2xx body names (see `SuccessBodyCodes`), with that code. */
function codedOutcome(provider: ProviderDefinition, json: unknown): { outcome: ExplainedOutcome; code: string } | undefined {
  const codes = provider.successBodyCodes;
  const code = codes && json !== undefined ? fieldAt(json, codes.field) : undefined;
  return typeof code === 'string' && codes && Object.hasOwn(codes.outcomes, code) ? { outcome: codes.outcomes[code]!, code } : undefined;
}

/** An outcome the provider explains, from its status or a documented code; `said` is the server's words, as `: "…"` or empty. */
function explainedReading(provider: ProviderDefinition, answer: ProviderAnswer, json: unknown, outcome: ExplainedOutcome, said: string): Reading {
  const { status } = answer;
  const name = provider.displayName;
  if (outcome === 'rate-limited') {
    const retryAfterSeconds = findRetryAfter(provider, answer, json);
    const wait = retryAfterSeconds === undefined ? '' : `; retry in ${retryAfterSeconds} s`;
    return {
      outcome,
      httpStatus: status,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      message: `${name} is rate limiting this key (HTTP ${status}${said}): ${explain(provider, outcome)}${wait}.`,
    };
  }
  return { outcome, httpStatus: status, message: `${name} ${VERDICTS[outcome]} (HTTP ${status}${said}): ${explain(provider, outcome)}.` };
}

const VERDICTS: Readonly<Record<Exclude<ExplainedOutcome, 'rate-limited'>, string>> = {
  unauthorized: 'rejected the key',
  forbidden: 'refused this request',
  'not-found': 'did not find the resource',
  'bad-request': 'rejected the request',
};

/**
 * What one reply to a WebSocket check's message means (see `WebSocketExchange`); undefined for a reply
 * that decides nothing, such as a greeting, after which the next one is read.
 */
export function readWebSocketReply(
  provider: ProviderDefinition,
  exchange: WebSocketExchange,
  text: string,
  redactText: (text: string) => string,
): Reading | undefined {
  const name = provider.displayName;
  const json = parseJson(text);
  if (json === undefined) {
    return {
      outcome: 'unexpected-response',
      message: `${name} answered the WebSocket check with something other than JSON, which its documentation does not describe: check the WebSocket URL.`,
    };
  }
  if (fieldAt(json, exchange.replyTypeField) === exchange.acceptedType) {
    const named = exchange.planField === undefined ? undefined : fieldAt(json, exchange.planField);
    const plan = typeof named === 'string' ? planName(redactText(named)) : undefined;
    return { outcome: 'ok', ...(plan ? { plan } : {}), message: `${name} accepted the key over its WebSocket API${plan ? ` (plan: ${plan})` : ''}.` };
  }
  const code = exchange.errorCodeFields.map((field) => fieldAt(json, field)).find((value): value is string => typeof value === 'string');
  if (code === undefined) {
    return undefined;
  }
  const serverText = tidy(redactText(errorText(provider, json, { body: text, headers: {} }) ?? ''));
  const quotedCode = tidy(redactText(code)) ?? 'an empty code';
  const said = serverText && serverText !== quotedCode ? `: "${serverText}"` : '';
  const documented = Object.hasOwn(exchange.errorCodes, code) ? exchange.errorCodes[code] : undefined;
  if (!documented) {
    return {
      outcome: 'unexpected-response',
      message: `${name} refused the WebSocket check with ${quotedCode}${said}, which its documentation does not describe: check the key and the WebSocket URL.`,
    };
  }
  const { outcome } = documented;
  const explanation = documented.explanation ?? explain(provider, outcome);
  if (outcome === 'rate-limited') {
    const retryAfterSeconds = provider.retryAfterFields
      .map((field) => fieldAt(json, field))
      .find((value): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0);
    const wait = retryAfterSeconds === undefined ? '' : `; retry in ${Math.ceil(retryAfterSeconds)} s`;
    return {
      outcome,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds: Math.ceil(retryAfterSeconds) }),
      message: `${name} is limiting this key over its WebSocket API (${quotedCode}${said}): ${explanation}${wait}.`,
    };
  }
  return { outcome, message: `${name} ${VERDICTS[outcome]} over its WebSocket API (${quotedCode}${said}): ${explanation}.` };
}

function outcomeForStatus(status: number): ExplainedOutcome | 'server-error' | 'unexpected-response' {
  switch (status) {
    case 400:
    case 422:
      return 'bad-request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 429:
      return 'rate-limited';
    default:
      return status >= 500 && status < 600 ? 'server-error' : 'unexpected-response';
  }
}

function explain(provider: ProviderDefinition, outcome: ExplainedOutcome): string {
  return provider.explanations[outcome] ?? DEFAULT_EXPLANATIONS[outcome];
}

function describeRedirect(name: string, answer: ProviderAnswer): string {
  const location = headerValue(answer.headers, 'location');
  let target: URL | undefined;
  try {
    target = location === undefined ? undefined : new URL(location, answer.url);
  } catch {
    target = undefined;
  }
  if (!target) {
    return `${name} answered with a redirect (HTTP ${answer.status}) that was not followed: check the base URL.`;
  }
  if (target.origin !== answer.url.origin) {
    return `${name} redirected the check to ${target.origin} (HTTP ${answer.status}); the key was not sent there: if the provider moved, set the base URL to that address yourself.`;
  }
  return `${name} redirected the check to ${target.pathname} on the same server (HTTP ${answer.status}), which was not followed: check the base URL path.`;
}

/** Seconds to wait, from `Retry-After` (seconds or date), the rate-limit reset (see rateLimit.ts) or a body field. */
function findRetryAfter(provider: ProviderDefinition, answer: ProviderAnswer, json: unknown): number | undefined {
  const retryAfter = headerValue(answer.headers, 'retry-after');
  if (retryAfter !== undefined) {
    const seconds = /^\s*\d+(\.\d+)?\s*$/.test(retryAfter) ? Number(retryAfter) : (Date.parse(retryAfter) - answer.now) / 1000;
    if (Number.isFinite(seconds)) {
      return Math.max(0, Math.ceil(seconds));
    }
  }
  const reset = readResetTime(answer.headers, answer.now);
  if (reset !== undefined && reset > answer.now) {
    return Math.ceil((reset - answer.now) / 1000);
  }
  for (const field of provider.retryAfterFields) {
    const value = json === undefined ? undefined : fieldAt(json, field);
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
      return Math.ceil(value);
    }
  }
  return undefined;
}

function errorText(provider: ProviderDefinition, json: unknown, answer: Pick<ProviderAnswer, 'body' | 'headers'>): string | undefined {
  if (json === undefined) {
    return /^text\/plain/i.test(headerValue(answer.headers, 'content-type') ?? '') ? answer.body : undefined;
  }
  for (const field of provider.errorMessageFields) {
    const value = fieldAt(json, field);
    if (typeof value === 'string' && value.trim() !== '') {
      return value;
    }
  }
  return undefined;
}

/** One line, no control characters, bounded length: server text goes into a sentence. */
function tidy(text: string, limit = SERVER_TEXT_LIMIT): string | undefined {
  const line = text
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .replace(/"/g, "'")
    .trim();
  if (line === '') {
    return undefined;
  }
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

/** A plan's name is a word or two ("Premium"); anything longer is cut. */
const PLAN_NAME_LIMIT = 40;

/**
 * A plan name a server gave, as it may be shown and stored: text only, one line, no control or
 * invisible characters, at most `PLAN_NAME_LIMIT` characters; undefined for anything else. The key
 * must already be masked in it (the check does that, with the key at hand).
 */
export function planName(value: unknown): string | undefined {
  return typeof value === 'string' ? tidy(value, PLAN_NAME_LIMIT) : undefined;
}

function parseJson(body: string): unknown {
  if (!/^\s*[{[]/.test(body)) {
    return undefined;
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** The value at a dotted path; a numeric part indexes a list (`errors.0.message`). */
function fieldAt(json: unknown, path: string): unknown {
  let value: unknown = json;
  for (const part of path.split('.')) {
    if (Array.isArray(value) && /^\d+$/.test(part)) {
      value = value[Number(part)];
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, part)) {
      value = (value as Record<string, unknown>)[part];
    } else {
      return undefined;
    }
  }
  return value;
}

function headerValue(headers: ProviderAnswer['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
