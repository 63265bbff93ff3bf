/**
 * Providers as data. The built-in four are ordinary instances of `ProviderDefinition`;
 * custom providers from settings or a JSON file use the same shape and go through
 * `parseProviderDefinitions`.
 */
import { quoteIfName } from './redaction';

export type KeyPlacement = { readonly in: 'header'; readonly name: string; readonly prefix?: string } | { readonly in: 'query'; readonly name: string };

/** An identifier the check needs besides the key (a tenant, a project token, a wallet). */
export interface ProviderParameter {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  /** Regular expression source the whole value must match. */
  readonly pattern: string;
}

/** The low-risk read that proves a key works: a GET relative to the base URL. */
export interface ProviderCheck {
  /** Path appended to the base URL; `{name}` is replaced by the parameter's URL-encoded value. */
  readonly path: string;
  /** Query parameters; values may use `{name}` placeholders too. */
  readonly query?: Readonly<Record<string, string>>;
  /** What the check reads, in the provider's words ("DAM"); shown where a key chooses among checks. */
  readonly label?: string;
}

/** The id a key's check has when it uses the provider's own `check`. */
export const DEFAULT_CHECK_ID = 'default';

/**
 * A check a key can choose by id: one of the provider's alternatives, for keys its default check cannot
 * prove (a Sales Layer key allowed only the Catalog API gets 403 from the DAM), or the default itself.
 */
export interface NamedCheck extends ProviderCheck {
  /** Stored with the key and given to `api-key-guard check --check`. */
  readonly id: string;
  readonly label: string;
  /** Where this check's outcomes mean something else than the provider's explanations say. */
  readonly explanations?: Readonly<Partial<Record<ExplainedOutcome, string>>>;
}

/** A 2xx answer whose JSON body has this value at this field is a failure (Scaleflex `"status":"error"`). */
export interface ErrorInSuccessBody {
  readonly field: string;
  readonly value: string | boolean;
}

/** Outcomes whose explanation depends on the provider. */
export type ExplainedOutcome = 'unauthorized' | 'forbidden' | 'not-found' | 'bad-request' | 'rate-limited';

export interface ProviderDefinition {
  readonly id: string;
  readonly displayName: string;
  readonly baseUrl: string;
  readonly auth: KeyPlacement;
  /** Environment variable names the provider's own documentation uses for the key. */
  readonly envVars: readonly string[];
  readonly docsUrl: string;
  readonly parameters: readonly ProviderParameter[];
  /** The default check. */
  readonly check: ProviderCheck;
  /** Checks a key may use instead of `check`. */
  readonly alternativeChecks?: readonly NamedCheck[];
  readonly errorInSuccessBody?: ErrorInSuccessBody;
  /** Dotted paths into a JSON error body, tried in order, for the server's own words. */
  readonly errorMessageFields: readonly string[];
  /** Dotted paths into a JSON 429 body holding seconds to wait. */
  readonly retryAfterFields: readonly string[];
  /** What the outcome means for this provider and what to do, as the end of a sentence. */
  readonly explanations: Readonly<Partial<Record<ExplainedOutcome, string>>>;
}

