/**
 * Whether a key found in code is live: which provider a finding may be checked against, and what a
 * check's result says about the key. Shared by `scan --verify` and the editor's "Check Whether This Key
 * Works". A verification never hides a finding: every outcome but a proven answer is "could not tell".
 */
import type { CheckOutcome, CheckResult } from './checkOutcome';
import { BUILT_IN_PROVIDERS } from './providers/builtIn';
import { rotationStepsOf } from './rotation';
import { RULES } from './scanner/rules';
import { VENDOR_RULES } from './scanner/vendorRules';
import type { ProviderDefinition } from './providers/types';
import type { AssignmentRule, Rule } from './scanner/types';

export type VerificationStatus = 'live' | 'refused' | 'unknown';

export interface Verification {
  readonly status: VerificationStatus;
  readonly providerId: string;
  readonly outcome: CheckOutcome;
  readonly httpStatus?: number;
  /** One sentence a person reads, already redacted (it quotes the check's message, which the engine redacted). */
  readonly sentence: string;
  /** For a live key: how to replace it, in its provider's words where the provider's documentation gives them. */
  readonly rotationSteps?: string;
}

/**
 * What a check's result says about a key found in code: ok -> live; forbidden (403) -> live without
 * permission, as the providers document, unless the provider lists it in `inconclusiveOutcomes`;
 * unauthorized -> refused, with the same exception; everything else (timeout, TLS, network, 5xx, 429,
 * an unexpected body, a redirect, a key nothing was sent for) -> unknown, "could not tell".
 */
export function verificationOf(provider: ProviderDefinition, result: CheckResult): Verification {
  const name = provider.displayName;
  const status = statusOf(provider, result.outcome);
  const http = result.httpStatus === undefined ? '' : ` (HTTP ${result.httpStatus})`;
  const sentence =
    status === 'live'
      ? result.outcome === 'ok'
        ? `This key works against ${name}: rotate it, then remove it from the file.`
        : `This key works against ${name}, though it may not make this request${http}: rotate it, then remove it from the file.`
      : status === 'refused'
        ? `${name} refused this key${http}: it no longer works there; remove it from the file anyway.`
        : `Could not tell whether this key works against ${name}: ${result.message}`;
  return {
    status,
    providerId: provider.id,
    outcome: result.outcome,
    ...(result.httpStatus === undefined ? {} : { httpStatus: result.httpStatus }),
    sentence,
    ...(status === 'live' ? { rotationSteps: rotationStepsOf(provider) } : {}),
  };
}

/** A verification for a key that was not sent at all (a parameter missing, a rate limit waited out): could not tell, and why. */
export function notVerified(provider: ProviderDefinition, reason: string): Verification {
  return {
    status: 'unknown',
    providerId: provider.id,
    outcome: 'not-checkable',
    sentence: `Could not tell whether this key works against ${provider.displayName}: ${reason}`,
  };
}

function statusOf(provider: ProviderDefinition, outcome: CheckOutcome): VerificationStatus {
  if (outcome === 'ok') return 'live';
  if ((outcome === 'forbidden' || outcome === 'unauthorized') && !(provider.inconclusiveOutcomes ?? []).includes(outcome)) {
    return outcome === 'forbidden' ? 'live' : 'refused';
  }
  return 'unknown';
}

/** What a custom provider is judged against, built on first use: a scan or an editor that verifies nothing pays nothing. */
let claims:
  | {
      /** Vendor formats that prove themselves (no context needed): a key in one of them is that vendor's, whoever else claims it. */
      readonly formats: readonly RegExp[];
      /** Variables built-in providers document, and those built-in rules name, lowercase. */
      readonly variables: ReadonlySet<string>;
      /** Built-in assignment rules that find one vendor's keys by the name they are assigned to (AWS's `secret_access_key`). */
      readonly nameRules: readonly AssignmentRule[];
    }
  | undefined;

function builtInClaims(): NonNullable<typeof claims> {
  claims ??= {
    formats: VENDOR_RULES.filter((rule) => rule.contextLines === undefined).map((rule) => new RegExp(rule.pattern.source)),
    variables: new Set(
      [...BUILT_IN_PROVIDERS.flatMap((provider) => provider.envVars), ...RULES.flatMap((rule) => (rule.variable === undefined ? [] : [rule.variable]))].map(
        (name) => name.toLowerCase(),
      ),
    ),
    nameRules: RULES.filter((rule): rule is AssignmentRule => rule.kind === 'assignment' && (rule.variable !== undefined || rule.provider !== undefined)),
  };
  return claims;
}

/**
 * The provider a finding may be checked against: its rule's own provider (never a guess across providers).
 * A built-in provider's finding goes to the built-in definition alone, whatever `providers` holds. A custom
 * provider (from settings or a providers file, which a cloned repository may control) is trusted only with
 * keys its own variable rule found, only if `customProviderClaim` finds nothing wrong with it, and never
 * with a key in a built-in vendor's format. `rules` are the rules the finding came from; two rules of one
 * id naming different providers make the finding unverifiable.
 */
export function verifiableProviderFor(
  ruleId: string,
  secret: string,
  rules: readonly Rule[],
  providers: readonly ProviderDefinition[],
): ProviderDefinition | undefined {
  const claimed = new Set(rules.filter((rule) => rule.id === ruleId).map((rule) => rule.provider));
  const [providerId] = claimed;
  if (claimed.size !== 1 || providerId === undefined) return undefined;
  const builtIn = BUILT_IN_PROVIDERS.find((provider) => provider.id === providerId);
  if (builtIn) return builtIn;
  const custom = providers.find((provider) => provider.id === providerId);
  if (!custom || customProviderClaim(custom) !== undefined) return undefined;
  return builtInClaims().formats.some((format) => format.test(secret)) ? undefined : custom;
}

/**
 * Why a custom provider is never sent a found key, or undefined when it may be: it names an environment
 * variable that a built-in provider documents or a built-in rule recognises as another vendor's, so its
 * rule would catch that vendor's keys.
 */
export function customProviderClaim(provider: ProviderDefinition): string | undefined {
  const { variables, nameRules } = builtInClaims();
  const taken = provider.envVars.find((name) => variables.has(name.toLowerCase()) || nameRules.some((rule) => rule.names.some((re) => re.test(name))));
  return taken === undefined
    ? undefined
    : `the custom provider '${provider.id}' names ${taken}, which holds another vendor's keys, so no found key is sent to it`;
}
