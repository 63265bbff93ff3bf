/**
 * Custom providers from JSON (settings or a `--providers-file`), read into the same shape as the
 * built-in ones. Every field is judged by fields.ts, which the Add Custom Provider prompts share.
 */
import { BUILT_IN_PROVIDERS } from './builtIn';
import {
  findBasicUsernameProblem,
  findCheckPathProblem,
  findDocsUrlProblem,
  findEnvironmentVariableProblem,
  findErrorCodeProblem,
  findFixedHeaderProblem,
  findFixedValueProblem,
  findIdProblem,
  findJsonFieldNameProblem,
  findJsonFieldProblem,
  findKeyNameProblem,
  findNameProblem,
  findOriginProblem,
  findSentenceProblem,
  findParameterNameProblem,
  findPrefixProblem,
  findProviderBaseUrlProblem,
  findProviderWebSocketUrlProblem,
} from './fields';
import {
  DEFAULT_CHECK_ID,
  type ErrorInSuccessBody,
  type ExplainedOutcome,
  type KeyPlacement,
  type NamedCheck,
  type ProviderCheck,
  type ProviderDefinition,
  type ProviderParameter,
  type RateLimitPlan,
  type RateLimitReading,
  type SuccessBodyCodes,
  type WebSocketExchange,
} from './types';

const MAX_FIXED_HEADERS = 8;
const MAX_ORIGINS = 16;
/** Bounds of a WebSocket check: its message stays small, and so do the lists the engine reads every reply with. */
const MAX_MESSAGE_FIELDS = 8;
const MAX_ERROR_CODE_FIELDS = 8;
const MAX_ERROR_CODES = 32;

export interface ProviderDefinitionError {
  /** Position in the input list. */
  readonly index: number;
  readonly id?: string;
  readonly field: string;
  readonly message: string;
}

/**
 * Custom providers from JSON (a list, or an object with a `providers` list). Invalid definitions are
 * skipped with an error naming the provider, the field and the problem; valid ones are kept. Never throws.
 */
export function parseProviderDefinitions(json: unknown): {
  providers: ProviderDefinition[];
  errors: ProviderDefinitionError[];
} {
  const list = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json.providers) ? json.providers : undefined;
  if (!list) {
    return {
      providers: [],
      errors: [{ index: -1, field: 'providers', message: 'expected a list of provider definitions' }],
    };
  }
  const providers: ProviderDefinition[] = [];
  const errors: ProviderDefinitionError[] = [];
  list.forEach((entry: unknown, index: number) => {
    const result = parseProviderDefinition(entry);
    const id = isRecord(entry) && typeof entry.id === 'string' ? entry.id : undefined;
    const problem =
      'problem' in result
        ? result.problem
        : BUILT_IN_PROVIDERS.some((provider) => provider.id === result.provider.id)
          ? { field: 'id', message: `'${result.provider.id}' is a built-in provider; choose another id` }
          : providers.some((provider) => provider.id === result.provider.id)
            ? { field: 'id', message: `'${result.provider.id}' is already defined by an earlier provider` }
            : undefined;
    if (problem) {
      errors.push({ index, ...(id === undefined ? {} : { id }), ...problem });
    } else if ('provider' in result) {
      providers.push(result.provider);
    }
  });
  return { providers, errors };
}

/** One line per error, for a log, a notification or stderr. */
export function describeDefinitionError(error: ProviderDefinitionError): string {
  const which = error.id === undefined ? `provider #${error.index + 1}` : `provider '${error.id}' (#${error.index + 1})`;
  return error.index < 0 ? `${error.field}: ${error.message}` : `${which}, field '${error.field}': ${error.message}`;
}

type FieldProblem = { field: string; message: string };
type Parsed = { provider: ProviderDefinition } | { problem: FieldProblem };

