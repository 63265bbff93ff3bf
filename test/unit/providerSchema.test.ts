/**
 * The settings editor judges `apiKeyGuard.customProviders` by its JSON schema in package.json; the
 * extension by `parseProviderDefinitions`. They must agree, or the editor shows a definition as fine
 * that the extension then skips (or flags one that works).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseProviderDefinitions } from '../../src/core/providers/definitions';
import { SAMPLE_WEBSOCKET_CHECK } from '../fixtures/webSocketServer';

/** The part of JSON Schema the setting's schema uses, judged as VS Code's JSON language service does (patterns with the `u` flag). */
interface Schema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly propertyNames?: Schema;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
  readonly oneOf?: readonly Schema[];
}

/** Keywords that constrain a value, then those that only describe it to the settings editor. */
const KNOWN_KEYWORDS = new Set([
  ...['type', 'enum', 'pattern', 'minLength', 'minimum', 'maximum', 'minItems', 'maxItems', 'required', 'properties', 'additionalProperties', 'items', 'oneOf'],
  ...['minProperties', 'maxProperties', 'propertyNames'],
  ...['description', 'markdownDescription', 'default', 'scope'],
]);

function typeOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : Number.isInteger(value) ? 'integer' : typeof value;
}

function accepts(schema: Schema, value: unknown): boolean {
  const unsupported = Object.keys(schema).filter((keyword) => !KNOWN_KEYWORDS.has(keyword));
  assert.deepEqual(unsupported, [], 'the schema uses only keywords this check understands');
  if (schema.type !== undefined) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.includes(typeOf(value)) && !(types.includes('number') && typeOf(value) === 'integer')) return false;
  }
  if (schema.enum && !schema.enum.includes(value)) return false;
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return false;
    if (schema.minLength !== undefined && [...value].length < schema.minLength) return false;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return false;
    if (schema.maximum !== undefined && value > schema.maximum) return false;
  }
  if (Array.isArray(value) && schema.minItems !== undefined && value.length < schema.minItems) return false;
  if (Array.isArray(value) && schema.maxItems !== undefined && value.length > schema.maxItems) return false;
  if (schema.oneOf && schema.oneOf.filter((option) => accepts(option, value)).length !== 1) return false;
  if (Array.isArray(value) && schema.items) {
    return value.every((item) => accepts(schema.items!, item));
  }
  if (typeOf(value) === 'object') {
    const record = value as Record<string, unknown>;
    if ((schema.required ?? []).some((name) => !(name in record))) return false;
    const count = Object.keys(record).length;
    if (schema.minProperties !== undefined && count < schema.minProperties) return false;
    if (schema.maxProperties !== undefined && count > schema.maxProperties) return false;
    if (schema.propertyNames && !Object.keys(record).every((name) => accepts(schema.propertyNames!, name))) return false;
    return Object.entries(record).every(([name, item]) => {
      const property = schema.properties?.[name];
      if (property) return accepts(property, item);
      const additional = schema.additionalProperties;
      return additional === undefined || additional === true || (additional !== false && accepts(additional, item));
    });
  }
  return true;
}

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Schema> } };
};
const SETTING = manifest.contributes.configuration.properties['apiKeyGuard.customProviders']!;

/** A WebSocket check using every field, on an origin `VALID` declares. */
const VALID_WEBSOCKET = SAMPLE_WEBSOCKET_CHECK;

/** A definition using every field. */
const VALID = {
  id: 'acme',
  displayName: 'Acme Orders',
  baseUrl: 'https://api.acme.example/v1',
  origins: ['https://api.acme.example', 'wss://stream.acme.example'],
  auth: { in: 'header', name: 'X-Acme-Key', prefix: 'Bearer ' },
  headers: { 'acme-version': '2024-01-01' },
  envVars: ['ACME_API_KEY'],
  docsUrl: 'https://docs.acme.example/auth',
  parameters: [{ name: 'tenantId', label: 'Tenant', description: 'The tenant the key belongs to.', pattern: '^[a-z0-9-]+$' }],
  check: { path: '/tenants/{tenantId}/me', query: { limit: '1' }, label: 'Orders' },
  alternativeChecks: [
    { id: 'catalog', label: 'Catalog', path: '/catalog', query: { top: '1' }, explanations: { forbidden: 'ask for Catalog access' } },
    {
      id: 'stream',
      label: 'Stream',
      path: '/v1/stream',
      websocket: VALID_WEBSOCKET,
    },
  ],
  errorInSuccessBody: { field: 'status', value: 'error' },
  successBodyCodes: { field: 'error', outcomes: { invalid_auth: 'unauthorized' } },
  errorMessageFields: ['error.message'],
  retryAfterFields: ['retryAfter'],
  explanations: { unauthorized: 'paste the key again' },
  rateLimit: { exhaustedStatuses: [403], plans: [{ name: 'Standard', limit: 100, per: 'a minute', burst: 120 }], otherPlan: 'Enterprise' },
};