export const BUILT_IN_PROVIDERS: readonly ProviderDefinition[] = [
  {
    id: 'saleslayer',
    displayName: 'Sales Layer',
    baseUrl: 'https://api2.saleslayer.com',
    auth: { in: 'header', name: 'X-API-KEY' },
    envVars: ['SALESLAYER_API_KEY'],
    docsUrl: 'https://docs.saleslayer.com/authentication',
    parameters: [],
    check: { label: 'DAM', path: '/dam/image', query: { $top: '1' } },
    alternativeChecks: [
      {
        id: 'catalog',
        label: 'Catalog API',
        path: '/catalog/rest/Catalog/Products',
        query: { $top: '1', $select: 'prod_ref' },
        explanations: {
          forbidden: 'the key is valid but this account may not use the Catalog API: ask Sales Layer support to enable it',
          'not-found': 'the Catalog is not part of this account, or the base URL is wrong: check the base URL',
          'bad-request': 'the Catalog API refused the request: check the base URL, and if it persists ask Sales Layer support',
        },
      },
    ],
    errorMessageFields: ['detail', 'title', 'message', 'error'],
    retryAfterFields: [],
    explanations: {
      unauthorized: 'the key is missing, wrong, revoked, replaced or belongs to another account: paste it again or ask Sales Layer support for a new one',
      forbidden:
        'the key is valid but may not use the DAM API: if this is a Catalog-only key, choose the Catalog API check in Edit Key Details (or pass --check catalog); otherwise ask Sales Layer support to enable the DAM',
      'not-found': 'the DAM is not part of this account, or the base URL is wrong: check the base URL',
      'bad-request': 'the Sales Layer DAM answers 400 for an invalid key too: paste the key again, and if it persists ask Sales Layer support',
      'rate-limited': 'Sales Layer allows 50 requests per 10 seconds: wait a few seconds and check again',
    },
  },
  {
    id: 'uppzy',
    displayName: 'Uppzy M2M API',
    baseUrl: 'https://api.uppzy.com/api/v1',
    auth: { in: 'header', name: 'X-API-Key' },
    envVars: ['UPPZY_API_KEY'],
    docsUrl: 'https://docs.uppzy.com/m2m-api-keys',
    parameters: [
      {
        name: 'tenantId',
        label: 'Tenant ID',
        description: 'The tenant the key belongs to (UPPZY_TENANT_ID in Uppzy samples).',
        pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$',
      },
    ],
    check: { path: '/m2m/tenants/{tenantId}/limits' },
    errorMessageFields: ['error', 'message'],
    retryAfterFields: [],
    explanations: {
      unauthorized: 'the key is missing, wrong, expired or revoked: check its expiry date on the API Access page, or create a new key there',
      forbidden: 'the key is valid but the plan or the key owner role does not allow M2M API access: check the plan on the dashboard',
      'not-found': 'the tenant ID is wrong or outside the key scope: check the tenant ID',
      'bad-request': 'a parameter is wrong: check the tenant ID',
      'rate-limited': 'Uppzy throttles bursts: wait and retry with backoff',
    },
  },
  {
    id: 'scaleflex',
    displayName: 'Scaleflex DAM',
    baseUrl: 'https://api.filerobot.com',
    auth: { in: 'header', name: 'X-Filerobot-Key' },
    envVars: ['SCALEFLEX_API_KEY'],
    docsUrl: 'https://docs.scaleflex.com/developers-headless/headless-dam/dam-apis/api-authentication',
    parameters: [
      {
        name: 'token',
        label: 'Project token',
        description: 'The short lowercase project token in DAM URLs, e.g. fusqadtm.',
        pattern: '^[a-z0-9][a-z0-9_-]{1,39}$',
      },
    ],
    check: { path: '/{token}/v5/files', query: { folder: '/', limit: '1' } },
    errorInSuccessBody: { field: 'status', value: 'error' },
    errorMessageFields: ['msg', 'hint', 'message'],
    retryAfterFields: [],
    explanations: {
      unauthorized: 'the key is wrong or deactivated: check it under Settings > Project > Access > API keys, or create a new one there',
      forbidden: 'the key lacks a permission (listing files needs OBJECTS_LIST) or the project token is wrong: check the key permissions and the token',
      'not-found': 'the project token is wrong or the folder does not exist: check the token',
      'bad-request': 'a parameter is wrong: check the project token',
      'rate-limited': 'wait a minute and check again',
    },
  },
  {
    id: 'layerx402',
    displayName: 'Layerx402',
    baseUrl: 'https://api.layerx402.dev',
    auth: { in: 'header', name: 'Authorization', prefix: 'Bearer ' },
    envVars: ['TURNPIKE_API_KEY', 'LAYERX402_API_KEY'],
    docsUrl: 'https://docs.layerx402.dev/authentication',
    parameters: [
      {
        name: 'wallet',
        label: 'Wallet public key',
        description: 'A Solana wallet address (base58, 32 to 44 characters) whose portfolio the check reads.',
        pattern: '^[1-9A-HJ-NP-Za-km-z]{32,44}$',
      },
    ],
    check: { path: '/portfolio/{wallet}' },
    errorInSuccessBody: { field: 'success', value: false },
    errorMessageFields: ['error.message', 'error.code', 'message', 'error'],
    retryAfterFields: ['retryAfter', 'error.retryAfter', 'error.details.retryAfter'],
    explanations: {
      unauthorized: 'the key is missing, wrong or revoked: generate a new key in the API Keys section of the dashboard',
      forbidden: 'the key is valid but the plan does not include this endpoint: check the plan on the dashboard',
      'not-found': 'the wallet or endpoint was not found: check the wallet address and the base URL',
      'bad-request': 'the key was accepted but the wallet address is not a valid Solana public key: check the wallet',
      'rate-limited': 'Layerx402 allows 100 requests a minute on Standard and 1,000 on Premium: wait and check again',
    },
  },
];