const KNOWN_FIELDS = [
  'id',
  'displayName',
  'baseUrl',
  'origins',
  'auth',
  'headers',
  'envVars',
  'docsUrl',
  'rotationSteps',
  'parameters',
  'check',
  'alternativeChecks',
  'errorInSuccessBody',
  'successBodyCodes',
  'errorMessageFields',
  'retryAfterFields',
  'inconclusiveOutcomes',
  'explanations',
  'rateLimit',
];
const EXPLAINED_OUTCOMES: readonly ExplainedOutcome[] = ['unauthorized', 'forbidden', 'not-found', 'bad-request', 'rate-limited'];
const CHECK_FIELDS = ['path', 'query', 'label', 'websocket'];
const NAMED_CHECK_FIELDS = ['id', 'label', 'path', 'query', 'websocket', 'explanations'];
const WEBSOCKET_FIELDS = ['baseUrl', 'message', 'keyField', 'replyTypeField', 'acceptedType', 'planField', 'errorCodeFields', 'errorCodes'];

class DefinitionProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function parseProviderDefinition(entry: unknown): Parsed {
  try {
    return { provider: readDefinition(entry) };
  } catch (error) {
    return error instanceof DefinitionProblem
      ? { problem: { field: error.field, message: error.message } }
      : { problem: { field: '(definition)', message: String(error) } };
  }
}

function readDefinition(entry: unknown): ProviderDefinition {
  const definition = readObject(entry, '(definition)', KNOWN_FIELDS);
  const parameters = readParameters(definition.parameters);
  // Fields are judged in the order people write them, so the first problem reported is the first in the file.
  const id = readString(definition, 'id', findIdProblem);
  const displayName = readString(definition, 'displayName', findNameProblem);
  const baseUrl = readString(definition, 'baseUrl', findProviderBaseUrlProblem);
  const origins = readOrigins(definition, baseUrl);
  const auth = readAuth(definition.auth, parameters);
  return {
    id,
    displayName,
    baseUrl,
    origins,
    auth,
    ...(definition.headers === undefined ? {} : { headers: readHeaders(definition.headers, auth) }),
    envVars: readStringList(definition, 'envVars', findEnvironmentVariableProblem),
    docsUrl: readString(definition, 'docsUrl', findDocsUrlProblem),
    ...(definition.rotationSteps === undefined ? {} : { rotationSteps: readString(definition, 'rotationSteps', findSentenceProblem) }),
    parameters,
    check: readCheck(definition.check, parameters, origins),
    ...(definition.alternativeChecks === undefined ? {} : { alternativeChecks: readAlternativeChecks(definition.alternativeChecks, parameters, origins) }),
    ...(definition.errorInSuccessBody === undefined ? {} : { errorInSuccessBody: readErrorInSuccessBody(definition.errorInSuccessBody) }),
    ...(definition.successBodyCodes === undefined ? {} : { successBodyCodes: readSuccessBodyCodes(definition.successBodyCodes) }),
    errorMessageFields: readStringList(definition, 'errorMessageFields', findJsonFieldProblem),
    retryAfterFields: readStringList(definition, 'retryAfterFields', findJsonFieldProblem),
    ...(definition.inconclusiveOutcomes === undefined ? {} : { inconclusiveOutcomes: readInconclusiveOutcomes(definition.inconclusiveOutcomes) }),
    explanations: readExplanations(definition.explanations),
    ...(definition.rateLimit === undefined ? {} : { rateLimit: readRateLimitReading(definition.rateLimit) }),
  };
}

/** An object with only the `known` fields: a misspelt field is refused, not silently ignored. */
function readObject(value: unknown, field: string, known: readonly string[]): Record<string, unknown> {
  if (!isRecord(value)) {
    throw new DefinitionProblem(field, value === undefined ? 'missing; expected an object' : 'expected an object');
  }
  const unknown = Object.keys(value).find((name) => !known.includes(name));
  if (unknown !== undefined) {
    throw new DefinitionProblem(field === '(definition)' ? unknown : `${field}.${unknown}`, `unknown field (known: ${known.join(', ')})`);
  }
  return value;
}

