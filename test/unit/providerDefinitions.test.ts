import * as assert from 'node:assert/strict';
import { BUILT_IN_PROVIDERS } from '../../src/core/providers/builtIn';
import { resolveCheckTarget } from '../../src/core/providers/checkTarget';
import { describeDefinitionError, parseProviderDefinitions } from '../../src/core/providers/definitions';
import { SAMPLE_WEBSOCKET_CHECK } from '../fixtures/webSocketServer';

const acme = {
  id: 'acme',
  displayName: 'Acme API',
  baseUrl: 'https://api.acme.example',
  auth: { in: 'header', name: 'Authorization', prefix: 'Token ' },
  envVars: ['ACME_API_KEY'],
  docsUrl: 'https://docs.acme.example/auth',
  parameters: [{ name: 'projectId', label: 'Project', description: 'The project id.', pattern: '^[a-z0-9]+$' }],
  check: { path: '/v2/projects/{projectId}', query: { limit: '1' } },
};

describe('parseProviderDefinitions', () => {
  it('accepts the built-in providers as custom data (same shape, WebSocket checks too), once renamed', () => {
    const copies = JSON.parse(JSON.stringify(BUILT_IN_PROVIDERS.map((provider) => ({ ...provider, id: `${provider.id}-copy` }))));
    const { providers, errors } = parseProviderDefinitions(copies);
    assert.deepEqual(errors, []);
    assert.deepEqual(providers, copies);
    const layerx402 = providers.find((provider) => provider.id === 'layerx402-copy')!;
    assert.deepEqual(
      layerx402.alternativeChecks?.[0]?.websocket,
      BUILT_IN_PROVIDERS.find((provider) => provider.id === 'layerx402')!.alternativeChecks?.[0]?.websocket,
    );
  });

  it('accepts a header provider and a query-parameter provider, in a list or under "providers"', () => {
    const query = { ...acme, id: 'acme-query', auth: { in: 'query', name: 'api_key' } };
    const { providers, errors } = parseProviderDefinitions({ providers: [acme, query] });
    assert.deepEqual(errors, []);
    assert.deepEqual(
      providers.map((provider) => provider.auth),
      [acme.auth, { in: 'query', name: 'api_key' }],
    );
    assert.deepEqual(providers[0]!.errorMessageFields, []);
  });

  it('skips invalid definitions with errors naming provider, field and problem, and keeps the valid ones', () => {
    const input = [
      acme,
      { ...acme, id: 'saleslayer' },
      { ...acme, id: 'acme' },
      { ...acme, id: 'no-base', baseUrl: undefined },
      { ...acme, id: 'plain', baseUrl: 'http://api.acme.example' },
      { ...acme, id: 'bad-auth', auth: { in: 'cookie', name: 'k' } },
      { ...acme, id: 'bad-pattern', parameters: [{ ...acme.parameters[0], pattern: '([' }] },
      { ...acme, id: 'bad-placeholder', check: { path: '/v2/{project}' } },
      { ...acme, id: 'typo', baseURL: 'https://x.example' },
      { ...acme, id: 'bad-plan', rateLimit: { plans: [{ name: 'Pro', limit: -5, per: 'a minute' }] } },
      'not an object',
      { ...acme, id: 'acme-two' },
    ];
    const { providers, errors } = parseProviderDefinitions(input);
    assert.deepEqual(
      providers.map((provider) => provider.id),
      ['acme', 'acme-two'],
    );
    assert.deepEqual(
      errors.map((error) => [error.index, error.id, error.field]),
      [
        [1, 'saleslayer', 'id'],
        [2, 'acme', 'id'],
        [3, 'no-base', 'baseUrl'],
        [4, 'plain', 'baseUrl'],
        [5, 'bad-auth', 'auth.in'],
        [6, 'bad-pattern', 'parameters[0].pattern'],
        [7, 'bad-placeholder', 'check'],
        [8, 'typo', 'baseURL'],
        [9, 'bad-plan', 'rateLimit.plans[0].limit'],
        [10, undefined, '(definition)'],
      ],
    );
    assert.match(describeDefinitionError(errors[0]!), /^provider 'saleslayer' \(#2\), field 'id': .*built-in/);
    assert.match(errors[3]!.message, /only allowed to this machine/);
    assert.match(errors[5]!.message, /not a valid regular expression/);
    assert.match(errors[8]!.message, /a whole number of requests above 0 \(got -5\)/);
  });

  it('accepts named alternative checks beside the default check, which stays as it was', () => {
    const catalog = {
      id: 'catalog',
      label: 'Catalog',
      path: '/v2/projects/{projectId}/items',
      query: { top: '1' },
      explanations: { forbidden: 'ask for Catalog access' },
    };
    const { providers, errors } = parseProviderDefinitions([{ ...acme, check: { ...acme.check, label: 'Projects' }, alternativeChecks: [catalog] }]);
    assert.deepEqual(errors, []);
    assert.deepEqual(providers[0]!.check, { ...acme.check, label: 'Projects' });
    assert.deepEqual(providers[0]!.alternativeChecks, [catalog]);
  });

  it('names the alternative check, field and problem for each invalid alternative', () => {
    const catalog = { id: 'catalog', label: 'Catalog', path: '/items' };
    const alternatives: unknown[] = [
      'not a list',
      [catalog, { ...catalog, label: 'Again' }],
      [{ ...catalog, id: 'default' }],
      [{ ...catalog, id: 'Catalog API' }],
      [{ ...catalog, label: ' ' }],
      [{ ...catalog, path: 'items' }],
      [{ ...catalog, path: '/items?top=1' }],
      [{ ...catalog, path: '/{catalogId}/items' }],
      [{ ...catalog, query: { top: 1 } }],
      [{ ...catalog, explanations: { unknown: 'x' } }],
      [{ ...catalog, explanation: { forbidden: 'x' } }],
    ];
    const { providers, errors } = parseProviderDefinitions(
      alternatives.map((alternativeChecks, index) => ({ ...acme, id: `acme-${index}`, alternativeChecks })),
    );
    assert.deepEqual(providers, []);
    assert.deepEqual(
      errors.map((error) => [error.id, error.field]),
      [
        ['acme-0', 'alternativeChecks'],
        ['acme-1', 'alternativeChecks[1].id'],
        ['acme-2', 'alternativeChecks[0].id'],
        ['acme-3', 'alternativeChecks[0].id'],
        ['acme-4', 'alternativeChecks[0].label'],
        ['acme-5', 'alternativeChecks[0].path'],
        ['acme-6', 'alternativeChecks[0].path'],
        ['acme-7', 'alternativeChecks[0]'],
        ['acme-8', 'alternativeChecks[0].query'],
        ['acme-9', 'alternativeChecks[0].explanations.unknown'],
        ['acme-10', 'alternativeChecks[0].explanation'],
      ],
    );
    assert.match(describeDefinitionError(errors[1]!), /^provider 'acme-1' \(#2\), field 'alternativeChecks\[1\]\.id': 'catalog' is already used/);
    assert.match(errors[2]!.message, /'default' names the provider's own check/);
    assert.match(errors[7]!.message, /placeholder \{catalogId\} is not a declared parameter/);
  });

  describe('WebSocket checks', () => {
    const stream = SAMPLE_WEBSOCKET_CHECK;
    const origins = ['https://api.acme.example', 'wss://stream.acme.example', 'ws://127.0.0.1:8080'];
    const named = (websocket: unknown) => ({ ...acme, origins, alternativeChecks: [{ id: 'stream', label: 'Stream', path: '/v1/stream', websocket }] });

    it('reads one in the default check and among the alternatives, plain ws:// to this machine included, as written', () => {
      const local = { ...stream, baseUrl: 'ws://127.0.0.1:8080' };
      const definitions = [named(stream), { ...acme, id: 'acme-local', origins, check: { path: '/v1/stream', websocket: local } }];
      const { providers, errors } = parseProviderDefinitions(definitions);
      assert.deepEqual(errors, []);
      assert.deepEqual(providers[0]!.alternativeChecks![0]!.websocket, stream);
      assert.deepEqual(providers[1]!.check.websocket, local);
      const target = resolveCheckTarget(providers[1]!);
      assert.equal(target.ok ? target.url.href : target.problem, 'ws://127.0.0.1:8080/v1/stream', 'a WebSocket check asks no parameter it does not use');
    });

    it('keeps a code named like an Object property a code', () => {
      const definition = JSON.parse(JSON.stringify(named(stream)).replace('"TOO_MANY"', '"__proto__"')) as unknown;
      const { providers, errors } = parseProviderDefinitions([definition]);
      assert.deepEqual(errors, []);
      const codes = providers[0]!.alternativeChecks![0]!.websocket!.errorCodes;
      assert.ok(Object.hasOwn(codes, '__proto__'));
      assert.equal(Object.getPrototypeOf(codes), Object.prototype);
    });

    it('names the field and the problem of each broken WebSocket check, and keeps the other providers', () => {
      const broken: ReadonlyArray<[unknown, string, RegExp]> = [
        [{ ...stream, baseUrl: 'ws://stream.acme.example' }, 'baseUrl', /^use wss:\/\/: over plain ws:\/\/ the key would cross the network/],
        [{ ...stream, baseUrl: 'https://stream.acme.example' }, 'baseUrl', /the WebSocket URL must start with wss:\/\//],
        [{ ...stream, baseUrl: 'wss://stream.acme.example/?key=x' }, 'baseUrl', /must not contain a query or fragment/],
        [
          { ...stream, baseUrl: 'wss://collector.example' },
          'baseUrl',
          /^its origin wss:\/\/collector\.example is not in origins, the servers the provider's keys may go to \(https:\/\/api\.acme\.example, wss:/,
        ],
        [{ ...stream, baseUrl: 'ws://localhost:9000' }, 'baseUrl', /its origin ws:\/\/localhost:9000 is not in origins/],
        [{ ...stream, baseUrl: undefined }, 'baseUrl', /^missing/],
        [{ ...stream, message: undefined }, 'message', /^missing; expected an object of at most 8 fixed text fields/],
        [{ ...stream, message: { token: 'fixed' } }, 'message.token', /token carries the key \(keyField\), so it cannot have a fixed value/],
        [{ ...stream, message: { action: 1 } }, 'message.action', /expected text/],
        [{ ...stream, message: { action: 'x'.repeat(201) } }, 'message.action', /1 to 200 printable characters/],
        [{ ...stream, message: { 'auth.action': 'x' } }, 'message.auth.action', /without dots/],
        [{ ...stream, message: Object.fromEntries(Array.from({ length: 9 }, (_, index) => [`f${index}`, 'v'])) }, 'message', /at most 8 fields/],
        [{ ...stream, keyField: 'auth.token' }, 'keyField', /JSON field name such as apiKey/],
        [{ ...stream, replyTypeField: 'a..b' }, 'replyTypeField', /dotted JSON field paths/],
        [{ ...stream, acceptedType: '' }, 'acceptedType', /1 to 200 printable characters/],
        [{ ...stream, planField: 'account tier' }, 'planField', /dotted JSON field paths/],
        [{ ...stream, errorCodeFields: [] }, 'errorCodeFields', /expected 1 to 8 dotted paths/],
        [{ ...stream, errorCodeFields: undefined }, 'errorCodeFields', /^missing; expected 1 to 8/],
        [{ ...stream, errorCodes: {} }, 'errorCodes', /expected an object of 1 to 32 codes/],
        [{ ...stream, errorCodes: { 'AUTH REJECTED': { outcome: 'unauthorized' } } }, 'errorCodes.AUTH REJECTED', /without spaces/],
        [{ ...stream, errorCodes: { AUTH_REJECTED: { outcome: 'ok' } } }, 'errorCodes.AUTH_REJECTED.outcome', /expected one of unauthorized, forbidden/],
        [{ ...stream, errorCodes: { AUTH_REJECTED: 'unauthorized' } }, 'errorCodes.AUTH_REJECTED', /expected an object/],
        [
          { ...stream, errorCodes: { AUTH_REJECTED: { outcome: 'unauthorized', explanation: ' ' } } },
          'errorCodes.AUTH_REJECTED.explanation',
          /at least one sentence/,
        ],
        [{ ...stream, errorCodes: { AUTH_REJECTED: { outcome: 'unauthorized', status: 401 } } }, 'errorCodes.AUTH_REJECTED.status', /unknown field/],
        [{ ...stream, method: 'authenticate' }, 'method', /unknown field \(known: baseUrl, message, keyField/],
        ['wss://stream.acme.example', '', /expected an object/],
      ];
      const { providers, errors } = parseProviderDefinitions([...broken.map(([websocket], index) => ({ ...named(websocket), id: `acme-${index}` })), acme]);
      assert.deepEqual(
        providers.map((provider) => provider.id),
        ['acme'],
      );
      assert.deepEqual(
        errors.map((error) => error.field),
        broken.map(([, field]) => `alternativeChecks[0].websocket${field === '' ? '' : `.${field}`}`),
      );
      broken.forEach(([, , pattern], index) => assert.match(errors[index]!.message, pattern, errors[index]!.field));
      const inDefault = parseProviderDefinitions([{ ...acme, origins, check: { path: '/v1/stream', websocket: { ...stream, keyField: undefined } } }]).errors;
      assert.deepEqual(
        inDefault.map((error) => error.field),
        ['check.websocket.keyField'],
      );
      assert.match(describeDefinitionError(inDefault[0]!), /^provider 'acme' \(#1\), field 'check\.websocket\.keyField': missing; use a JSON field name/);
    });
  });

  it("declares the base URL's origin alone unless origins are listed, and refuses broken origins naming the problem", () => {
    const listed = ['https://api.acme.example', 'https://api.eu.acme.example', 'wss://stream.acme.example'];
    const { providers } = parseProviderDefinitions([acme, { ...acme, id: 'acme-eu', origins: listed }]);
    assert.deepEqual(
      providers.map((provider) => provider.origins),
      [['https://api.acme.example'], listed],
    );
    const broken: ReadonlyArray<[unknown, RegExp]> = [
      ['https://api.acme.example', /expected a list/],
      [['https://other.acme.example'], /must include the base URL's origin https:\/\/api\.acme\.example/],
      [[], /must include the base URL's origin/],
      [['https://api.acme.example', 'https://api.acme.example'], /listed twice/],
      [['https://api.acme.example', 'ws://stream.acme.example'], /use wss:\/\/: plain ws:\/\/ is only allowed to this machine/],
      [['https://api.acme.example', 'https://api.acme.example/v2'], /origin alone.*: https:\/\/api\.acme\.example \(got/],
      [['https://api.acme.example', 'wss://stream.acme.example:443'], /default port: wss:\/\/stream\.acme\.example \(got/],
      [['https://api.acme.example', 'ftp://files.acme.example'], /starts with https:\/\/ or wss:\/\//],
      [['https://api.acme.example', 42], /expected text/],
      [['https://api.acme.example', ...Array.from({ length: 16 }, (_, index) => `https://r${index}.acme.example`)], /at most 16/],
    ];
    const { errors } = parseProviderDefinitions(broken.map(([origins], index) => ({ ...acme, id: `acme-${index}`, origins })));
    assert.deepEqual(
      errors.map((error) => error.field),
      broken.map(() => 'origins'),
    );
    broken.forEach(([, pattern], index) => assert.match(errors[index]!.message, pattern));
  });

  it('never throws on nonsense', () => {
    for (const input of [null, 42, 'x', {}, { providers: 'x' }, [null], [[]]]) {
      assert.doesNotThrow(() => parseProviderDefinitions(input));
    }
    assert.equal(parseProviderDefinitions(null).errors[0]!.field, 'providers');
  });
});

describe('resolveCheckTarget', () => {
  const find = (id: string) => BUILT_IN_PROVIDERS.find((provider) => provider.id === id)!;

  it('builds each documented check request', () => {
    const urls = [
      resolveCheckTarget(find('saleslayer')),
      resolveCheckTarget(find('uppzy'), { params: { tenantId: 'tenant-42' } }),
      resolveCheckTarget(find('scaleflex'), { params: { token: 'fusqadtm' } }),
      resolveCheckTarget(find('layerx402'), { params: { wallet: '7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU' } }),
    ].map((target) => (target.ok ? target.url.href : target.problem));
    assert.deepEqual(urls, [
      'https://api2.saleslayer.com/dam/image?$top=1',
      'https://api.uppzy.com/api/v1/m2m/tenants/tenant-42/limits',
      'https://api.filerobot.com/fusqadtm/v5/files?folder=/&limit=1',
      'https://api.layerx402.dev/portfolio/7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU',
    ]);
  });

  it('sends a key only to an origin its provider declares, or to this machine', () => {
    const problemOf = (id: string, baseUrl: string, params: Record<string, string> = {}) => {
      const target = resolveCheckTarget(find(id), { baseUrl, params });
      return target.ok ? undefined : target.problem;
    };
    assert.equal(problemOf('mailgun', 'https://api.eu.mailgun.net'), undefined, 'a declared regional host');
    assert.equal(problemOf('uppzy', 'https://api.uppzy.com/api/v2', { tenantId: 't1' }), undefined, 'another path on its own origin');
    for (const local of ['http://127.0.0.1:8080', 'https://localhost:8443/v1', 'http://[::1]:3000']) {
      assert.equal(problemOf('uppzy', local, { tenantId: 't1' }), undefined, local);
    }
    // Plain http:// to its own host is the engine's to refuse, as insecure-url.
    assert.equal(problemOf('uppzy', 'http://api.uppzy.com/api/v1', { tenantId: 't1' }), undefined);
    assert.equal(
      problemOf('uppzy', 'https://collector.example/api/v1', { tenantId: 't1' }),
      'the key would go to collector.example, which is not a server of Uppzy M2M API: its keys go only to https://api.uppzy.com (or this machine); to check a key against another server, define a custom provider that declares it in its origins',
    );
    assert.match(
      problemOf('uppzy', 'https://api.uppzy.com:8443/api/v1', { tenantId: 't1' })!,
      /^the key would go to api\.uppzy\.com:8443, which is not a server/,
      'another port is another origin',
    );
    assert.match(problemOf('mailgun', 'https://api.mailgun.net.collector.example')!, /not a server of Mailgun/);
    assert.match(
      problemOf('layerx402', 'https://layerx402.dev', { wallet: '7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU' })!,
      /not a server/,
      'its WebSocket origin is not its REST one',
    );
  });

  it('builds the request of an alternative check, on the same base URL, and names the known checks for an unknown id', () => {
    const catalog = resolveCheckTarget(find('saleslayer'), { checkId: 'catalog', baseUrl: 'https://api2.saleslayer.com/eu/' });
    assert.ok(catalog.ok);
    assert.equal(catalog.url.href, 'https://api2.saleslayer.com/eu/catalog/rest/Catalog/Products?$top=1&$select=prod_ref');
    const byDefault = resolveCheckTarget(find('saleslayer'), { checkId: 'default' });
    assert.ok(byDefault.ok);
    assert.equal(byDefault.url.href, 'https://api2.saleslayer.com/dam/image?$top=1');
    const unknown = resolveCheckTarget(find('saleslayer'), { checkId: 'products' });
    assert.equal(unknown.ok ? '' : unknown.problem, "Sales Layer has no check 'products' (known: default, catalog)");
    const noAlternatives = resolveCheckTarget(find('uppzy'), { checkId: 'catalog', params: { tenantId: 't1' } });
    assert.equal(noAlternatives.ok ? '' : noAlternatives.problem, "Uppzy M2M API has no check 'catalog' (known: default)");
  });

  it('keeps a base URL path and overrides the host', () => {
    const target = resolveCheckTarget(find('uppzy'), { baseUrl: 'https://localhost:8443/api/v1/', params: { tenantId: 't1' } });
    assert.ok(target.ok);
    assert.equal(target.url.href, 'https://localhost:8443/api/v1/m2m/tenants/t1/limits');
  });

  it('names missing, malformed and unknown parameters', () => {
    const problem = (target: ReturnType<typeof resolveCheckTarget>) => (target.ok ? '' : target.problem);
    assert.match(problem(resolveCheckTarget(find('scaleflex'))), /Project token \(token\) is required/);
    assert.match(problem(resolveCheckTarget(find('layerx402'), { params: { wallet: 'not-base58!' } })), /unexpected format/);
    assert.match(problem(resolveCheckTarget(find('saleslayer'), { params: { token: 'x' } })), /no parameter 'token'/);
    assert.match(problem(resolveCheckTarget(find('saleslayer'), { baseUrl: 'ftp://x' })), /must start with https/);
  });

  it("explains a refused parameter by its example and format in words, a custom provider's too, and refuses an example its pattern refuses", () => {
    const problem = (target: ReturnType<typeof resolveCheckTarget>) => (target.ok ? '' : target.problem);
    assert.equal(
      problem(resolveCheckTarget(find('uppzy'), { params: { tenantId: 'tn 4821' } })),
      'Tenant ID (tenantId) has an unexpected format: expected a tenant id such as tn_4821: letters, digits, _ and -, starting with a letter or digit',
    );
    const described = { ...acme.parameters[0], label: 'Acme project', example: 'p42', formatHint: 'lowercase letters and digits' };
    const { providers, errors } = parseProviderDefinitions([{ ...acme, parameters: [described] }]);
    assert.deepEqual(errors, []);
    assert.equal(
      problem(resolveCheckTarget(providers[0]!, { params: { projectId: 'P-42' } })),
      'Acme project (projectId) has an unexpected format: expected an acme project such as p42: lowercase letters and digits',
    );
    assert.match(problem(resolveCheckTarget(parseProviderDefinitions([acme]).providers[0]!, { params: { projectId: 'P' } })), /format: The project id\.$/);
    const wrong = parseProviderDefinitions([{ ...acme, parameters: [{ ...described, example: 'P-42' }] }]).errors;
    assert.deepEqual(
      wrong.map((error) => `${error.field}: ${error.message}`),
      ['parameters[0].example: must match the pattern ^[a-z0-9]+$ (got "P-42")'],
    );
  });
});
