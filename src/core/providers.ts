/**
 * Providers as data. The built-in four are ordinary instances of `ProviderDefinition`;
 * custom providers from settings use the same shape.
 */

export type KeyPlacement =
  | { readonly in: 'header'; readonly name: string; readonly prefix?: string }
  | { readonly in: 'query'; readonly name: string };

export interface ProviderDefinition {
  readonly id: string;
  readonly displayName: string;
  readonly baseUrl: string;
  readonly auth: KeyPlacement;
  /** Environment variable names the provider's own documentation uses for the key. */
  readonly envVars: readonly string[];
  readonly docsUrl: string;
}

export const BUILT_IN_PROVIDERS: readonly ProviderDefinition[] = [
  {
    id: 'saleslayer',
    displayName: 'Sales Layer',
    baseUrl: 'https://api2.saleslayer.com',
    auth: { in: 'header', name: 'X-API-KEY' },
    envVars: ['SALESLAYER_API_KEY'],
    docsUrl: 'https://docs.saleslayer.com/authentication',
  },
  {
    id: 'uppzy',
    displayName: 'Uppzy M2M API',
    baseUrl: 'https://api.uppzy.com/api/v1',
    auth: { in: 'header', name: 'X-API-Key' },
    envVars: ['UPPZY_API_KEY'],
    docsUrl: 'https://docs.uppzy.com/m2m-api-keys',
  },
  {
    id: 'scaleflex',
    displayName: 'Scaleflex DAM',
    baseUrl: 'https://api.filerobot.com',
    auth: { in: 'header', name: 'X-Filerobot-Key' },
    envVars: ['SCALEFLEX_API_KEY'],
    docsUrl: 'https://docs.scaleflex.com/developers-headless/headless-dam/dam-apis/api-authentication',
  },
  {
    id: 'layerx402',
    displayName: 'Layerx402',
    baseUrl: 'https://api.layerx402.dev',
    auth: { in: 'header', name: 'Authorization', prefix: 'Bearer ' },
    envVars: ['TURNPIKE_API_KEY', 'LAYERX402_API_KEY'],
    docsUrl: 'https://docs.layerx402.dev/authentication',
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
