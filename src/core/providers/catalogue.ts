/**
 * The catalogue: widely used API-key services whose keys the scanner recognises, as ordinary provider
 * data. Each check is the lowest-risk read the vendor documents; docs/provider-catalogue.md names the
 * vendor page every fact comes from. They are listed in the tree only once they have a key, or when the
 * user turns them on in `apiKeyGuard.builtInProviders`.
 */
import type { ProviderDefinition } from './types';

export const CATALOGUE_PROVIDERS: readonly ProviderDefinition[] = [
  {
    id: 'github',
    displayName: 'GitHub',
    baseUrl: 'https://api.github.com',
    origins: ['https://api.github.com'],
    auth: { in: 'header', name: 'Authorization', prefix: 'Bearer ' },
    headers: { accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
    envVars: ['GITHUB_TOKEN', 'GH_TOKEN'],
    docsUrl: 'https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api',
    // "Creating a … personal access token" and "Deleting a personal access token" on GitHub's Managing your personal access tokens page.
    rotationSteps:
      "GitHub's rotation: generate a new token under Settings > Developer settings > Personal access tokens, move your programs to it, then click Delete next to this one there.",
    parameters: [],
    // Does not count against the primary rate limit, and answers for any token whatever its permissions.
    check: { label: 'Rate limit status', path: '/rate_limit' },
    errorMessageFields: ['message'],
    retryAfterFields: [],
    explanations: {
      unauthorized: 'the token is wrong, expired or revoked ("Bad credentials"): create a new one under Settings > Developer settings > Personal access tokens',
      forbidden:
        'the token is valid but this request is refused: an organization may require SAML SSO authorization or an IP allow list for it, or a secondary rate limit applies',
      'not-found': 'the base URL is wrong: GitHub Enterprise Server answers under https://HOSTNAME/api/v3, which needs a custom provider declaring that origin',
      'rate-limited': 'GitHub allows a personal token 5,000 requests an hour: wait until the limit resets',
    },
    // "You will receive a 403 or 429 response, and the x-ratelimit-remaining header will be 0."
    rateLimit: { exhaustedStatuses: [403] },
  },
  {
    id: 'stripe',
    displayName: 'Stripe',
    baseUrl: 'https://api.stripe.com',
    origins: ['https://api.stripe.com'],
    auth: { in: 'header', name: 'Authorization', prefix: 'Bearer ' },
    envVars: ['STRIPE_SECRET_KEY', 'STRIPE_API_KEY'],
    docsUrl: 'https://docs.stripe.com/api/authentication',
    // Stripe's API keys page and its support answer on rolling a key.
    rotationSteps:
      "Stripe's rotation: roll the key in the Dashboard under Developers > API keys, which revokes it and generates a replacement, now or at a time you schedule; move your programs to the replacement before then.",
    parameters: [],
    check: { label: 'Balance', path: '/v1/balance' },
    errorMessageFields: ['error.message', 'error.code'],
    retryAfterFields: [],
    explanations: {
      unauthorized: 'no valid key was given: the key is wrong, expired or was rolled; copy it again from Developers > API keys in the Dashboard',
      forbidden: 'the key is valid but lacks permission for this request: a restricted key (rk_…) needs the Balance read permission for this check',
      'rate-limited': 'Stripe limits requests per second: wait a moment and check again',
    },
  },
  {
    id: 'openai',
    displayName: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    origins: ['https://api.openai.com'],
    auth: { in: 'header', name: 'Authorization', prefix: 'Bearer ' },
    envVars: ['OPENAI_API_KEY'],
    docsUrl: 'https://platform.openai.com/docs/api-reference/authentication',
    // OpenAI's help articles on finding, creating and deleting API keys.
    rotationSteps:
      "OpenAI's rotation: create a new key on the API keys page, update your programs to use it, then delete this one there with the trash can icon next to it.",
    parameters: [],
    check: { label: 'Models', path: '/models' },
    errorMessageFields: ['error.message', 'error.code'],
    retryAfterFields: [],
    explanations: {
      unauthorized:
        'the key is wrong or was revoked, the account belongs to no organization, or the request comes from an IP outside the project allowlist: create a new key under API keys',
      forbidden: 'the key is valid but the API refuses this request: it is not offered in your country, region or territory, or the project restricts it',
      'rate-limited':
        'OpenAI answers 429 both for its rate limit and when the credit or monthly budget is used up (insufficient_quota): if waiting does not help, check billing',
    },
  },
  {
    id: 'anthropic',
    displayName: 'Anthropic',
    baseUrl: 'https://api.anthropic.com',
    origins: ['https://api.anthropic.com'],
    auth: { in: 'header', name: 'x-api-key' },
    headers: { 'anthropic-version': '2023-06-01' },
    envVars: ['ANTHROPIC_API_KEY'],
    docsUrl: 'https://docs.anthropic.com/en/api/overview',
    // Anthropic's support answer for a key that may be compromised.
    rotationSteps:
      "Anthropic's advice for an exposed key: delete it in the Console on the API keys page (the ⋯ menu next to it > Delete API Key), then create a new one there with Create Key and move your programs to it.",
    parameters: [],
    check: { label: 'Models', path: '/v1/models', query: { limit: '1' } },
    errorMessageFields: ['error.message', 'error.type'],
    retryAfterFields: [],
    explanations: {
      unauthorized: 'there is an issue with the key (authentication_error): it is wrong, disabled or deleted; create a new one in the Console under API keys',
      forbidden: 'the key is valid but has no permission for this resource (permission_error): check its workspace in the Console',
      'rate-limited': 'the organization hit a rate limit (rate_limit_error): wait and check again',
    },
  },
  {
    id: 'slack',
    displayName: 'Slack',
    baseUrl: 'https://slack.com/api',
    origins: ['https://slack.com'],
    auth: { in: 'header', name: 'Authorization', prefix: 'Bearer ' },
    envVars: ['SLACK_BOT_TOKEN', 'SLACK_USER_TOKEN', 'SLACK_TOKEN'],
    docsUrl: 'https://docs.slack.dev/reference/methods/auth.test',
    // auth.revoke: "Use this method if you'd like to reset the token value".
    rotationSteps:
      "Slack's way to reset a token: revoke it with the auth.revoke method, then get a new one by going through the app's OAuth install again; an app installed only on your workspace shows its new bot token in its app management console.",
    parameters: [],
    check: { label: 'auth.test', path: '/auth.test' },
    // Slack answers HTTP 200 with {"ok":false,"error":"<code>"}; these codes are documented for auth.test and every method.
    successBodyCodes: {
      field: 'error',
      outcomes: {
        not_authed: 'unauthorized',
        invalid_auth: 'unauthorized',
        account_inactive: 'unauthorized',
        token_revoked: 'unauthorized',
        token_expired: 'unauthorized',
        not_allowed_token_type: 'forbidden',
      },
    },
    errorInSuccessBody: { field: 'ok', value: false },
    errorMessageFields: ['error'],
    retryAfterFields: [],
    explanations: {
      unauthorized:
        'the token is wrong, revoked or expired, its user or workspace was deactivated, or the request comes from an IP address the workspace does not allow: reinstall the app or create a new token',
      forbidden: 'the token is valid but of a type this method does not accept (an app-level xapp- token): it still works where that type is allowed',
      'rate-limited': 'Slack rate limits each method per workspace: wait as it says and check again',
    },
  },
  {
    id: 'sendgrid',
    displayName: 'Twilio SendGrid',
    baseUrl: 'https://api.sendgrid.com',
    origins: ['https://api.sendgrid.com', 'https://api.eu.sendgrid.com'],
    auth: { in: 'header', name: 'Authorization', prefix: 'Bearer ' },
    envVars: ['SENDGRID_API_KEY'],
    docsUrl: 'https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/authentication',
    // Twilio SendGrid's API Keys pages: a deleted key is revoked.
    rotationSteps:
      "Twilio SendGrid's rotation: create a new key with Create API Key under Settings > API Keys, move your programs to it, then delete this one there.",
    parameters: [],
    // Lists the scopes of the key that asks: every key may read its own.
    check: { label: 'Key scopes', path: '/v3/scopes' },
    errorMessageFields: ['errors.0.message'],
    retryAfterFields: [],
    explanations: {
      unauthorized:
        'the key is wrong, expired or revoked, or it belongs to an EU subuser (set the base URL to https://api.eu.sendgrid.com): create a new key under Settings > API Keys',
      forbidden: 'the key is valid but its scopes do not allow this request: check its permissions under Settings > API Keys',
      'rate-limited': 'SendGrid limits requests per endpoint: wait until the limit resets',
    },
  },
  {
    id: 'twilio',
    displayName: 'Twilio',
    baseUrl: 'https://api.twilio.com/2010-04-01',
    origins: ['https://api.twilio.com'],
    auth: { in: 'basic', username: '{accountSid}' },
    envVars: ['TWILIO_AUTH_TOKEN'],
    docsUrl: 'https://www.twilio.com/docs/iam/api',
    // Twilio's Auth Token and Secondary Auth Token references: rotate by promoting a secondary token.
    rotationSteps:
      "Twilio's rotation: request a secondary Auth Token in the Console (Account > API keys & tokens), move your programs to it, then promote it to primary, after which this token is refused.",
    parameters: [
      {
        name: 'accountSid',
        label: 'Account SID',
        description: 'The account the Auth Token belongs to: AC and 32 hex digits, shown with the token in the Console (TWILIO_ACCOUNT_SID).',
        pattern: '^AC[0-9a-fA-F]{32}$',
      },
    ],
    check: { label: 'Account', path: '/Accounts/{accountSid}.json' },
    errorMessageFields: ['message'],
    retryAfterFields: [],
    explanations: {
      unauthorized: 'the Auth Token is wrong or was rotated, or it belongs to another account than this Account SID: copy both again from the Console',
      forbidden: 'the token is valid but may not read this account: check that the account is active',
      'not-found': 'the Account SID is wrong or outside the account the token belongs to: check the Account SID',
      'rate-limited': 'Twilio limits concurrent requests per account: wait and check again',
    },
  },
  {
    id: 'mailgun',
    displayName: 'Mailgun',
    baseUrl: 'https://api.mailgun.net',
    origins: ['https://api.mailgun.net', 'https://api.eu.mailgun.net'],
    auth: { in: 'basic', username: 'api' },
    envVars: ['MAILGUN_API_KEY'],
    docsUrl: 'https://documentation.mailgun.com/docs/mailgun/api-reference/authentication',
    // Mailgun's help center: a new key is created to replace the existing one; the pages name no step that retires it.
    rotationSteps:
      "Mailgun's rotation: create a new API key in the dashboard under Account settings > API Security, then replace this one with it in every program that uses it.",
    parameters: [],
    check: { label: 'Domains', path: '/v4/domains', query: { limit: '1' } },
    errorMessageFields: ['message'],
    retryAfterFields: [],
    explanations: {
      unauthorized:
        "the key is wrong or was deleted, or it is an EU account's key sent to the US host (set the base URL to https://api.eu.mailgun.net): check it under API Security",
      forbidden: 'the key is valid but may not list domains: a domain sending key can only send mail',
      'rate-limited': 'Mailgun is throttling the account: wait and check again',
    },
  },
  {
    id: 'google-maps',
    displayName: 'Google Maps Platform',
    baseUrl: 'https://maps.googleapis.com',
    origins: ['https://maps.googleapis.com'],
    auth: { in: 'query', name: 'key' },
    envVars: ['GOOGLE_MAPS_API_KEY', 'GOOGLE_API_KEY'],
    docsUrl: 'https://developers.google.com/maps/documentation/geocoding/get-api-key',
    // Google Maps Platform's security guidance, "If you are restricting or regenerating an API key that's in use".
    rotationSteps:
      "Google's advice for a key in use: create a new key on the Credentials page of the Cloud Console, update your apps to use it, and delete this one once its usage shows no more traffic; if it was leaked, do so quickly.",
    parameters: [],
    // Google documents no free read; one geocode is the cheapest request the key can make.
    check: { label: 'Geocoding (one billed request)', path: '/maps/api/geocode/json', query: { address: 'Zurich' } },
    successBodyCodes: { field: 'status', outcomes: { OVER_DAILY_LIMIT: 'forbidden', OVER_QUERY_LIMIT: 'rate-limited', INVALID_REQUEST: 'bad-request' } },
    // REQUEST_DENIED is both "the key is invalid" and "this live key may not use the API": the check cannot tell which.
    errorInSuccessBody: { field: 'status', value: ['REQUEST_DENIED', 'UNKNOWN_ERROR'] },
    errorMessageFields: ['error_message', 'status'],
    retryAfterFields: [],
    explanations: {
      unauthorized: 'the key is missing or wrong: check it under APIs & Services > Credentials',
      forbidden: 'the key is invalid, billing is not enabled, or a usage cap was reached (OVER_DAILY_LIMIT): check billing and quotas in the Cloud Console',
      'bad-request': 'the key was accepted but the request was invalid (INVALID_REQUEST): check the base URL',
      'rate-limited': 'the key is over its quota (OVER_QUERY_LIMIT): wait, or raise the quota in the Cloud Console',
    },
  },
  {
    id: 'cloudflare',
    displayName: 'Cloudflare',
    baseUrl: 'https://api.cloudflare.com/client/v4',
    origins: ['https://api.cloudflare.com'],
    auth: { in: 'header', name: 'Authorization', prefix: 'Bearer ' },
    envVars: ['CLOUDFLARE_API_TOKEN'],
    docsUrl: 'https://developers.cloudflare.com/fundamentals/api/get-started/create-token/',
    // Cloudflare's Roll tokens page: rolling invalidates the token and keeps its permissions.
    rotationSteps:
      "Cloudflare's rotation: roll the token under My Profile > API Tokens (the ⋯ menu next to it > Roll), which invalidates it at once and gives a new secret with the same permissions, then put the new secret in your programs.",
    parameters: [],
    check: { label: 'Verify token', path: '/user/tokens/verify' },
    // A token that is known but switched off still verifies, with its status in the result.
    successBodyCodes: { field: 'result.status', outcomes: { disabled: 'unauthorized', expired: 'unauthorized' } },
    errorInSuccessBody: { field: 'success', value: false },
    errorMessageFields: ['errors.0.message', 'messages.0.message'],
    retryAfterFields: [],
    explanations: {
      unauthorized:
        'the token is wrong, disabled, expired or deleted, or used from an IP address its filter does not allow: check it under My Profile > API Tokens (an account-owned token is verified under its account instead)',
      forbidden: 'the token is valid but lacks the permission for this request: check its permission groups',
      'rate-limited': 'Cloudflare allows 1,200 requests per 5 minutes per user: wait and check again',
    },
  },
  {
    id: 'huggingface',
    displayName: 'Hugging Face',
    baseUrl: 'https://huggingface.co',
    origins: ['https://huggingface.co'],
    auth: { in: 'header', name: 'Authorization', prefix: 'Bearer ' },
    envVars: ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'],
    docsUrl: 'https://huggingface.co/docs/hub/security-tokens',
    // The Hub's User access tokens page: tokens are deleted and refreshed with the Manage button.
    rotationSteps:
      "Hugging Face's rotation: under Settings > Access Tokens, refresh this token (or delete it) with its Manage button, then give your programs the new value.",
    parameters: [],
    check: { label: 'Who am I', path: '/api/whoami-v2' },
    errorMessageFields: ['error'],
    retryAfterFields: [],
    explanations: {
      unauthorized: 'the token is wrong, expired or was deleted: create a new one under Settings > Access Tokens',
      forbidden: 'the token is valid but its fine-grained permissions do not allow this request: check them under Settings > Access Tokens',
      'rate-limited': 'the Hub is rate limiting this token: wait and check again',
    },
  },
  {
    id: 'postmark',
    displayName: 'Postmark',
    baseUrl: 'https://api.postmarkapp.com',
    origins: ['https://api.postmarkapp.com'],
    auth: { in: 'header', name: 'X-Postmark-Server-Token' },
    envVars: ['POSTMARK_SERVER_TOKEN', 'POSTMARK_API_TOKEN'],
    docsUrl: 'https://postmarkapp.com/developer/api/overview#authentication',
    // No rotationSteps: Postmark's pages say a server may have up to three API tokens, not how to replace one, so a live key gets the generic steps.
    parameters: [],
    check: { label: 'Delivery stats', path: '/deliverystats' },
    errorMessageFields: ['Message'],
    retryAfterFields: [],
    explanations: {
      unauthorized:
        "the server token is wrong or missing, or it is an account token, which this check does not use: copy the token from the server's API Tokens tab",
      'bad-request': 'Postmark refused the request (HTTP 422): the token was accepted; see the error code in the message',
      'rate-limited': 'Postmark is rate limiting this server: wait and check again',
    },
  },
];
