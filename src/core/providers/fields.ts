/**
 * What a valid field of a provider definition is, one function per field: the definition parser
 * refuses with these, and the Add Custom Provider prompts validate each answer with them as it is
 * typed, so a value is refused where it is entered, not at the end. Each returns what is wrong, as a
 * phrase that reads both after a field's name and, capitalised, as a prompt's message; undefined when fine.
 */
import type { KeyPlacement } from './types';

/** A provider's or an alternative check's id. */
export function findIdProblem(text: string): string | undefined {
  return /^[a-z0-9][a-z0-9-]{1,39}$/.test(text) ? undefined : 'use 2 to 40 lowercase letters, digits and dashes, starting with a letter or digit';
}

/** A name or label people read: anything but blank. */
export function findNameProblem(text: string): string | undefined {
  return /\S/.test(text) ? undefined : 'enter a name';
}

/** Sentences people read (a provider's rotation steps): anything but blank. */
export function findSentenceProblem(text: string): string | undefined {
  return /\S/.test(text) ? undefined : 'write at least one sentence';
}

/** Plain HTTP is only acceptable to the machine itself (local test servers, tunnels). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The URLs a check is sent to: an HTTP check's base URL, or a WebSocket check's URL. */
const URL_KINDS = {
  http: { name: 'base URL', secure: 'https:', plain: 'http:' },
  websocket: { name: 'WebSocket URL', secure: 'wss:', plain: 'ws:' },
} as const;

/**
 * A URL a check can be built on: any URL of its kind's schemes without credentials, query or fragment. Whether a
 * key may be sent there over the plain scheme is the engine's decision, which reports it as `insecure-url`.
 * Names the URL by its host at most: its path, query or credentials may hold a key typed in the wrong place.
 */
function findCheckUrlProblem(text: string, { name, secure, plain }: (typeof URL_KINDS)[keyof typeof URL_KINDS]): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `the ${name} is not a valid URL (expected ${secure}//host/path)`;
  }
  if (url.protocol !== secure && url.protocol !== plain) {
    return `the ${name} must start with ${secure}//`;
  }
  if (url.username || url.password) {
    return `the ${name} for ${url.host} must not contain a user name or password`;
  }
  if (url.search || url.hash) {
    return `the ${name} for ${url.host} must not contain a query or fragment`;
  }
  return undefined;
}

export function findBaseUrlProblem(text: string): string | undefined {
  return findCheckUrlProblem(text, URL_KINDS.http);
}

export function findWebSocketUrlProblem(text: string): string | undefined {
  return findCheckUrlProblem(text, URL_KINDS.websocket);
}

/**
 * A URL a key is sent to (a provider's, or one a key is given): as `findCheckUrlProblem`, and over the secure
 * scheme unless it is this machine, where the check engine would refuse to send the key anyway.
 */
function findSentUrlProblem(text: string, kind: (typeof URL_KINDS)[keyof typeof URL_KINDS]): string | undefined {
  const problem = findCheckUrlProblem(text, kind);
  if (problem) {
    return problem;
  }
  const url = new URL(text);
  const { secure, plain } = kind;
  return url.protocol === plain && !isLoopbackHost(url.hostname)
    ? `use ${secure}//: over plain ${plain}// the key would cross the network readable by anyone on the way to ${url.host} (plain ${plain}// is only allowed to this machine, such as ${plain}//localhost:8080)`
    : undefined;
}

export function findProviderBaseUrlProblem(text: string): string | undefined {
  return findSentUrlProblem(text, URL_KINDS.http);
}

export function findProviderWebSocketUrlProblem(text: string): string | undefined {
  return findSentUrlProblem(text, URL_KINDS.websocket);
}

/** An origin a provider declares: scheme and host (and port) alone, https:// or wss://, plain http:// or ws:// only to this machine. */
export function findOriginProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'use an origin such as https://api.example.com or wss://stream.example.com';
  }
  if (!['https:', 'wss:', 'http:', 'ws:'].includes(url.protocol)) {
    return 'an origin starts with https:// or wss://';
  }
  if ((url.protocol === 'http:' || url.protocol === 'ws:') && !isLoopbackHost(url.hostname)) {
    return `use ${url.protocol === 'ws:' ? 'wss' : 'https'}://: plain ${url.protocol}// is only allowed to this machine`;
  }
  return url.origin === text ? undefined : `write the origin alone, without path, credentials or default port: ${url.origin}`;
}