/** `VALID` with one field set (undefined removes it), by a dotted path. */
function withField(field: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(VALID) as Record<string, unknown>;
  // The origins must include the base URL's and the WebSocket check's, which no schema can check (see PARSER_ONLY): another
  // base URL goes without them, and other origins without the WebSocket check.
  if (field === 'baseUrl') delete copy.origins;
  if (field === 'baseUrl' || field === 'origins') copy.alternativeChecks = [VALID.alternativeChecks[0]];
  const parts = field.split('.');
  let parent = copy;
  for (const part of parts.slice(0, -1)) parent = parent[part] as Record<string, unknown>;
  if (value === undefined) delete parent[parts.at(-1)!];
  else parent[parts.at(-1)!] = value;
  return copy;
}

const parserAccepts = (definition: unknown) => parseProviderDefinitions([definition]).providers.length === 1;
const schemaAccepts = (definition: unknown) => accepts(SETTING, [definition]);

const CASES: ReadonlyArray<[field: string, value: unknown]> = [
  ['id', 'acme-orders'],
  ['id', 'a'],
  ['id', 'Acme'],
  ['id', '-acme'],
  ['id', 'x'.repeat(40)],
  ['id', 'x'.repeat(41)],
  ['id', 42],
  ['id', undefined],
  ['displayName', ''],
  ['displayName', '   '],
  ['displayName', undefined],
  ['baseUrl', 'https://api.acme.example'],
  ['baseUrl', 'https://api.acme.example:8443/v1/'],
  ['baseUrl', 'http://localhost:8080/v1'],
  ['baseUrl', 'http://127.0.0.1:9'],
  ['baseUrl', 'http://[::1]:3000'],
  ['baseUrl', 'http://api.acme.example'],
  ['baseUrl', 'https://user:pw@api.acme.example'],
  ['baseUrl', 'https://api.acme.example/v1?x=1'],
  ['baseUrl', 'https://api.acme.example/v1#part'],
  ['baseUrl', 'ftp://api.acme.example'],
  ['baseUrl', 'not a url'],
  ['baseUrl', undefined],
  ['origins', ['https://api.acme.example']],
  ['origins', ['wss://stream.acme.example', 'https://api.acme.example:8443', 'https://api.acme.example']],
  ['origins', ['https://api.acme.example', 'ws://localhost:8080', 'http://127.0.0.1:9']],
  ['origins', ['https://api.acme.example', 'ws://stream.acme.example']],
  ['origins', ['https://api.acme.example', 'http://api.acme.example']],
  ['origins', ['https://api.acme.example', 'https://api.acme.example/v1']],
  ['origins', ['https://api.acme.example', 'https://user@api.acme.example']],
  ['origins', ['https://api.acme.example', 'ftp://files.acme.example']],
  ['origins', 'https://api.acme.example'],
  ['origins', ['https://api.acme.example', ...Array.from({ length: 16 }, (_, index) => `https://r${index}.acme.example`)]],
  ['origins', undefined],
  ['auth', { in: 'query', name: 'api_key' }],
  ['auth', { in: 'header', name: 'X-Key' }],
  ['auth', { in: 'query', name: 'api_key', prefix: 'x' }],
  ['auth', { in: 'cookie', name: 'x' }],
  ['auth', { name: 'X-Key' }],
  ['auth', { in: 'header', name: 'X Key' }],
  ['auth', { in: 'header', name: 'X-Key', prefix: '' }],
  ['auth', { in: 'header', name: 'X-Key', prefix: 'x'.repeat(41) }],
  ['auth', { in: 'header', name: 'X-Key', prefx: 'Bearer ' }],
  ['auth', 'X-Key'],
  ['auth', undefined],
  ['auth', { in: 'basic', username: 'api' }],
  ['auth', { in: 'basic', username: '{tenantId}' }],
  ['auth', { in: 'basic', username: 'a:b' }],
  ['auth', { in: 'basic', username: '' }],
  ['auth', { in: 'basic', name: 'api' }],
  ['headers', { 'anthropic-version': '2023-06-01' }],
  ['headers', { 'x-version': '' }],
  ['headers', { 'x-version': 2 }],
  ['headers', 'x-version: 2'],
  ['envVars', ['A_B', '_C']],
  ['envVars', ['1BAD']],
  ['envVars', 'ACME_API_KEY'],
  ['docsUrl', 'https://docs.acme.example/a'],
  ['docsUrl', 'http://docs.acme.example'],
  ['docsUrl', 'https://'],
  ['docsUrl', undefined],
  ['parameters', [...VALID.parameters, { name: 'site_id', label: 'Site', description: 'The site.', pattern: '.+' }]],
  ['parameters', [{ name: '1x', label: 'L', description: 'D', pattern: '.' }]],
  ['parameters', [{ name: 'x', label: 'L', description: 'D' }]],
  ['parameters', [{ name: 'x', label: 'L', description: 'D', pattern: '' }]],
  ['parameters', [{ name: 'x', label: ' ', description: 'D', pattern: '.' }]],
  ['parameters', [{ name: 'tenantId', label: 'L', description: 'D', pattern: '.', example: 'y', formatHint: 'one character' }]],
  ['parameters', [{ name: 'tenantId', label: 'L', description: 'D', pattern: '.', formatHint: ' ' }]],
  ['parameters', [{ name: 'tenantId', label: 'L', description: 'D', pattern: '.', hint: 'y' }]],
  ['check', { path: '/me' }],
  ['check', { path: 'me' }],
  ['check', { path: '/me?x=1' }],
  ['check', { path: '/m e' }],
  ['check', { path: '/me', query: { a: 1 } }],
  ['check', { path: '/me', label: '' }],
  ['check', { path: '/me', method: 'POST' }],
  ['check', undefined],
  ['alternativeChecks', []],
  ['alternativeChecks', [{ id: 'default', label: 'L', path: '/x' }]],
  ['alternativeChecks', [{ id: 'Catalog', label: 'L', path: '/x' }]],
  ['alternativeChecks', [{ id: 'catalog', path: '/x' }]],
  ['alternativeChecks', [{ id: 'catalog', label: 'L', path: '/x', verb: 'GET' }]],
  ['alternativeChecks', [{ id: 'catalog', label: 'L', path: '/x', explanations: { teapot: 'x' } }]],
  ['alternativeChecks.1.websocket', undefined],
  ['alternativeChecks.1.websocket', 'wss://stream.acme.example'],
  ['alternativeChecks.1.websocket.baseUrl', 'wss://stream.acme.example/v1/'],
  ['alternativeChecks.1.websocket.baseUrl', 'ws://stream.acme.example'],
  ['alternativeChecks.1.websocket.baseUrl', 'https://stream.acme.example'],
  ['alternativeChecks.1.websocket.baseUrl', 'wss://user:pw@stream.acme.example'],
  ['alternativeChecks.1.websocket.baseUrl', 'wss://stream.acme.example?token=x'],
  ['alternativeChecks.1.websocket.baseUrl', undefined],
  ['alternativeChecks.1.websocket.message', {}],
  ['alternativeChecks.1.websocket.message', { action: 'auth', version: '2' }],
  ['alternativeChecks.1.websocket.message', { action: 2 }],
  ['alternativeChecks.1.websocket.message', { action: '' }],
  ['alternativeChecks.1.websocket.message', { 'a.b': 'x' }],
  ['alternativeChecks.1.websocket.message', { ['x'.repeat(65)]: 'x' }],
  ['alternativeChecks.1.websocket.message', Object.fromEntries(Array.from({ length: 9 }, (_, index) => [`f${index}`, 'v']))],
  ['alternativeChecks.1.websocket.message', 'auth'],
  ['alternativeChecks.1.websocket.message', undefined],
  ['alternativeChecks.1.websocket.keyField', 'api_key'],
  ['alternativeChecks.1.websocket.keyField', 'auth.token'],
  ['alternativeChecks.1.websocket.keyField', ''],
  ['alternativeChecks.1.websocket.keyField', undefined],
  ['alternativeChecks.1.websocket.replyTypeField', 'data.event'],
  ['alternativeChecks.1.websocket.replyTypeField', 'a..b'],
  ['alternativeChecks.1.websocket.replyTypeField', undefined],
  ['alternativeChecks.1.websocket.acceptedType', 'auth ok'],
  ['alternativeChecks.1.websocket.acceptedType', ''],
  ['alternativeChecks.1.websocket.acceptedType', true],
  ['alternativeChecks.1.websocket.planField', undefined],
  ['alternativeChecks.1.websocket.planField', 'plan name'],
  ['alternativeChecks.1.websocket.errorCodeFields', ['code', 'error.code', 'errors.0.code']],
  ['alternativeChecks.1.websocket.errorCodeFields', []],
  ['alternativeChecks.1.websocket.errorCodeFields', ['error code']],
  ['alternativeChecks.1.websocket.errorCodeFields', Array.from({ length: 9 }, (_, index) => `c${index}`)],
  ['alternativeChecks.1.websocket.errorCodeFields', 'code'],
  ['alternativeChecks.1.websocket.errorCodeFields', undefined],
  ['alternativeChecks.1.websocket.errorCodes', { 'auth.failed': { outcome: 'forbidden' } }],
  ['alternativeChecks.1.websocket.errorCodes', {}],
  ['alternativeChecks.1.websocket.errorCodes', { 'BAD TOKEN': { outcome: 'unauthorized' } }],
  ['alternativeChecks.1.websocket.errorCodes', { BAD_TOKEN: { outcome: 'teapot' } }],
  ['alternativeChecks.1.websocket.errorCodes', { BAD_TOKEN: 'unauthorized' }],
  ['alternativeChecks.1.websocket.errorCodes', { BAD_TOKEN: { explanation: 'x' } }],
  ['alternativeChecks.1.websocket.errorCodes', { BAD_TOKEN: { outcome: 'unauthorized', explanation: ' ' } }],
  ['alternativeChecks.1.websocket.errorCodes', { BAD_TOKEN: { outcome: 'unauthorized', status: 401 } }],
  ['alternativeChecks.1.websocket.errorCodes', Object.fromEntries(Array.from({ length: 33 }, (_, index) => [`E${index}`, { outcome: 'forbidden' }]))],
  ['alternativeChecks.1.websocket.errorCodes', undefined],
  ['alternativeChecks.1.websocket.retry', true],
  ['check.websocket', VALID_WEBSOCKET],
  [
    'check.websocket',
    {
      baseUrl: 'wss://stream.acme.example',
      message: {},
      keyField: 'k',
      replyTypeField: 't',
      acceptedType: 'ok',
      errorCodeFields: ['e'],
      errorCodes: { E: { outcome: 'forbidden' } },
    },
  ],
  ['errorInSuccessBody', { field: 'success', value: false }],
  ['errorInSuccessBody', { field: 'status', value: 1 }],
  ['errorInSuccessBody', { field: 'status' }],
  ['errorInSuccessBody', { field: 'status', value: 'error', also: 'x' }],
  ['errorInSuccessBody', { field: 'bad path!', value: 'x' }],
  ['errorInSuccessBody', { field: 'status', value: ['REQUEST_DENIED', 'UNKNOWN_ERROR'] }],
  ['errorInSuccessBody', { field: 'status', value: [1] }],
  ['successBodyCodes', { field: 'error', outcomes: { invalid_auth: 'unauthorized' } }],
  ['successBodyCodes', { field: 'error', outcomes: { invalid_auth: 'teapot' } }],
  ['successBodyCodes', { field: 'error' }],
  ['successBodyCodes', { field: 'error', outcomes: { x: 'forbidden' }, also: 1 }],
  ['errorMessageFields', ['a..b']],
  ['retryAfterFields', ['error.details.retryAfter']],
  ['explanations', { forbidden: 'ask the owner' }],
  ['explanations', { unauthorized: '' }],
  ['explanations', { teapot: 'x' }],
  ['rateLimit', {}],
  ['rateLimit', { exhaustedStatuses: [403, 429] }],
  ['rateLimit', { exhaustedStatuses: [200] }],
  ['rateLimit', { exhaustedStatuses: ['403'] }],
  ['rateLimit', { exhaustedStatuses: 403 }],
  ['rateLimit', { plans: [{ name: 'Pro', limit: 1000, per: 'an hour' }] }],
  ['rateLimit', { plans: [{ name: 'Pro', limit: 0, per: 'an hour' }] }],
  ['rateLimit', { plans: [{ name: 'Pro', limit: 1.5, per: 'an hour' }] }],
  ['rateLimit', { plans: [{ name: 'Pro', limit: 10, per: ' ' }] }],
  ['rateLimit', { plans: [{ name: 'Pro', limit: 10 }] }],
  ['rateLimit', { plans: [{ name: 'Pro', limit: 10, per: 'a day', burst: 0 }] }],
  ['rateLimit', { plans: [{ name: 'Pro', limit: 10, per: 'a day', tier: 2 }] }],
  ['rateLimit', { plans: Array.from({ length: 17 }, (_, index) => ({ name: `P${index}`, limit: index + 1, per: 'a day' })) }],
  ['rateLimit', { otherPlan: '' }],
  ['rateLimit', { window: 60 }],
  ['colour', 'red'],
];