function readString(record: Record<string, unknown>, field: string, findProblem: (text: string) => string | undefined): string {
  const value = record[field];
  if (value === undefined) {
    throw new DefinitionProblem(field, `missing; ${findProblem('') ?? 'expected text'}`);
  }
  if (typeof value !== 'string') {
    throw new DefinitionProblem(field, `expected text, got ${JSON.stringify(value)}`);
  }
  const problem = findProblem(value);
  if (problem) {
    throw new DefinitionProblem(field, `${problem} (got ${JSON.stringify(value)})`);
  }
  return value;
}

function readStringList(record: Record<string, unknown>, field: string, findProblem: (text: string) => string | undefined): string[] {
  const value = record[field];
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new DefinitionProblem(field, `expected a list (got ${JSON.stringify(value)})`);
  }
  for (const item of value as unknown[]) {
    const problem = typeof item === 'string' ? findProblem(item) : 'expected text';
    if (problem) {
      throw new DefinitionProblem(field, `${problem} (got ${JSON.stringify(item)})`);
    }
  }
  return value as string[];
}

/** The origins a key may go to: the base URL's alone unless listed, and then the base URL's among them. */
function readOrigins(definition: Record<string, unknown>, baseUrl: string): string[] {
  const own = new URL(baseUrl).origin;
  if (definition.origins === undefined) {
    return [own];
  }
  const origins = readStringList(definition, 'origins', findOriginProblem);
  if (origins.length > MAX_ORIGINS) {
    throw new DefinitionProblem('origins', `at most ${MAX_ORIGINS} origins`);
  }
  const repeated = origins.find((origin, index) => origins.indexOf(origin) !== index);
  if (repeated !== undefined) {
    throw new DefinitionProblem('origins', `${repeated} is listed twice`);
  }
  if (!origins.includes(own)) {
    throw new DefinitionProblem('origins', `must include the base URL's origin ${own}, where the checks go (got ${JSON.stringify(origins)})`);
  }
  return origins;
}

/** Names a nested field by its full path, e.g. `parameters[0].pattern`. */
function within<T>(parent: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof DefinitionProblem ? new DefinitionProblem(`${parent}.${error.field}`, error.message) : error;
  }
}

function readAuth(value: unknown, parameters: readonly ProviderParameter[]): KeyPlacement {
  if (!isRecord(value)) {
    throw new DefinitionProblem('auth', 'missing; expected {"in": "header" | "query" | "basic", "name" | "username": …, "prefix"?: …}');
  }
  const known = value.in === 'query' ? ['in', 'name'] : value.in === 'basic' ? ['in', 'username'] : ['in', 'name', 'prefix'];
  const auth = readObject(value, 'auth', known);
  if (auth.in !== 'header' && auth.in !== 'query' && auth.in !== 'basic') {
    throw new DefinitionProblem('auth.in', `expected "header", "query" or "basic", got ${JSON.stringify(auth.in)}`);
  }
  if (auth.in === 'basic') {
    const username = within('auth', () => readString(auth, 'username', findBasicUsernameProblem));
    within('auth', () => checkPlaceholders(username, parameters, 'username'));
    return { in: 'basic', username };
  }
  const name = within('auth', () => readString(auth, 'name', findKeyNameProblem));
  if (auth.in === 'query') {
    return { in: 'query', name };
  }
  return auth.prefix === undefined
    ? { in: 'header', name }
    : { in: 'header', name, prefix: within('auth', () => readString(auth, 'prefix', findPrefixProblem)) };
}

