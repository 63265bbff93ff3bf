/**
 * `api-key-guard check`: one connectivity check, for CI and terminals. The contract (options, JSON
 * shape, exit codes) is documented in the README and kept stable.
 */
import { parseArgs } from 'node:util';
import { describeParseError, proxyFromEnvironment } from './options';
import { readProvidersFile } from './providersFile';
import { CheckConfigurationError, checkKey, DEFAULT_TIMEOUT_MS } from '../core/checkEngine';
import type { CheckResult } from '../core/checkOutcome';
import { BUILT_IN_PROVIDERS } from '../core/providers/builtIn';
import { parametersOf, resolveCheckTarget } from '../core/providers/checkTarget';
import { describeAuth, describeCheckRequest } from '../core/providers/presentation';
import type { ProviderCheck, ProviderDefinition } from '../core/providers/types';
import { describeHeadroom, describePlan } from '../core/rateLimit';
import { createRedactor, quoteIfName } from '../core/redaction';
import { escapeTerminalText } from '../core/terminalText';

const MAX_TIMEOUT_MS = 600_000;

function help(): string {
  const paramsOf = (provider: ProviderDefinition, check: ProviderCheck) =>
    parametersOf(provider, check)
      .map((parameter) => ` --param ${parameter.name}=…`)
      .join('');
  const providers = BUILT_IN_PROVIDERS.map((provider) => {
    const params = paramsOf(provider, provider.check);
    const checks = (provider.alternativeChecks ?? []).map(
      (check) =>
        `\n  ${''.padEnd(11)} --check ${check.id}${paramsOf(provider, check)}: ${check.label} (${describeCheckRequest(check)}) instead of ${describeCheckRequest(provider.check)}`,
    );
    return `  ${provider.id.padEnd(11)} ${provider.displayName}, ${describeAuth(provider.auth)}${params}${checks.join('')}`;
  }).join('\n');
  return `Usage: api-key-guard check --provider <id> (--key-env <VAR> | --key-stdin) [options]

Sends one low-risk GET to the provider with the key (or, for a WebSocket check, one message) and says
whether the key works. The key goes only to the provider's own servers, or to this machine.
The key is never read from the command line, where process lists would show it.

Options:
  --provider <id>          provider to check (required)
  --key-env <VAR>          read the key from environment variable VAR
  --key-stdin              read the key from standard input (one trailing newline is dropped)
  --param <name>=<value>   a parameter of the check, repeatable (e.g. --param tenantId=acme)
  --base-url <url>         use another base URL on one of the provider's origins (a regional host), or a
                           local test server; a wss:// URL for a WebSocket check
  --check <id>             another of the provider's checks, listed under Providers (e.g. catalog for
                           a Catalog-only Sales Layer key, websocket for Layerx402's WebSocket API);
                           default: the provider's default check
  --timeout-ms <n>         give up after n milliseconds (default ${DEFAULT_TIMEOUT_MS})
  --format text|json       json prints {"provider","outcome","httpStatus","latencyMs","retryAfterSeconds",
                           "rateLimit":{"limit","remaining","resetAt"}|null,"plan","message"}
  --providers-file <file>  JSON file with custom provider definitions (a list, or {"providers": [...]})
  -h, --help               show this help

Providers:
${providers}

Proxy: HTTPS_PROXY (or https_proxy) is used, except for hosts listed in NO_PROXY (or no_proxy).
Exit codes: 0 the key works, 1 any other outcome, 2 usage or configuration error.
`;
}

class UsageError extends Error {}

interface Invocation {
  readonly provider: ProviderDefinition;
  readonly params: Record<string, string>;
  readonly baseUrl?: string;
  readonly checkId?: string;
  readonly timeoutMs: number;
  readonly format: 'text' | 'json';
  readonly keySource: { readonly env: string } | 'stdin';
}

/** A line for a person, escaped for the terminal: provider names come from a providers file that may be anyone's. */
function say(stream: NodeJS.WriteStream, text: string): void {
  stream.write(`${escapeTerminalText(text)}\n`);
}

