import * as assert from 'node:assert/strict';
import type { CheckOutcome, CheckResult } from '../../src/core/checkOutcome';
import { BUILT_IN_PROVIDERS } from '../../src/core/providers/builtIn';
import type { ProviderDefinition } from '../../src/core/providers/types';
import { buildRules, RULES } from '../../src/core/scanner/rules';
import { PROVIDER_OF_RULE } from '../../src/core/scanner/vendorRules';
import { describeVerification, GENERIC_ROTATION } from '../../src/core/rotation';
import { customProviderClaim, notVerified, verifiableProviderFor, verificationOf } from '../../src/core/verification';

const provider = (id: string): ProviderDefinition => BUILT_IN_PROVIDERS.find((candidate) => candidate.id === id)!;
const result = (outcome: CheckOutcome, httpStatus?: number, message = 'The server said something.'): CheckResult => ({
  outcome,
  latencyMs: 3,
  message,
  ...(httpStatus === undefined ? {} : { httpStatus }),
});

const acme: ProviderDefinition = {
  id: 'acme',
  displayName: 'Acme',
  baseUrl: 'https://api.acme.example',
  origins: ['https://api.acme.example'],
  auth: { in: 'header', name: 'X-Acme-Key' },
  envVars: ['ACME_API_KEY'],
  docsUrl: 'https://acme.example/docs',
  parameters: [],
  check: { path: '/me' },
  errorMessageFields: [],
  retryAfterFields: [],
  explanations: {},
};