/** Fixed headers: never the key's own header, `Authorization`, or one that changes where or how the request goes. */
function readHeaders(value: unknown, auth: KeyPlacement): Record<string, string> {
  if (!isRecord(value)) {
    throw new DefinitionProblem('headers', 'expected an object of header names to text values, e.g. {"anthropic-version": "2023-06-01"}');
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_FIXED_HEADERS) {
    throw new DefinitionProblem('headers', `at most ${MAX_FIXED_HEADERS} headers`);
  }
  for (const [name, text] of entries) {
    const problem = findFixedHeaderProblem(name, auth) ?? (typeof text === 'string' ? findFixedValueProblem(text) : 'expected text');
    if (problem) {
      throw new DefinitionProblem(`headers.${name}`, problem);
    }
  }
  return value as Record<string, string>;
}

/** `{name}` placeholders in `template` must be declared parameters. */
function checkPlaceholders(template: string, parameters: readonly ProviderParameter[], field: string): void {
  for (const [, name] of template.matchAll(/\{(\w+)\}/g)) {
    if (!parameters.some((parameter) => parameter.name === name)) {
      throw new DefinitionProblem(field, `placeholder {${name}} is not a declared parameter`);
    }
  }
}

function readParameters(value: unknown): ProviderParameter[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new DefinitionProblem('parameters', 'expected a list of {"name", "label", "description", "pattern", "example"?, "formatHint"?}');
  }
  return value.map((item: unknown, position) => {
    const field = `parameters[${position}]`;
    const parameter = readObject(item, field, ['name', 'label', 'description', 'pattern', 'example', 'formatHint']);
    const name = within(field, () => readString(parameter, 'name', findParameterNameProblem));
    const pattern = within(field, () => readString(parameter, 'pattern', (text) => (text === '' ? 'expected a regular expression' : undefined)));
    try {
      new RegExp(pattern);
    } catch (error) {
      throw new DefinitionProblem(`${field}.pattern`, `not a valid regular expression: ${(error as Error).message}`);
    }
    // The example is shown as the value to type: one the pattern refuses would mislead.
    const example =
      parameter.example === undefined
        ? undefined
        : within(field, () => readString(parameter, 'example', (text) => (new RegExp(pattern).test(text) ? undefined : `must match the pattern ${pattern}`)));
    const formatHint =
      parameter.formatHint === undefined
        ? undefined
        : within(field, () => readString(parameter, 'formatHint', (text) => (/\S/.test(text) ? undefined : 'describe the format in a few words')));
    return {
      name,
      label: within(field, () => readString(parameter, 'label', findNameProblem)),
      description: within(field, () => readString(parameter, 'description', (text) => (/\S/.test(text) ? undefined : 'enter a one-line description'))),
      pattern,
      ...(example === undefined ? {} : { example }),
      ...(formatHint === undefined ? {} : { formatHint }),
    };
  });
}

/** `field` is where the check sits: `check`, or `alternativeChecks[0]`; `known` its fields. */
function readCheck(value: unknown, parameters: readonly ProviderParameter[], origins: readonly string[], field = 'check', known = CHECK_FIELDS): ProviderCheck {
  if (!isRecord(value)) {
    throw new DefinitionProblem(field, 'missing; expected {"path": "/…", "query"?: {…}, "label"?: …, "websocket"?: {…}}');
  }
  const check = readObject(value, field, known);
  const path = within(field, () => readString(check, 'path', findCheckPathProblem));
  const query = check.query;
  if (query !== undefined && (!isRecord(query) || Object.values(query).some((item) => typeof item !== 'string'))) {
    throw new DefinitionProblem(`${field}.query`, 'expected an object of string values');
  }
  for (const template of [path, ...Object.values((query ?? {}) as Record<string, string>)]) {
    checkPlaceholders(template, parameters, field);
  }
  const label = check.label === undefined ? undefined : within(field, () => readString(check, 'label', findNameProblem));
  const websocket = check.websocket === undefined ? undefined : within(field, () => readWebSocketExchange(check.websocket, origins));
  return {
    path,
    ...(query === undefined ? {} : { query: query as Record<string, string> }),
    ...(label === undefined ? {} : { label }),
    ...(websocket === undefined ? {} : { websocket }),
  };
}