export async function run(argv: string[]): Promise<number> {
  let invocation: Invocation | 'help';
  let key: string;
  try {
    invocation = readInvocation(argv);
    if (invocation === 'help') {
      process.stdout.write(help());
      return 0;
    }
    key = await readKey(invocation.keySource);
  } catch (error) {
    if (error instanceof UsageError) {
      say(process.stderr, `api-key-guard check: ${error.message}`);
      process.stderr.write(`Run 'api-key-guard check --help' for the options.\n`);
      return 2;
    }
    throw error;
  }
  const { provider, params, baseUrl, checkId, timeoutMs, format } = invocation;
  // The engine masks what it says already; the CLI's own words about a check pass the same redactor.
  const redactText = createRedactor([key]);
  let result: CheckResult;
  try {
    result = await checkKey(
      { provider, key, params, ...(baseUrl === undefined ? {} : { baseUrl }), ...(checkId === undefined ? {} : { checkId }) },
      { timeoutMs, ...proxyFromEnvironment() },
    );
  } catch (error) {
    if (error instanceof CheckConfigurationError) {
      say(process.stderr, redactText(`api-key-guard check: ${error.message}`));
      return 2;
    }
    throw error;
  }
  if (format === 'json') {
    // JSON escapes control characters itself; the redactor runs over the message, not the encoded whole.
    process.stdout.write(`${JSON.stringify(toJson(provider, { ...result, message: redactText(result.message) }))}\n`);
  } else {
    for (const line of toText(provider, result)) {
      say(process.stdout, redactText(line));
    }
  }
  return result.outcome === 'ok' ? 0 : 1;
}

