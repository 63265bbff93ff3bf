/** The request a check sends: the URL of a provider's check for a key's base URL, parameters and chosen check. */
import { quoteIfName } from '../redaction';
import { findBaseUrlProblem, findWebSocketUrlProblem, isLoopbackHost } from './fields';
import { listChecks } from './presentation';
import { DEFAULT_CHECK_ID, type ProviderCheck, type ProviderDefinition, type ProviderParameter } from './types';

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

/** The check a key uses: the one `checkId` names, or the provider's default (also when the provider no longer has that one). */
export function checkOf(provider: ProviderDefinition, checkId: string | undefined): ProviderCheck {
  return withCheck(provider, checkId)?.check ?? provider.check;
}

/** Where a check goes when the key has no base URL of its own: a WebSocket check's URL, else the provider's base URL. */
export function defaultBaseUrl(provider: ProviderDefinition, check: ProviderCheck = provider.check): string {
  return check.websocket?.baseUrl ?? provider.baseUrl;
}

/** The parameters a check fills in: those its path, query or Basic auth user name names (a WebSocket check may need none). */
export function parametersOf(provider: ProviderDefinition, check: ProviderCheck = provider.check): ProviderParameter[] {
  const templates = [
    check.path,
    ...Object.values(check.query ?? {}),
    ...(provider.auth.in === 'basic' && !check.websocket ? [provider.auth.username] : []),
  ].join(' ');
  return provider.parameters.filter((parameter) => templates.includes(`{${parameter.name}}`));
}

export function findParameterProblem(parameter: ProviderParameter, value: string | undefined): string | undefined {
  if (value === undefined || value === '') {
    return `${parameter.label} (${parameter.name}) is required: ${parameter.description}`;
  }
  // Dot segments would be collapsed by URL parsing and move the check to another path.
  if (value === '.' || value === '..' || !new RegExp(parameter.pattern).test(value)) {
    return `${parameter.label} (${parameter.name}) has an unexpected format: ${describeParameterFormat(parameter)}`;
  }
  return undefined;
}

/** What a parameter's value looks like, in words: "expected a tenant id such as tn_4821: letters, digits, _ and -". */
export function describeParameterFormat(parameter: ProviderParameter): string {
  if (!parameter.example && !parameter.formatHint) {
    return parameter.description;
  }
  const what = parameter.label.toLowerCase();
  const example = parameter.example ? ` such as ${parameter.example}` : '';
  return `expected ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what}${example}${parameter.formatHint ? `: ${parameter.formatHint}` : ''}`;
}

/**
 * Whether a key of `provider` may go to `url`: only to an origin the provider declares, or to this machine
 * (local test servers). Plain http:// or ws:// to a declared host passes here, to be refused by the engine
 * as `insecure-url`, which says why: the scheme, not the server, is what is wrong.
 */
export function findUndeclaredOriginProblem(provider: ProviderDefinition, url: URL): string | undefined {
  if (isLoopbackHost(url.hostname)) {
    return undefined;
  }
  const secure = new URL(url.href);
  secure.protocol = url.protocol === 'ws:' ? 'wss:' : url.protocol === 'http:' ? 'https:' : url.protocol;
  if (provider.origins.includes(secure.origin)) {
    return undefined;
  }
  return `the key would go to ${url.host}, which is not a server of ${provider.displayName}: its keys go only to ${provider.origins.join(', ')} (or this machine); to check a key against another server, define a custom provider that declares it in its origins`;
}

export type CheckTarget =
  /** `provider` is the provider as the chosen check sees it (see `withCheck`), to read the answer with. */
  | {
      readonly ok: true;
      readonly url: URL;
      readonly provider: ProviderDefinition;
      /** The Basic auth user name, its placeholders filled, for `auth.in: 'basic'`. */
      readonly username?: string;
    }
  | { readonly ok: false; readonly problem: string };

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
  for (const parameter of parametersOf(provider, checked.check)) {
    const problem = findParameterProblem(parameter, params[parameter.name]);
    if (problem) {
      return { ok: false, problem };
    }
  }
  const { websocket } = checked.check;
  const baseText = target.baseUrl ?? defaultBaseUrl(provider, checked.check);
  const baseProblem = websocket ? findWebSocketUrlProblem(baseText) : findBaseUrlProblem(baseText);
  if (baseProblem) {
    return { ok: false, problem: baseProblem };
  }
  const fill = (template: string, encode: (value: string) => string): string =>
    template.replace(/\{(\w+)\}/g, (_match, name: string) => encode(params[name] ?? ''));
  const url = new URL(baseText);
  const originProblem = findUndeclaredOriginProblem(provider, url);
  if (originProblem) {
    return { ok: false, problem: originProblem };
  }
  url.pathname = url.pathname.replace(/\/+$/, '') + fill(checked.check.path, encodeURIComponent);
  const query = Object.entries(checked.check.query ?? {}).map(([name, value]) => `${encodeQueryPart(name)}=${encodeQueryPart(fill(value, (raw) => raw))}`);
  url.search = query.join('&');
  if (provider.auth.in !== 'basic' || websocket) {
    return { ok: true, url, provider: checked };
  }
  const username = fill(provider.auth.username, (raw) => raw);
  // RFC 7617: the user name ends at the first colon.
  if (/[:\p{Cc}]/u.test(username)) {
    return { ok: false, problem: `the Basic auth user name of ${provider.displayName} would contain a colon or control character: check the parameters` };
  }
  return { ok: true, url, provider: checked, username };
}

// `$top` and `folder=/` are sent literally, as in the providers' own examples.
function encodeQueryPart(text: string): string {
  return encodeURIComponent(text).replace(/%(24|2F|3A|40|2C)/gi, (match) => decodeURIComponent(match));
}