/**
 * A check over a WebSocket, as Layerx402's: its URL on a declared origin (wss://, plain ws:// only to this
 * machine), a small message of fixed fields beside the one the key goes in, and how the replies are read.
 */
function readWebSocketExchange(value: unknown, origins: readonly string[]): WebSocketExchange {
  const exchange = readObject(value, 'websocket', WEBSOCKET_FIELDS);
  const read = <T>(reader: () => T): T => within('websocket', reader);
  const baseUrl = read(() => readString(exchange, 'baseUrl', findProviderWebSocketUrlProblem));
  const origin = new URL(baseUrl).origin;
  if (!origins.includes(origin)) {
    throw new DefinitionProblem(
      'websocket.baseUrl',
      `its origin ${origin} is not in origins, the servers the provider's keys may go to (${origins.join(', ')}): add it there if it is a server of the provider`,
    );
  }
  const message = readMessage(exchange.message);
  const keyField = read(() => readString(exchange, 'keyField', findJsonFieldNameProblem));
  if (Object.hasOwn(message, keyField)) {
    throw new DefinitionProblem(`websocket.message.${keyField}`, `${keyField} carries the key (keyField), so it cannot have a fixed value`);
  }
  const planField = exchange.planField === undefined ? undefined : read(() => readString(exchange, 'planField', findJsonFieldProblem));
  const errorCodeFields = read(() => readStringList(exchange, 'errorCodeFields', findJsonFieldProblem));
  if (errorCodeFields.length === 0 || errorCodeFields.length > MAX_ERROR_CODE_FIELDS) {
    const missing = exchange.errorCodeFields === undefined ? 'missing; ' : '';
    throw new DefinitionProblem(
      'websocket.errorCodeFields',
      `${missing}expected 1 to ${MAX_ERROR_CODE_FIELDS} dotted paths to a refusal's code, e.g. ["code", "error.code"]`,
    );
  }
  return {
    baseUrl,
    message,
    keyField,
    replyTypeField: read(() => readString(exchange, 'replyTypeField', findJsonFieldProblem)),
    acceptedType: read(() => readString(exchange, 'acceptedType', findFixedValueProblem)),
    ...(planField === undefined ? {} : { planField }),
    errorCodeFields,
    errorCodes: readErrorCodes(exchange.errorCodes),
  };
}

/** The message's fixed, non-secret fields: text values, a few of them. */
function readMessage(value: unknown): Record<string, string> {
  if (!isRecord(value)) {
    throw new DefinitionProblem(
      'websocket.message',
      `${value === undefined ? 'missing; expected' : 'expected'} an object of at most ${MAX_MESSAGE_FIELDS} fixed text fields, e.g. {"method": "authenticate"}`,
    );
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_MESSAGE_FIELDS) {
    throw new DefinitionProblem('websocket.message', `at most ${MAX_MESSAGE_FIELDS} fields`);
  }
  for (const [name, text] of entries) {
    const problem = findJsonFieldNameProblem(name) ?? (typeof text === 'string' ? findFixedValueProblem(text) : 'expected text');
    if (problem) {
      throw new DefinitionProblem(`websocket.message.${name}`, problem);
    }
  }
  return value as Record<string, string>;
}

