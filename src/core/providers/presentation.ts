/** A provider and its checks in the words a tree row, a picker, a tooltip or a help text uses. */
import { DEFAULT_CHECK_ID, type KeyPlacement, type NamedCheck, type ProviderCheck, type ProviderDefinition } from './types';

/** How the key travels, in the words a tree row or a help text uses: "X-API-KEY header", "Bearer token". */
export function describeAuth(auth: KeyPlacement): string {
  if (auth.in === 'query') {
    return `query parameter ${auth.name}`;
  }
  if (auth.in === 'basic') {
    return `Basic auth as ${auth.username.replace(/\{(\w+)\}/g, '<$1>')}`;
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

/** The request a check sends, as a picker or tooltip names it: "GET /dam/image", "WebSocket wss://layerx402.dev/api/data". */
export function describeCheckRequest(check: ProviderCheck): string {
  return check.websocket ? `WebSocket ${check.websocket.baseUrl}${check.path}` : `GET ${check.path}`;
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