/** How the key travels, in the words a tree row or a help text uses: "X-API-KEY header", "Bearer token". */
export function describeAuth(auth: KeyPlacement): string {
  if (auth.in === 'query') {
    return `query parameter ${auth.name}`;
  }
  if (auth.name.toLowerCase() === 'authorization' && auth.prefix?.trim().toLowerCase() === 'bearer') {
    return 'Bearer token';
  }
  return `${auth.name} header`;
}

/** Every check a key of the provider may use, the default first. */
export function listChecks(provider: ProviderDefinition): NamedCheck[] {
  return [{ ...provider.check, id: DEFAULT_CHECK_ID, label: provider.check.label ?? 'Default check' }, ...(provider.alternativeChecks ?? [])];
}

/** The request a check sends, as a picker or tooltip names it: "GET /dam/image". */
export function describeCheckRequest(check: ProviderCheck): string {
  return `GET ${check.path}`;
}

/** A check's name for the user: "DAM (default)", "Catalog API". */
export function checkLabel(check: NamedCheck): string {
  return check.id === DEFAULT_CHECK_ID ? `${check.label} (default)` : check.label;
}

/** The check a key uses, in a detail list or tooltip: "Catalog API — GET /catalog/rest/Catalog/Products". */
export function describeKeyCheck(provider: ProviderDefinition, checkId: string = DEFAULT_CHECK_ID): string {
  const check = listChecks(provider).find((candidate) => candidate.id === checkId);
  return check ? `${checkLabel(check)} — ${describeCheckRequest(check)}` : `'${checkId}', which ${provider.displayName} no longer defines`;
}

/**
 * The provider as one of its checks sees it: that check's request, and its explanations over the
 * provider's. Undefined when the provider has no check with this id.
 */
export function withCheck(provider: ProviderDefinition, checkId: string = DEFAULT_CHECK_ID): ProviderDefinition | undefined {
  if (checkId === DEFAULT_CHECK_ID) {
    return provider;
  }
  const chosen = provider.alternativeChecks?.find((check) => check.id === checkId);
  return chosen && { ...provider, check: chosen, explanations: { ...provider.explanations, ...chosen.explanations } };
}

export function findProvider(id: string, providers: readonly ProviderDefinition[]): ProviderDefinition | undefined {
  return providers.find((provider) => provider.id === id);
}

/** Plain HTTP is only acceptable to the machine itself (local test servers, tunnels). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function findParameterProblem(parameter: ProviderParameter, value: string | undefined): string | undefined {
  if (value === undefined || value === '') {
    return `${parameter.label} (${parameter.name}) is required: ${parameter.description}`;
  }
  // Dot segments would be collapsed by URL parsing and move the check to another path.
  if (value === '.' || value === '..' || !new RegExp(parameter.pattern).test(value)) {
    return `${parameter.label} (${parameter.name}) has an unexpected format: ${parameter.description}`;
  }
  return undefined;
}

export type CheckTarget =
  /** `provider` is the provider as the chosen check sees it (see `withCheck`), to read the answer with. */
  { readonly ok: true; readonly url: URL; readonly provider: ProviderDefinition } | { readonly ok: false; readonly problem: string };