/** What no JSON schema can say, so the parser alone refuses it (and says why). */
const PARSER_ONLY: ReadonlyArray<[why: string, definition: unknown]> = [
  ['a parameter pattern that is no regular expression', withField('parameters', [{ name: 'x', label: 'L', description: 'D', pattern: '(' }])],
  ['a parameter example its pattern refuses', withField('parameters', [{ name: 'tenantId', label: 'L', description: 'D', pattern: '^x+$', example: 'y' }])],
  ['a placeholder that names no parameter', withField('check', { path: '/tenants/{tenant}/me' })],
  ['two alternative checks with one id', withField('alternativeChecks', [VALID.alternativeChecks[0], VALID.alternativeChecks[0]])],
  ['the id of a built-in provider', withField('id', 'saleslayer')],
  ['the id of a catalogue provider', withField('id', 'github')],
  ['a Basic auth user name placeholder that names no parameter', withField('auth', { in: 'basic', username: '{account}' })],
  ['a fixed Authorization header', withField('headers', { Authorization: 'Bearer x' })],
  ['a fixed value for the header that carries the key', withField('headers', { 'x-acme-key': 'x' })],
  ['more than eight fixed headers', withField('headers', Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`x-h${i}`, 'v'])))],
  ['a fixed header name with a space', withField('headers', { 'x h': 'v' })],
  ['error codes with no outcome', withField('successBodyCodes', { field: 'error', outcomes: {} })],
  ["origins without the base URL's", withField('origins', ['https://other.acme.example'])],
  ['no origins at all', withField('origins', [])],
  ['an origin listed twice', withField('origins', ['https://api.acme.example', 'https://api.acme.example'])],
  ['an origin with its default port', withField('origins', ['https://api.acme.example', 'wss://stream.acme.example:443'])],
  ['an empty list of error values', withField('errorInSuccessBody', { field: 'status', value: [] })],
  ['a WebSocket URL on an origin not in origins', withField('alternativeChecks.1.websocket.baseUrl', 'wss://collector.example')],
  ['a loopback WebSocket URL not in origins', withField('check.websocket', { ...VALID_WEBSOCKET, baseUrl: 'ws://127.0.0.1:9000' })],
  ['a fixed value for the message field that carries the key', withField('alternativeChecks.1.websocket.message', { action: 'auth', token: 'x' })],
];