describe('verificationOf', () => {
  const uppzy = provider('uppzy');
  it('reads ok as live, with the rotation advice', () => {
    const verification = verificationOf(uppzy, result('ok', 200));
    assert.deepEqual(verification, {
      status: 'live',
      providerId: 'uppzy',
      outcome: 'ok',
      httpStatus: 200,
      sentence: 'This key works against Uppzy M2M API: rotate it, then remove it from the file.',
      rotationSteps: uppzy.rotationSteps,
    });
    assert.match(uppzy.rotationSteps!, /^Uppzy's rotation: /);
  });

  it('reads 403 as live without permission, as the providers document', () => {
    const verification = verificationOf(uppzy, result('forbidden', 403));
    assert.equal(verification.status, 'live');
    assert.match(verification.sentence, /^This key works against Uppzy M2M API, though it may not make this request \(HTTP 403\): rotate it/);
  });

  it('gives a live key of a provider that documents no rotation the generic steps, and a refused or unknown key none', () => {
    assert.equal(verificationOf(acme, result('forbidden', 403)).rotationSteps, GENERIC_ROTATION);
    assert.equal(verificationOf(provider('postmark'), result('ok', 200)).rotationSteps, GENERIC_ROTATION);
    assert.equal(verificationOf(provider('stripe'), result('ok', 200)).rotationSteps, provider('stripe').rotationSteps);
    for (const outcome of ['unauthorized', 'timeout'] as const) assert.equal(verificationOf(uppzy, result(outcome, 401)).rotationSteps, undefined, outcome);
  });

  it('is read as its sentence, and for a live key the rotation steps after it', () => {
    assert.equal(
      describeVerification(verificationOf(acme, result('ok', 200))),
      'This key works against Acme: rotate it, then remove it from the file. Create a new key with the provider, move your programs to it, then revoke this one.',
    );
    const refused = verificationOf(uppzy, result('unauthorized', 401));
    assert.equal(describeVerification(refused), refused.sentence);
  });

  it('reads 401 as refused', () => {
    const verification = verificationOf(uppzy, result('unauthorized', 401));
    assert.equal(verification.status, 'refused');
    assert.equal(verification.sentence, 'Uppzy M2M API refused this key (HTTP 401): it no longer works there; remove it from the file anyway.');
  });

  const unknowns: CheckOutcome[] = [
    'timeout',
    'tls-error',
    'network-error',
    'server-error',
    'rate-limited',
    'unexpected-response',
    'redirect-blocked',
    'insecure-url',
    'invalid-key',
    'not-checkable',
    'not-found',
    'bad-request',
  ];
  for (const outcome of unknowns) {
    it(`reads ${outcome} as unknown, quoting the check's sentence`, () => {
      const verification = verificationOf(uppzy, result(outcome, undefined, 'No answer within 10 s.'));
      assert.equal(verification.status, 'unknown');
      assert.equal(verification.outcome, outcome);
      assert.equal(verification.sentence, 'Could not tell whether this key works against Uppzy M2M API: No answer within 10 s.');
    });
  }

  it("reads an outcome the provider's data calls inconclusive as unknown (Scaleflex 403 also means a wrong project token)", () => {
    assert.equal(verificationOf(provider('scaleflex'), result('forbidden', 403)).status, 'unknown');
    assert.equal(verificationOf(provider('scaleflex'), result('unauthorized', 401)).status, 'refused');
    assert.equal(verificationOf({ ...acme, inconclusiveOutcomes: ['unauthorized'] }, result('unauthorized', 401)).status, 'unknown');
  });

  it('reads Google Maps REQUEST_DENIED (a wrong key or a restricted live one) as unknown', () => {
    // The engine reads it as unexpected-response (see the catalogue's data); the verification must not call it refused.
    assert.equal(verificationOf(provider('google-maps'), result('unexpected-response', 200)).status, 'unknown');
  });

  it('says why a key was not sent', () => {
    assert.deepEqual(notVerified(uppzy, 'the check needs tenantId: give --param uppzy.tenantId=….'), {
      status: 'unknown',
      providerId: 'uppzy',
      outcome: 'not-checkable',
      sentence: 'Could not tell whether this key works against Uppzy M2M API: the check needs tenantId: give --param uppzy.tenantId=….',
    });
  });
});

describe('verifiableProviderFor', () => {
  it("links every vendor rule that names a provider to that catalogue provider, and the seed providers' rules to theirs", () => {
    for (const [ruleId, providerId] of PROVIDER_OF_RULE) {
      assert.equal(verifiableProviderFor(ruleId, 'x', RULES, BUILT_IN_PROVIDERS)?.id, providerId, ruleId);
    }
    assert.equal(verifiableProviderFor('uppzy-key', 'x', RULES, BUILT_IN_PROVIDERS)?.id, 'uppzy');
    assert.equal(verifiableProviderFor('scaleflex-key-format', 'x', RULES, BUILT_IN_PROVIDERS)?.id, 'scaleflex');
  });

  it('gives rules of no single provider none: generic, header and bearer rules never guess', () => {
    for (const ruleId of ['generic-secret', 'named-api-key', 'bearer-token', 'x-api-key-header', 'private-key', 'no-such-rule']) {
      assert.equal(verifiableProviderFor(ruleId, 'x', RULES, BUILT_IN_PROVIDERS), undefined, ruleId);
    }
  });

  it("always answers a built-in provider's rule with the built-in definition, whatever the providers list holds", () => {
    const impostor = { ...provider('github'), baseUrl: 'https://evil.example' };
    assert.equal(verifiableProviderFor('github-token', 'x', RULES, [impostor])?.baseUrl, 'https://api.github.com');
  });

  it('trusts a custom provider with keys found under its own variable names', () => {
    const rules = buildRules([acme]);
    assert.equal(verifiableProviderFor('acme-key', 'a1b2c3d4e5f6a7b8c9d0', rules, [acme])?.id, 'acme');
  });

  it("never sends a custom provider a key in a built-in vendor's format, nor trusts one that claims a built-in vendor's variable", () => {
    const rules = buildRules([acme]);
    assert.equal(verifiableProviderFor('acme-key', `ghp_${'A1b2C3d4E5'.repeat(3)}abcdef`, rules, [acme]), undefined);
    for (const claimed of ['GITHUB_TOKEN', 'openai_api_key', 'AWS_SECRET_ACCESS_KEY', 'UPPZY_API_KEY']) {
      const greedy = { ...acme, envVars: ['ACME_API_KEY', claimed] };
      assert.match(customProviderClaim(greedy) ?? '', new RegExp(`names ${claimed}, which holds another vendor's keys`));
      assert.equal(verifiableProviderFor('acme-key', 'a1b2c3d4e5f6a7b8c9d0', buildRules([greedy]), [greedy]), undefined, claimed);
    }
    assert.equal(customProviderClaim(acme), undefined);
  });

  it('refuses a rule id two rules share with different providers', () => {
    const twin = { ...acme, id: 'acme2' };
    const rules = [...buildRules([acme]), { ...buildRules([twin]).find((rule) => rule.id === 'acme2-key')!, id: 'acme-key' }];
    assert.equal(verifiableProviderFor('acme-key', 'a1b2c3d4e5f6a7b8c9d0', rules, [acme, twin]), undefined);
  });
});