/**
 * The URL of the provider's check (its default, or the one `checkId` names) for a base URL and
 * parameters, or the configuration problem that prevents building it. Whether the URL is safe to send
 * a key to is the engine's decision.
 */
export function resolveCheckTarget(
  provider: ProviderDefinition,
  target: { readonly baseUrl?: string; readonly params?: Readonly<Record<string, string>>; readonly checkId?: string } = {},
): CheckTarget {
  const checked = withCheck(provider, target.checkId);
  if (!checked) {
    const known = listChecks(provider)
      .map((check) => check.id)
      .join(', ');
    return { ok: false, problem: `${provider.displayName} has no check ${quoteIfName(target.checkId ?? '') ?? 'by the id given'} (known: ${known})` };
  }
  const params = target.params ?? {};
  for (const name of Object.keys(params)) {
    if (!provider.parameters.some((parameter) => parameter.name === name)) {
      const known = provider.parameters.map((parameter) => parameter.name).join(', ') || 'none';
      return { ok: false, problem: `${provider.displayName} has no parameter ${quoteIfName(name) ?? 'by the name given'} (known: ${known})` };
    }
  }
  for (const parameter of provider.parameters) {
    const problem = findParameterProblem(parameter, params[parameter.name]);
    if (problem) {
      return { ok: false, problem };
    }
  }
  const baseText = target.baseUrl ?? provider.baseUrl;
  const baseProblem = findBaseUrlProblem(baseText);
  if (baseProblem) {
    return { ok: false, problem: baseProblem };
  }
  const fill = (template: string, encode: (value: string) => string): string =>
    template.replace(/\{(\w+)\}/g, (_match, name: string) => encode(params[name] ?? ''));
  const url = new URL(baseText);
  url.pathname = url.pathname.replace(/\/+$/, '') + fill(checked.check.path, encodeURIComponent);
  const query = Object.entries(checked.check.query ?? {}).map(([name, value]) => `${encodeQueryPart(name)}=${encodeQueryPart(fill(value, (raw) => raw))}`);
  url.search = query.join('&');
  return { ok: true, url, provider: checked };
}

// `$top` and `folder=/` are sent literally, as in the providers' own examples.
function encodeQueryPart(text: string): string {
  return encodeURIComponent(text).replace(/%(24|2F|3A|40|2C)/gi, (match) => decodeURIComponent(match));
}