/** The header or query parameter that carries the key: an HTTP token (RFC 9110). */
export function findKeyNameProblem(text: string): string | undefined {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(text) ? undefined : 'use a header or query parameter name such as X-API-Key, without spaces';
}

/** Text sent before the key in its header, such as `Bearer `. */
export function findPrefixProblem(text: string): string | undefined {
  return /^[\x20-\x7e]{1,40}$/.test(text) ? undefined : 'use at most 40 printable characters, such as "Bearer "';
}

/** The check's path, relative to the base URL; its query is given apart. */
export function findCheckPathProblem(text: string): string | undefined {
  if (!text.startsWith('/')) {
    return 'start the path with /';
  }
  if (/[\s#]/.test(text)) {
    return 'leave spaces and # out of the path';
  }
  return text.includes('?') ? 'give the query apart, in "query", not after ? in the path' : undefined;
}

/** Where the provider documents its authentication. */
export function findDocsUrlProblem(text: string): string | undefined {
  return /^https:\/\/\S+$/.test(text) ? undefined : 'use an https:// link to the provider documentation';
}

/** An environment variable name, as the provider's documentation uses it. */
export function findEnvironmentVariableProblem(text: string): string | undefined {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(text) ? undefined : 'use environment variable names: letters, digits and underscores, not starting with a digit';
}

/** A dotted path into a JSON body, such as `error.message`. */
export function findJsonFieldProblem(text: string): string | undefined {
  return /^[\w$-]+(\.[\w$-]+)*$/.test(text) ? undefined : 'use dotted JSON field paths such as error.message';
}

/** A field of a JSON message a check sends (the field carrying the key, a fixed field): a name alone, the message being flat. */
export function findJsonFieldNameProblem(text: string): string | undefined {
  return /^[\w$-]{1,64}$/.test(text) ? undefined : 'use a JSON field name such as apiKey: 1 to 64 letters, digits, _, $ and -, without dots';
}

/** A code a provider's error message carries, such as AUTHENTICATION_FAILED. */
export function findErrorCodeProblem(text: string): string | undefined {
  return /^[\x21-\x7e]{1,100}$/.test(text) ? undefined : 'use 1 to 100 printable characters without spaces, such as AUTHENTICATION_FAILED';
}

/** The name of a check parameter, used as `{name}` in the check's path and query. */
export function findParameterNameProblem(text: string): string | undefined {
  return /^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(text) ? undefined : 'use an identifier such as projectId: letters, digits and underscores, starting with a letter';
}

/** Headers a provider definition may not fix: the key's own, and those that decide where or how the request goes. */
const RESERVED_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
  'expect',
  'keep-alive',
  'user-agent',
]);

/** A fixed header's name: an HTTP token that is neither reserved nor the header carrying the key. */
export function findFixedHeaderProblem(name: string, auth: KeyPlacement): string | undefined {
  const lower = name.toLowerCase();
  if (findKeyNameProblem(name)) {
    return 'use a header name such as anthropic-version, without spaces';
  }
  if (RESERVED_HEADERS.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-')) {
    return `${name} is set by API Key Guard itself and cannot be fixed by a provider`;
  }
  return auth.in === 'header' && auth.name.toLowerCase() === lower ? `${name} carries the key, so it cannot have a fixed value` : undefined;
}

/** A fixed header's value, or a fixed field's of a WebSocket check's message: printable text, as HTTP allows. */
export function findFixedValueProblem(text: string): string | undefined {
  return /^[\x20-\x7e]{1,200}$/.test(text) ? undefined : 'use 1 to 200 printable characters';
}

/** The Basic auth user name (the key is the password): `api`, or `{accountSid}` for a parameter. RFC 7617 forbids a colon in it. */
export function findBasicUsernameProblem(text: string): string | undefined {
  return /^[\x21-\x39\x3b-\x7e]{1,100}$/.test(text) ? undefined : 'use 1 to 100 printable characters without spaces or colons, such as api or {accountSid}';
}