/** The documented refusal codes, each read as an outcome, with what it means where that outcome's explanation would not say. */
function readErrorCodes(value: unknown): WebSocketExchange['errorCodes'] {
  const expected = `expected an object of 1 to ${MAX_ERROR_CODES} codes, each {"outcome": ${EXPLAINED_OUTCOMES.join(' | ')}, "explanation"?: …}`;
  if (!isRecord(value) || Object.keys(value).length === 0 || Object.keys(value).length > MAX_ERROR_CODES) {
    throw new DefinitionProblem('websocket.errorCodes', `${value === undefined ? 'missing; ' : ''}${expected}`);
  }
  // Built with fromEntries, so a code such as __proto__ stays a code.
  return Object.fromEntries(
    Object.entries(value).map(([code, item]) => {
      const field = `websocket.errorCodes.${code}`;
      const problem = findErrorCodeProblem(code);
      if (problem) {
        throw new DefinitionProblem(field, problem);
      }
      const documented = readObject(item, field, ['outcome', 'explanation']);
      if (!(EXPLAINED_OUTCOMES as readonly unknown[]).includes(documented.outcome)) {
        throw new DefinitionProblem(`${field}.outcome`, `expected one of ${EXPLAINED_OUTCOMES.join(', ')}, got ${JSON.stringify(documented.outcome)}`);
      }
      const explanation = documented.explanation === undefined ? undefined : within(field, () => readString(documented, 'explanation', findSentenceProblem));
      return [code, { outcome: documented.outcome as ExplainedOutcome, ...(explanation === undefined ? {} : { explanation }) }];
    }),
  );
}

function readAlternativeChecks(value: unknown, parameters: readonly ProviderParameter[], origins: readonly string[]): NamedCheck[] {
  if (!Array.isArray(value)) {
    throw new DefinitionProblem('alternativeChecks', 'expected a list of {"id", "label", "path", "query"?, "websocket"?, "explanations"?}');
  }
  const ids = new Set<string>();
  return value.map((item: unknown, position) => {
    const field = `alternativeChecks[${position}]`;
    const check = readObject(item, field, NAMED_CHECK_FIELDS);
    const id = within(field, () => readString(check, 'id', findIdProblem));
    if (id === DEFAULT_CHECK_ID) {
      throw new DefinitionProblem(`${field}.id`, `'${DEFAULT_CHECK_ID}' names the provider's own check; choose another id`);
    }
    if (ids.has(id)) {
      throw new DefinitionProblem(`${field}.id`, `'${id}' is already used by an earlier alternative check`);
    }
    ids.add(id);
    const label = within(field, () => readString(check, 'label', findNameProblem));
    const explanations = check.explanations === undefined ? undefined : within(field, () => readExplanations(check.explanations));
    return { ...readCheck(check, parameters, origins, field, NAMED_CHECK_FIELDS), id, label, ...(explanations === undefined ? {} : { explanations }) };
  });
}

function readErrorInSuccessBody(value: unknown): ErrorInSuccessBody {
  const expected = 'expected {"field": "status", "value": "error" | false | ["error", …]}';
  const values = isRecord(value) ? value.value : undefined;
  const valid =
    typeof values === 'string' ||
    typeof values === 'boolean' ||
    (Array.isArray(values) && values.length > 0 && values.every((item: unknown) => typeof item === 'string'));
  if (!isRecord(value) || typeof value.field !== 'string' || !valid) {
    throw new DefinitionProblem('errorInSuccessBody', expected);
  }
  const body = readObject(value, 'errorInSuccessBody', ['field', 'value']);
  const field = within('errorInSuccessBody', () => readString(body, 'field', findJsonFieldProblem));
  return { field, value: values };
}

function readSuccessBodyCodes(value: unknown): SuccessBodyCodes {
  const body = readObject(value, 'successBodyCodes', ['field', 'outcomes']);
  const field = within('successBodyCodes', () => readString(body, 'field', findJsonFieldProblem));
  const outcomes = body.outcomes;
  if (!isRecord(outcomes) || Object.keys(outcomes).length === 0) {
    throw new DefinitionProblem('successBodyCodes.outcomes', `expected an object of codes to outcomes (${EXPLAINED_OUTCOMES.join(', ')})`);
  }
  for (const [code, outcome] of Object.entries(outcomes)) {
    if (!(EXPLAINED_OUTCOMES as readonly unknown[]).includes(outcome)) {
      throw new DefinitionProblem(`successBodyCodes.outcomes.${code}`, `expected one of ${EXPLAINED_OUTCOMES.join(', ')}, got ${JSON.stringify(outcome)}`);
    }
  }
  return { field, outcomes: outcomes as Record<string, ExplainedOutcome> };
}