function readInvocation(argv: string[]): Invocation | 'help' {
  const { values } = parseOptions(argv);
  if (values.help) {
    return 'help';
  }
  if (values.key !== undefined) {
    throw new UsageError('--key is not accepted because process lists show command lines; use --key-env VAR or --key-stdin');
  }
  if (values['key-env'] !== undefined && values['key-stdin']) {
    throw new UsageError('use either --key-env or --key-stdin, not both');
  }
  const keySource = values['key-stdin'] ? 'stdin' : values['key-env'] !== undefined ? { env: values['key-env'] } : undefined;
  if (keySource === undefined) {
    throw new UsageError('the key is missing; pass --key-env VAR (an environment variable holding it) or --key-stdin');
  }
  if (values.provider === undefined) {
    throw new UsageError(`--provider is required (one of: ${knownIds(BUILT_IN_PROVIDERS)})`);
  }
  const provider = findRequestedProvider(values.provider, values['providers-file']);
  const params = readParams(values.param ?? []);
  const baseUrl = values['base-url'];
  const checkId = values.check;
  const target = resolveCheckTarget(provider, { params, ...(baseUrl === undefined ? {} : { baseUrl }), ...(checkId === undefined ? {} : { checkId }) });
  if (!target.ok) {
    throw new UsageError(target.problem);
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--format must be text or json${butNot(format)}`);
  }
  return {
    provider,
    params,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(checkId === undefined ? {} : { checkId }),
    timeoutMs: readTimeout(values['timeout-ms']),
    format,
    keySource,
  };
}

/** `, not 'value'` for a value that may be repeated, nothing for one that may be a key. */
function butNot(value: string): string {
  const quoted = quoteIfName(value);
  return quoted === undefined ? '' : `, not ${quoted}`;
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        provider: { type: 'string' },
        'base-url': { type: 'string' },
        check: { type: 'string' },
        param: { type: 'string', multiple: true },
        'key-env': { type: 'string' },
        'key-stdin': { type: 'boolean' },
        // Declared only to refuse it with a clear reason.
        key: { type: 'string' },
        'timeout-ms': { type: 'string' },
        format: { type: 'string' },
        'providers-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(describeParseError(error, 'check takes only options (the key is never read from the command line)'));
  }
}

function findRequestedProvider(id: string, providersFile: string | undefined): ProviderDefinition {
  const custom = providersFile === undefined ? [] : readCustomProviders(providersFile, id);
  const providers = [...BUILT_IN_PROVIDERS, ...custom];
  const provider = providers.find((candidate) => candidate.id === id);
  if (!provider) {
    throw new UsageError(`unknown provider ${quoteIfName(id) ?? 'given with --provider'} (known: ${knownIds(providers)})`);
  }
  return provider;
}

/** A broken definition of the requested provider is fatal; others are only reported. */
function readCustomProviders(file: string, requested: string): ProviderDefinition[] {
  try {
    return readProvidersFile(file, 'check', (definition) => definition.id === requested);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function readParams(pairs: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const separator = pair.indexOf('=');
    if (separator <= 0) {
      throw new UsageError(`--param expects name=value; one value has no name before '='`);
    }
    const name = pair.slice(0, separator);
    if (name in params) {
      throw new UsageError(`--param ${quoteIfName(name) ?? 'with one name'} is given twice`);
    }
    params[name] = pair.slice(separator + 1);
  }
  return params;
}

function readTimeout(text: string | undefined): number {
  if (text === undefined) {
    return DEFAULT_TIMEOUT_MS;
  }
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > MAX_TIMEOUT_MS) {
    throw new UsageError(`--timeout-ms must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}${butNot(text)}`);
  }
  return value;
}

async function readKey(source: Invocation['keySource']): Promise<string> {
  if (source !== 'stdin') {
    const value = process.env[source.env];
    if (value === undefined) {
      throw new UsageError(describeUnsetVariable(source.env));
    }
    return value;
  }
  if (process.stdin.isTTY) {
    throw new UsageError('--key-stdin needs the key piped in (e.g. printf %s "$KEY" | api-key-guard check …), not typed at a terminal');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * Why the variable `--key-env` names is not set, naming it only if it may be named: `--key-env "$KEY"`
 * puts the key where the name belongs. When the value given is another variable's value, that variable
 * is the one meant, and its name is safe to show.
 */
function describeUnsetVariable(name: string): string {
  const quoted = quoteIfName(name);
  if (quoted !== undefined) {
    return `environment variable ${quoted.slice(1, -1)} is not set`;
  }
  const holders =
    name.length >= MIN_VALUE_TO_TRACE ? Object.keys(process.env).filter((candidate) => process.env[candidate] === name && quoteIfName(candidate)) : [];
  if (holders.length === 1) {
    return `--key-env takes the name of a variable, and the value given is that of ${holders[0]}: use --key-env ${holders[0]}`;
  }
  return "the variable named by --key-env is not set (the name given is not shown: it does not look like a variable's name, and may be a key)";
}

/** Shorter values are too common ("1", "true") to say which variable holds them. */
const MIN_VALUE_TO_TRACE = 8;

function knownIds(providers: readonly ProviderDefinition[]): string {
  return providers.map((provider) => provider.id).join(', ');
}

function toJson(provider: ProviderDefinition, result: CheckResult) {
  const { rateLimit } = result;
  return {
    provider: provider.id,
    outcome: result.outcome,
    httpStatus: result.httpStatus ?? null,
    latencyMs: result.latencyMs,
    retryAfterSeconds: result.retryAfterSeconds ?? null,
    rateLimit: rateLimit ? { limit: rateLimit.limit ?? null, remaining: rateLimit.remaining, resetAt: rateLimit.resetAt ?? null } : null,
    plan: result.plan ?? null,
    message: result.message,
  };
}

/** The outcome line, then the headroom the provider reported, if any: "Rate limit: 87 of 100 requests left, resets 14:05; Standard plan (…)." */
function toText(provider: ProviderDefinition, result: CheckResult): string[] {
  const facts = [result.httpStatus === undefined ? undefined : `HTTP ${result.httpStatus}`, `${result.latencyMs} ms`];
  const lines = [`${result.outcome} (${facts.filter(Boolean).join(', ')}): ${result.message}`];
  const { rateLimit } = result;
  if (rateLimit) {
    const plan = describePlan(provider, rateLimit);
    lines.push(`Rate limit: ${describeHeadroom(rateLimit, Date.now())}${plan ? `; ${plan}` : ''}.`);
  }
  return lines;
}
