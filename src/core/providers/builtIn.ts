/** The providers API Key Guard knows, as ordinary data: the four seeds (see /work/shared/providers.md for the facts they rest on) and the catalogue. */
import { CATALOGUE_PROVIDERS } from './catalogue';
import type { ProviderDefinition } from './types';

/** The four providers the tree lists from the start; their rules are part of the scanner's. */
export const SEED_PROVIDERS: readonly ProviderDefinition[] = [
  {
    id: 'saleslayer',
    displayName: 'Sales Layer',
    baseUrl: 'https://api2.saleslayer.com',
    origins: ['https://api2.saleslayer.com'],
    auth: { in: 'header', name: 'X-API-KEY' },
    envVars: ['SALESLAYER_API_KEY'],
    docsUrl: 'https://docs.saleslayer.com/authentication',
    // Its authentication page: "Rotate the key if it may have been exposed", and keys come from Sales Layer support.
    rotationSteps:
      'Sales Layer issues keys through its support: ask support@saleslayer.com or your account representative for a new key to replace this one, then move your programs to it.',
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
    origins: ['https://api.uppzy.com'],
    auth: { in: 'header', name: 'X-API-Key' },
    envVars: ['UPPZY_API_KEY'],
    docsUrl: 'https://docs.uppzy.com/m2m-api-keys',
    // The rotation sequence of Uppzy's M2M API keys page.
    rotationSteps:
      "Uppzy's rotation: create a new key on the dashboard's API Access page, deploy it, run a connectivity check, confirm traffic uses it, then revoke this one.",
    parameters: [
      {
        name: 'tenantId',
        label: 'Tenant ID',
        description: 'The tenant the key belongs to (UPPZY_TENANT_ID in Uppzy samples).',
        pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$',
        example: 'tn_4821',
        formatHint: 'letters, digits, _ and -, starting with a letter or digit',
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
    origins: ['https://api.filerobot.com'],
    auth: { in: 'header', name: 'X-Filerobot-Key' },
    envVars: ['SCALEFLEX_API_KEY'],
    docsUrl: 'https://docs.scaleflex.com/developers-headless/headless-dam/dam-apis/api-authentication',
    // No rotationSteps: its authentication page says where keys are created, not how one is replaced, so a live key gets the generic steps.
    parameters: [
      {
        name: 'token',
        label: 'Project token',
        description: 'The short lowercase project token in DAM URLs, e.g. fusqadtm.',
        pattern: '^[a-z0-9][a-z0-9_-]{1,39}$',
        example: 'fusqadtm',
        formatHint: '2 to 40 lowercase letters, digits, _ and -',
      },
    ],
    check: { path: '/{token}/v5/files', query: { folder: '/', limit: '1' } },
    errorInSuccessBody: { field: 'status', value: 'error' },
    errorMessageFields: ['msg', 'hint', 'message'],
    retryAfterFields: [],
    // Its status codes per cause are not documented, and 403 also answers a wrong project token.
    inconclusiveOutcomes: ['forbidden'],
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
    origins: ['https://api.layerx402.dev', 'wss://layerx402.dev'],
    auth: { in: 'header', name: 'Authorization', prefix: 'Bearer ' },
    envVars: ['TURNPIKE_API_KEY', 'LAYERX402_API_KEY'],
    docsUrl: 'https://docs.layerx402.dev/authentication',
    // "Rotate Keys Regularly" on Layerx402's authentication page.
    rotationSteps: "Layerx402's rotation: generate a new key in the dashboard's API Keys section, update your application with it, then delete this one.",
    parameters: [
      {
        name: 'wallet',
        label: 'Wallet public key',
        description: 'A Solana wallet address (base58, 32 to 44 characters) whose portfolio the check reads.',
        pattern: '^[1-9A-HJ-NP-Za-km-z]{32,44}$',
        example: '7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU',
        formatHint: 'a base58 Solana address of 32 to 44 letters and digits, without 0, O, I or l',
      },
    ],
    check: { label: 'Portfolio', path: '/portfolio/{wallet}' },
    alternativeChecks: [
      {
        id: 'websocket',
        label: 'WebSocket API',
        path: '/api/data',
        websocket: {
          baseUrl: 'wss://layerx402.dev',
          message: { method: 'authenticate' },
          keyField: 'apiKey',
          replyTypeField: 'type',
          acceptedType: 'authenticated',
          planField: 'plan',
          // The documented codes; where they sit in an error message is not documented.
          errorCodeFields: ['code', 'error.code', 'error'],
          errorCodes: {
            AUTHENTICATION_FAILED: { outcome: 'unauthorized' },
            CONNECTION_LIMIT: {
              outcome: 'rate-limited',
              explanation:
                'the key already has as many WebSocket connections open as its plan allows (another program may be using it): close one, then check again',
            },
            RATE_LIMIT_EXCEEDED: { outcome: 'rate-limited' },
          },
        },
      },
    ],
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
    rateLimit: {
      plans: [
        { name: 'Standard', limit: 100, per: 'a minute', burst: 120 },
        { name: 'Premium', limit: 1000, per: 'a minute', burst: 1200 },
      ],
      otherPlan: 'Enterprise',
    },
  },
];

export const BUILT_IN_PROVIDERS: readonly ProviderDefinition[] = [...SEED_PROVIDERS, ...CATALOGUE_PROVIDERS];