describe('the customProviders settings schema', () => {
  it('accepts the definitions the parser accepts, with every field', () => {
    assert.ok(parserAccepts(VALID), JSON.stringify(parseProviderDefinitions([VALID]).errors));
    assert.ok(schemaAccepts(VALID));
  });

  it("accepts the README's examples of custom provider definitions, the WebSocket check's among them", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Custom provider definitions'), readme.indexOf('\n## ', readme.indexOf('### Custom provider definitions')));
    const examples = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map(([, text]) => JSON.parse(text!) as unknown);
    const definitions = examples.flatMap((example) => (Array.isArray(example) ? example : [example]));
    assert.ok(definitions.some((definition) => JSON.stringify(definition).includes('"websocket"')));
    for (const definition of definitions) {
      assert.ok(parserAccepts(definition), JSON.stringify(parseProviderDefinitions([definition]).errors));
      assert.ok(schemaAccepts(definition));
    }
  });

  it('accepts and refuses each field value as the parser does', () => {
    const disagreements = CASES.filter(([field, value]) => {
      const definition = withField(field, value);
      return schemaAccepts(definition) !== parserAccepts(definition);
    }).map(([field, value]) => `${field} = ${JSON.stringify(value)}: schema ${schemaAccepts(withField(field, value))}`);
    assert.deepEqual(disagreements, []);
    assert.ok(
      CASES.some(([field, value]) => !parserAccepts(withField(field, value))) && CASES.some(([field, value]) => parserAccepts(withField(field, value))),
      'the cases hold values of both kinds',
    );
  });

  it('leaves to the parser only what a schema cannot express', () => {
    for (const [why, definition] of PARSER_ONLY) {
      assert.ok(schemaAccepts(definition), `the schema cannot see ${why}`);
      assert.ok(!parserAccepts(definition), `the parser refuses ${why}`);
    }
  });
});
