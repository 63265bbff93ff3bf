import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILT_IN_PROVIDERS, SEED_PROVIDERS } from '../../src/core/providers/builtIn';
import { CATALOGUE_PROVIDERS } from '../../src/core/providers/catalogue';
import { findOriginProblem, findSentenceProblem } from '../../src/core/providers/fields';
import { describeAuth } from '../../src/core/providers/presentation';
import { PROVIDER_OF_RULE } from '../../src/core/scanner/vendorRules';

describe('built-in providers', () => {
  it('are the four documented seeds, then the catalogue, by id', () => {
    assert.deepEqual(
      SEED_PROVIDERS.map((provider) => provider.id),
      ['saleslayer', 'uppzy', 'scaleflex', 'layerx402'],
    );
    assert.deepEqual(
      CATALOGUE_PROVIDERS.map((provider) => provider.id),
      ['github', 'stripe', 'openai', 'anthropic', 'slack', 'sendgrid', 'twilio', 'mailgun', 'google-maps', 'cloudflare', 'huggingface', 'postmark'],
    );
    assert.deepEqual(BUILT_IN_PROVIDERS, [...SEED_PROVIDERS, ...CATALOGUE_PROVIDERS]);
  });

  it("declare every origin they own, their base URL's among them", () => {
    for (const provider of BUILT_IN_PROVIDERS) {
      assert.ok(provider.origins.includes(new URL(provider.baseUrl).origin), provider.id);
      assert.deepEqual(
        provider.origins.filter((origin) => findOriginProblem(origin)),
        [],
        provider.id,
      );
    }
    const declared = new Map(BUILT_IN_PROVIDERS.map((provider) => [provider.id, provider.origins]));
    assert.deepEqual(declared.get('layerx402'), ['https://api.layerx402.dev', 'wss://layerx402.dev'], 'its REST API and its documented WebSocket endpoint');
    assert.deepEqual(declared.get('mailgun'), ['https://api.mailgun.net', 'https://api.eu.mailgun.net']);
    assert.deepEqual(declared.get('sendgrid'), ['https://api.sendgrid.com', 'https://api.eu.sendgrid.com']);
  });

  it('describe how each sends its key', () => {
    assert.deepEqual(
      SEED_PROVIDERS.map((provider) => describeAuth(provider.auth)),
      ['X-API-KEY header', 'X-API-Key header', 'X-Filerobot-Key header', 'Bearer token'],
    );
    const described = new Map(CATALOGUE_PROVIDERS.map((provider) => [provider.id, describeAuth(provider.auth)]));
    assert.equal(described.get('mailgun'), 'Basic auth as api');
    assert.equal(described.get('twilio'), 'Basic auth as <accountSid>');
    assert.equal(described.get('google-maps'), 'query parameter key');
    assert.equal(described.get('postmark'), 'X-Postmark-Server-Token header');
  });

  it('each catalogue provider is the check of a scanner rule, so a found key leads to its provider', () => {
    const linked = new Set(PROVIDER_OF_RULE.values());
    assert.deepEqual(
      CATALOGUE_PROVIDERS.filter((provider) => !linked.has(provider.id)).map((provider) => provider.id),
      [],
    );
  });

  it('each catalogue provider names its environment variables and documentation', () => {
    for (const provider of CATALOGUE_PROVIDERS) {
      assert.ok(provider.envVars.length > 0, provider.id);
      assert.match(provider.docsUrl, /^https:\/\//, provider.id);
      assert.ok(provider.explanations.unauthorized, `${provider.id} explains a refused key`);
    }
  });

  it('word their rotation steps as a custom provider must, and each catalogue provider with steps names their source', () => {
    const withSteps = BUILT_IN_PROVIDERS.filter((provider) => provider.rotationSteps !== undefined);
    for (const provider of withSteps) {
      assert.equal(findSentenceProblem(provider.rotationSteps!), undefined, provider.id);
      // Read as the end of a live key's diagnostic: one or two sentences that name the provider.
      assert.ok(provider.rotationSteps!.startsWith(provider.displayName.split(' ')[0]!), provider.id);
      assert.match(provider.rotationSteps!, /\.$/, provider.id);
      assert.ok(provider.rotationSteps!.split(/(?<=\.) (?=[A-Z])/).length <= 2, provider.id);
    }
    // Left on the generic sentence: their documentation says nothing of replacing a key.
    assert.deepEqual(
      BUILT_IN_PROVIDERS.filter((provider) => provider.rotationSteps === undefined).map((provider) => provider.id),
      ['scaleflex', 'postmark'],
    );
    const catalogueDoc = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'docs', 'provider-catalogue.md'), 'utf8');
    for (const provider of CATALOGUE_PROVIDERS) {
      const section = catalogueDoc.split(/^## /m).find((part) => part.startsWith(`${provider.displayName}\n`));
      assert.ok(section, `docs/provider-catalogue.md has a section for ${provider.displayName}`);
      const rotation = /^- Rotation: [\s\S]*?(?=^- |(?![\s\S]))/m.exec(section)?.[0];
      assert.ok(rotation, `${provider.displayName}'s section says where its rotation steps come from, or that none were found`);
      if (provider.rotationSteps !== undefined) assert.match(rotation, /https:\/\/\S+/, `${provider.displayName}'s rotation names its source`);
    }
  });

  it('are the choices of apiKeyGuard.builtInProviders, which lists only the seeds by default', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: string[]; items: { enum: string[]; enumItemLabels: string[] } }> } };
    };
    const setting = manifest.contributes.configuration.properties['apiKeyGuard.builtInProviders']!;
    assert.deepEqual(
      setting.items.enum,
      BUILT_IN_PROVIDERS.map((provider) => provider.id),
    );
    assert.deepEqual(
      setting.items.enumItemLabels,
      BUILT_IN_PROVIDERS.map((provider) => provider.displayName),
    );
    assert.deepEqual(
      setting.default,
      SEED_PROVIDERS.map((provider) => provider.id),
    );
  });
});