const MAX_RATE_LIMIT_PLANS = 16;

function readRateLimitReading(value: unknown): RateLimitReading {
  const reading = readObject(value, 'rateLimit', ['exhaustedStatuses', 'plans', 'otherPlan']);
  const statuses = reading.exhaustedStatuses;
  if (statuses !== undefined && (!Array.isArray(statuses) || !statuses.every((status) => Number.isInteger(status) && status >= 400 && status <= 499))) {
    throw new DefinitionProblem('rateLimit.exhaustedStatuses', 'expected a list of HTTP statuses from 400 to 499, e.g. [403]');
  }
  const plans = reading.plans === undefined ? undefined : readRateLimitPlans(reading.plans);
  const otherPlan = reading.otherPlan === undefined ? undefined : within('rateLimit', () => readString(reading, 'otherPlan', findNameProblem));
  return {
    ...(statuses === undefined ? {} : { exhaustedStatuses: statuses as number[] }),
    ...(plans === undefined ? {} : { plans }),
    ...(otherPlan === undefined ? {} : { otherPlan }),
  };
}

function readRateLimitPlans(value: unknown): RateLimitPlan[] {
  if (!Array.isArray(value) || value.length > MAX_RATE_LIMIT_PLANS) {
    throw new DefinitionProblem('rateLimit.plans', `expected a list of at most ${MAX_RATE_LIMIT_PLANS} {"name", "limit", "per", "burst"?}`);
  }
  return value.map((item: unknown, position) => {
    const field = `rateLimit.plans[${position}]`;
    const plan = readObject(item, field, ['name', 'limit', 'per', 'burst']);
    const count = (name: 'limit' | 'burst'): number => {
      const number = plan[name];
      if (!Number.isSafeInteger(number) || (number as number) < 1) {
        throw new DefinitionProblem(`${field}.${name}`, `expected a whole number of requests above 0 (got ${JSON.stringify(number)})`);
      }
      return number as number;
    };
    return {
      name: within(field, () => readString(plan, 'name', findNameProblem)),
      limit: count('limit'),
      per: within(field, () => readString(plan, 'per', (text) => (/\S/.test(text) ? undefined : 'enter the period the limit counts, e.g. "a minute"'))),
      ...(plan.burst === undefined ? {} : { burst: count('burst') }),
    };
  });
}

function readExplanations(value: unknown): Partial<Record<ExplainedOutcome, string>> {
  if (value === undefined) {
    return {};
  }
  if (!isRecord(value)) {
    throw new DefinitionProblem('explanations', `expected an object with keys ${EXPLAINED_OUTCOMES.join(', ')}`);
  }
  const explanations: Partial<Record<ExplainedOutcome, string>> = {};
  for (const [outcome, text] of Object.entries(value)) {
    if (!(EXPLAINED_OUTCOMES as readonly string[]).includes(outcome)) {
      throw new DefinitionProblem(`explanations.${outcome}`, `unknown outcome (known: ${EXPLAINED_OUTCOMES.join(', ')})`);
    }
    if (typeof text !== 'string' || !/\S/.test(text)) {
      throw new DefinitionProblem(`explanations.${outcome}`, 'expected a non-empty sentence');
    }
    explanations[outcome as ExplainedOutcome] = text;
  }
  return explanations;
}

const INCONCLUSIVE_OUTCOMES = ['unauthorized', 'forbidden'] as const;

function readInconclusiveOutcomes(value: unknown): (typeof INCONCLUSIVE_OUTCOMES)[number][] {
  const known: readonly unknown[] = INCONCLUSIVE_OUTCOMES;
  if (!Array.isArray(value) || !value.every((outcome) => known.includes(outcome))) {
    throw new DefinitionProblem('inconclusiveOutcomes', `expected a list of ${INCONCLUSIVE_OUTCOMES.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return value as (typeof INCONCLUSIVE_OUTCOMES)[number][];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
