/**
 * Providers as data: the shape every provider has, the built-in four (builtIn.ts) and the user's own
 * (definitions.ts reads them from settings or a JSON file) alike.
 */

export type KeyPlacement =
  | { readonly in: 'header'; readonly name: string; readonly prefix?: string }
  | { readonly in: 'query'; readonly name: string }
  /**
   * HTTP Basic authentication with the key as the password (Mailgun: user `api`; Twilio: the Account SID).
   * `username` may use `{name}` placeholders of the provider's parameters.
   */
  | { readonly in: 'basic'; readonly username: string };

/** An identifier the check needs besides the key (a tenant, a project token, a wallet). */
export interface ProviderParameter {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  /** Regular expression source the whole value must match. */
  readonly pattern: string;
  /** A value of the expected form, shown in the input box: "tn_4821". */
  readonly example?: string;
  /** The pattern in words, for a refused value: "letters, digits, _ and -". */
  readonly formatHint?: string;
}

/** The low-risk read that proves a key works: a GET relative to the base URL, or one WebSocket exchange. */
export interface ProviderCheck {
  /** Path appended to the base URL; `{name}` is replaced by the parameter's URL-encoded value. */
  readonly path: string;
  /** Query parameters; values may use `{name}` placeholders too. */
  readonly query?: Readonly<Record<string, string>>;
  /** What the check reads, in the provider's words ("DAM"); shown where a key chooses among checks. */
  readonly label?: string;
  /** Set for a check over a WebSocket instead of a GET. */
  readonly websocket?: WebSocketExchange;
}

/**
 * A check over a WebSocket (Layerx402's data API): connect to `path` on `baseUrl` (a key's own base URL
 * replaces that), send one JSON message carrying the key, read the reply, close. The key travels only
 * in that message, once the handshake proved a WebSocket server answered.
 */
export interface WebSocketExchange {
  /** The wss:// URL `path` is relative to, on one of the provider's origins: `wss://layerx402.dev`. */
  readonly baseUrl: string;
  /** The message's fixed fields (`{"method": "authenticate"}`); the key goes in `keyField`. */
  readonly message: Readonly<Record<string, string>>;
  readonly keyField: string;
  /** The reply field that names its kind, and the kind that means the key works (`"type": "authenticated"`). */
  readonly replyTypeField: string;
  readonly acceptedType: string;
  /** Where the accepted reply names the key's plan. */
  readonly planField?: string;
  /** Dotted paths to a refusal's code, tried in order. */
  readonly errorCodeFields: readonly string[];
  /** The documented refusal codes: the outcome each is read as, and what it means if not that outcome's usual explanation. */
  readonly errorCodes: Readonly<Record<string, { readonly outcome: ExplainedOutcome; readonly explanation?: string }>>;
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

/** A 2xx answer whose JSON body has this value (or one of these) at this field is a failure (Scaleflex `"status":"error"`). */
export interface ErrorInSuccessBody {
  readonly field: string;
  readonly value: string | boolean | readonly string[];
}

/**
 * Documented error codes a 2xx JSON body carries at `field` (Slack's `"error":"invalid_auth"`, Google's
 * `"status":"REQUEST_DENIED"`), each read as the outcome it names; values not listed are read as usual.
 */
export interface SuccessBodyCodes {
  readonly field: string;
  readonly outcomes: Readonly<Record<string, ExplainedOutcome>>;
}

/** A plan a provider's rate limit names: a check whose answer reports this limit (or its burst) is on it. */
export interface RateLimitPlan {
  readonly name: string;
  readonly limit: number;
  /** The period `limit` counts, as words after "requests": "a minute". */
  readonly per: string;
  /** A documented burst allowance, which an answer may report as its limit instead. */
  readonly burst?: number;
}

/** What a provider's rate-limit headers mean beyond the headroom every check records (see rateLimit.ts). */
export interface RateLimitReading {
  /** Statuses that mean rate-limited, not their usual outcome, when the answer says no requests remain (GitHub's 403). */
  readonly exhaustedStatuses?: readonly number[];
  /** The plans the limit tells apart (Layerx402: Standard, Premium). */
  readonly plans?: readonly RateLimitPlan[];
  /** The plan any other limit means (Layerx402: Enterprise, whose limits are custom). */
  readonly otherPlan?: string;
}

/** Outcomes whose explanation depends on the provider. */
export type ExplainedOutcome = 'unauthorized' | 'forbidden' | 'not-found' | 'bad-request' | 'rate-limited';

export interface ProviderDefinition {
  readonly id: string;
  readonly displayName: string;
  readonly baseUrl: string;
  /**
   * Every origin the provider owns, REST and WebSocket alike (`https://api.layerx402.dev`,
   * `wss://layerx402.dev`): a key goes to these and no other, this machine aside (local test servers).
   */
  readonly origins: readonly string[];
  readonly auth: KeyPlacement;
  /** Fixed, non-secret headers every check sends (Anthropic's `anthropic-version`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Environment variable names the provider's own documentation uses for the key. */
  readonly envVars: readonly string[];
  readonly docsUrl: string;
  /** How the provider's documentation says to replace a key, as sentences a live found key's diagnostic ends with. */
  readonly rotationSteps?: string;
  readonly parameters: readonly ProviderParameter[];
  /** The default check. */
  readonly check: ProviderCheck;
  /** Checks a key may use instead of `check`. */
  readonly alternativeChecks?: readonly NamedCheck[];
  readonly errorInSuccessBody?: ErrorInSuccessBody;
  readonly successBodyCodes?: SuccessBodyCodes;
  /** Dotted paths into a JSON error body, tried in order, for the server's own words. */
  readonly errorMessageFields: readonly string[];
  /** Dotted paths into a JSON 429 body holding seconds to wait. */
  readonly retryAfterFields: readonly string[];
  /**
   * Outcomes that, from this provider, do not prove whether a key works (Scaleflex answers 403 for a wrong
   * project token as well as for a key without permission): a key found in code reads them as "could not tell".
   */
  readonly inconclusiveOutcomes?: readonly ('unauthorized' | 'forbidden')[];
  /** What the outcome means for this provider and what to do, as the end of a sentence. */
  readonly explanations: Readonly<Partial<Record<ExplainedOutcome, string>>>;
  readonly rateLimit?: RateLimitReading;
}