/** Names the base URL by its host at most: its path, query or credentials may hold a key typed in the wrong place. */
function findBaseUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'the base URL is not a valid URL (expected https://host/path)';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return 'the base URL must start with https://';
  }
  if (url.username || url.password) {
    return `the base URL for ${url.host} must not contain a user name or password`;
  }
  if (url.search || url.hash) {
    return `the base URL for ${url.host} must not contain a query or fragment`;
  }
  return undefined;
}

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
        : findProvider(result.provider.id, BUILT_IN_PROVIDERS)
          ? { field: 'id', message: `'${result.provider.id}' is a built-in provider; choose another id` }
          : findProvider(result.provider.id, providers)
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
  'auth',
  'envVars',
  'docsUrl',
  'parameters',
  'check',
  'alternativeChecks',
  'errorInSuccessBody',
  'errorMessageFields',
  'retryAfterFields',
  'explanations',
];
const EXPLAINED_OUTCOMES: readonly ExplainedOutcome[] = ['unauthorized', 'forbidden', 'not-found', 'bad-request', 'rate-limited'];
const NAMED_CHECK_FIELDS = ['id', 'label', 'path', 'query', 'explanations'];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

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
  if (!isRecord(entry)) {
    throw new DefinitionProblem('(definition)', 'expected an object');
  }
  const unknown = Object.keys(entry).find((field) => !KNOWN_FIELDS.includes(field));
  if (unknown !== undefined) {
    throw new DefinitionProblem(unknown, `unknown field (known: ${KNOWN_FIELDS.join(', ')})`);
  }
  const id = readString(entry, 'id', /^[a-z0-9][a-z0-9-]{1,39}$/, 'lowercase letters, digits and dashes, 2 to 40 characters');
  const displayName = readString(entry, 'displayName', /\S/, 'a non-empty name');
  const baseUrl = readString(entry, 'baseUrl', /^https?:\/\//, 'an https:// URL');
  const baseProblem = findBaseUrlProblem(baseUrl);
  if (baseProblem) {
    throw new DefinitionProblem('baseUrl', baseProblem);
  }
  const base = new URL(baseUrl);
  if (base.protocol === 'http:' && !isLoopbackHost(base.hostname)) {
    throw new DefinitionProblem('baseUrl', 'plain http:// is only allowed to this machine (localhost); use https://');
  }
  const docsUrl = readString(entry, 'docsUrl', /^https:\/\/\S+$/, 'an https:// link to the provider documentation');
  const parameters = readParameters(entry.parameters);
  return {
    id,
    displayName,
    baseUrl,
    auth: readAuth(entry.auth),
    envVars: readStringList(entry, 'envVars', /^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable names'),
    docsUrl,
    parameters,
    check: readCheck(entry.check, parameters),
    ...(entry.alternativeChecks === undefined ? {} : { alternativeChecks: readAlternativeChecks(entry.alternativeChecks, parameters) }),
    ...(entry.errorInSuccessBody === undefined ? {} : { errorInSuccessBody: readErrorInSuccessBody(entry.errorInSuccessBody) }),
    errorMessageFields: readStringList(entry, 'errorMessageFields', /^[\w$-]+(\.[\w$-]+)*$/, 'dotted JSON field paths'),
    retryAfterFields: readStringList(entry, 'retryAfterFields', /^[\w$-]+(\.[\w$-]+)*$/, 'dotted JSON field paths'),
    explanations: readExplanations(entry.explanations),
  };
}

function readString(record: Record<string, unknown>, field: string, pattern: RegExp, expected: string): string {
  const value = record[field];
  if (value === undefined) {
    throw new DefinitionProblem(field, `missing; expected ${expected}`);
  }
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new DefinitionProblem(field, `expected ${expected}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function readStringList(record: Record<string, unknown>, field: string, pattern: RegExp, expected: string): string[] {
  const value = record[field];
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || !pattern.test(item))) {
    throw new DefinitionProblem(field, `expected a list of ${expected}`);
  }
  return value as string[];
}

/** Names a nested field by its full path, e.g. `parameters[0].pattern`. */
function within<T>(parent: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof DefinitionProblem ? new DefinitionProblem(`${parent}.${error.field}`, error.message) : error;
  }
}

function readAuth(value: unknown): KeyPlacement {
  if (!isRecord(value)) {
    throw new DefinitionProblem('auth', 'missing; expected {"in": "header" | "query", "name": …, "prefix"?: …}');
  }
  const name = within('auth', () => readString(value, 'name', HEADER_NAME, 'a header or query parameter name'));
  if (value.in === 'query') {
    if (value.prefix !== undefined) {
      throw new DefinitionProblem('auth.prefix', 'a prefix is only possible for a header');
    }
    return { in: 'query', name };
  }
  if (value.in !== 'header') {
    throw new DefinitionProblem('auth.in', `expected "header" or "query", got ${JSON.stringify(value.in)}`);
  }
  if (value.prefix === undefined) {
    return { in: 'header', name };
  }
  if (typeof value.prefix !== 'string' || !/^[\x20-\x7e]{1,40}$/.test(value.prefix)) {
    throw new DefinitionProblem('auth.prefix', 'expected printable text such as "Bearer "');
  }
  return { in: 'header', name, prefix: value.prefix };
}

function readParameters(value: unknown): ProviderParameter[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new DefinitionProblem('parameters', 'expected a list of {"name", "label", "description", "pattern"}');
  }
  return value.map((item: unknown, position) => {
    const field = `parameters[${position}]`;
    if (!isRecord(item)) {
      throw new DefinitionProblem(field, 'expected an object');
    }
    const name = within(field, () => readString(item, 'name', /^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'an identifier such as projectId'));
    const pattern = within(field, () => readString(item, 'pattern', /./, 'a regular expression'));
    try {
      new RegExp(pattern);
    } catch (error) {
      throw new DefinitionProblem(`${field}.pattern`, `not a valid regular expression: ${(error as Error).message}`);
    }
    return {
      name,
      label: within(field, () => readString(item, 'label', /\S/, 'a short label')),
      description: within(field, () => readString(item, 'description', /\S/, 'a one-line description')),
      pattern,
    };
  });
}

/** `field` is where the check sits: `check`, or `alternativeChecks[0]`. */
function readCheck(value: unknown, parameters: readonly ProviderParameter[], field = 'check'): ProviderCheck {
  if (!isRecord(value)) {
    throw new DefinitionProblem(field, 'missing; expected {"path": "/…", "query"?: {…}, "label"?: …}');
  }
  const path = within(field, () => readString(value, 'path', /^\/[^?#\s]*$/, 'a path starting with / (no query; use "query")'));
  const query = value.query;
  if (query !== undefined && (!isRecord(query) || Object.values(query).some((item) => typeof item !== 'string'))) {
    throw new DefinitionProblem(`${field}.query`, 'expected an object of string values');
  }
  const templates = [path, ...Object.values((query ?? {}) as Record<string, string>)];
  for (const template of templates) {
    for (const [, name] of template.matchAll(/\{(\w+)\}/g)) {
      if (!parameters.some((parameter) => parameter.name === name)) {
        throw new DefinitionProblem(field, `placeholder {${name}} is not a declared parameter`);
      }
    }
  }
  const label = value.label === undefined ? undefined : within(field, () => readString(value, 'label', /\S/, 'a short name such as "DAM"'));
  return { path, ...(query === undefined ? {} : { query: query as Record<string, string> }), ...(label === undefined ? {} : { label }) };
}

function readAlternativeChecks(value: unknown, parameters: readonly ProviderParameter[]): NamedCheck[] {
  if (!Array.isArray(value)) {
    throw new DefinitionProblem('alternativeChecks', 'expected a list of {"id", "label", "path", "query"?, "explanations"?}');
  }
  const ids = new Set<string>();
  return value.map((item: unknown, position) => {
    const field = `alternativeChecks[${position}]`;
    if (!isRecord(item)) {
      throw new DefinitionProblem(field, 'expected an object');
    }
    const unknown = Object.keys(item).find((name) => !NAMED_CHECK_FIELDS.includes(name));
    if (unknown !== undefined) {
      throw new DefinitionProblem(`${field}.${unknown}`, `unknown field (known: ${NAMED_CHECK_FIELDS.join(', ')})`);
    }
    const id = within(field, () => readString(item, 'id', /^[a-z0-9][a-z0-9-]{1,39}$/, 'lowercase letters, digits and dashes, 2 to 40 characters'));
    if (id === DEFAULT_CHECK_ID) {
      throw new DefinitionProblem(`${field}.id`, `'${DEFAULT_CHECK_ID}' names the provider's own check; choose another id`);
    }
    if (ids.has(id)) {
      throw new DefinitionProblem(`${field}.id`, `'${id}' is already used by an earlier alternative check`);
    }
    ids.add(id);
    const label = within(field, () => readString(item, 'label', /\S/, 'a short name such as "Catalog API"'));
    const explanations = item.explanations === undefined ? undefined : within(field, () => readExplanations(item.explanations));
    return { ...readCheck(item, parameters, field), id, label, ...(explanations === undefined ? {} : { explanations }) };
  });
}

function readErrorInSuccessBody(value: unknown): ErrorInSuccessBody {
  if (!isRecord(value) || typeof value.field !== 'string' || (typeof value.value !== 'string' && typeof value.value !== 'boolean')) {
    throw new DefinitionProblem('errorInSuccessBody', 'expected {"field": "status", "value": "error" | false}');
  }
  return { field: value.field, value: value.value };
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
