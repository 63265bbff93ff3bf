import * as assert from 'node:assert/strict';
import { assignedName, environmentLookup, guessProvider, importFor, suppressionComment, toVariableName, variableFor } from '../../src/core/envLookup';
import { BUILT_IN_PROVIDERS } from '../../src/core/providers/builtIn';

const provider = (id: string) => BUILT_IN_PROVIDERS.find((candidate) => candidate.id === id);

describe('environment lookups for the linter quick fixes', () => {
  it('replaces a quoted literal by the language lookup', () => {
    const cases: Array<[string, string]> = [
      ['javascript', 'process.env.X'],
      ['typescript', 'process.env.X'],
      ['python', 'os.environ["X"]'],
      ['go', 'os.Getenv("X")'],
      ['java', 'System.getenv("X")'],
      ['csharp', 'Environment.GetEnvironmentVariable("X")'],
      ['php', "getenv('X')"],
      ['ruby', 'ENV["X"]'],
      ['rust', 'std::env::var("X").expect("X is not set")'],
    ];
    for (const [language, text] of cases) {
      assert.deepEqual(environmentLookup(language, 'X', '"'), { text, withQuotes: true }, language);
    }
  });

  it('offers no code lookup for a key inside a longer string, and none at all for JSON', () => {
    assert.equal(environmentLookup('javascript', 'X', undefined), undefined);
    assert.equal(environmentLookup('json', 'X', '"'), undefined);
  });

  it('interpolates in YAML, dotenv and shell, keeping the quotes, except shell single quotes', () => {
    assert.deepEqual(environmentLookup('yaml', 'X', undefined), { text: '${X}', withQuotes: false });
    assert.deepEqual(environmentLookup('dotenv', 'X', '"'), { text: '${X}', withQuotes: false });
    assert.deepEqual(environmentLookup('shellscript', 'X', '"'), { text: '${X}', withQuotes: false });
    assert.deepEqual(environmentLookup('shellscript', 'X', "'"), { text: '"${X}"', withQuotes: true });
    assert.equal(environmentLookup('dotenv', 'X', undefined, 'X='), undefined, 'X=${X} would define X by itself');
    assert.deepEqual(environmentLookup('dockercompose', 'X', undefined, '  X: '), { text: '${X}', withQuotes: false });
    assert.equal(environmentLookup('shellscript', 'X', undefined, "curl -u '"), undefined, 'nothing expands in single quotes');
    assert.deepEqual(environmentLookup('shellscript', 'X', undefined, 'curl -u "'), { text: '${X}', withQuotes: false });
  });

  it('adds the import a Python or Go lookup needs, once', () => {
    assert.deepEqual(importFor('python', '#!/usr/bin/env python3\nimport requests\n'), { line: 1, text: 'import os\n' });
    assert.equal(importFor('python', 'import os\nKEY = "x"\n'), undefined);
    assert.equal(importFor('python', 'import sys, os\n'), undefined);
    assert.deepEqual(importFor('go', 'package main\n\nimport (\n\t"fmt"\n)\n'), { line: 4, text: '\t"os"\n' });
    assert.deepEqual(importFor('go', 'package main\n\nfunc main() {}\n'), { line: 1, text: '\nimport "os"\n' });
    assert.equal(importFor('go', 'package main\n\nimport (\n\t"os"\n)\n'), undefined);
    assert.equal(importFor('javascript', 'const a = 1;'), undefined);
  });

  it('writes the suppression comment in the file comment syntax, naming the rule', () => {
    assert.deepEqual(suppressionComment('javascript', false, 'generic-secret'), { placement: 'end', text: ' // api-key-guard-ignore generic-secret' });
    assert.deepEqual(suppressionComment('python', false, 'stripe-secret-key'), { placement: 'end', text: ' # api-key-guard-ignore stripe-secret-key' });
    assert.deepEqual(suppressionComment('html', false, 'url-password'), { placement: 'end', text: ' <!-- api-key-guard-ignore url-password -->' });
    assert.deepEqual(suppressionComment('dotenv', false, 'uppzy-key'), { placement: 'above', text: '# api-key-guard-ignore-next-line uppzy-key' });
    assert.deepEqual(suppressionComment('javascript', true, 'private-key'), { placement: 'above', text: '// api-key-guard-ignore-next-line private-key' });
    assert.equal(suppressionComment('json', false, 'generic-secret'), undefined);
  });

  it('names the variable after the provider, the assignment or the vendor', () => {
    assert.equal(variableFor('uppzy-key', provider('uppzy'), 'const key = "'), 'UPPZY_API_KEY');
    assert.equal(variableFor('generic-secret', undefined, 'const paymentsApiKey = "'), 'PAYMENTS_API_KEY');
    assert.equal(variableFor('stripe-secret-key', undefined, 'const apiKey = "'), 'STRIPE_SECRET_KEY');
    assert.equal(variableFor('generic-secret', undefined, 'password = "'), 'PASSWORD');
    assert.equal(variableFor('public-env-key', undefined, 'NEXT_PUBLIC_MAPS_KEY='), 'MAPS_KEY');
    assert.equal(variableFor('bearer-token', undefined, 'fetch(url, { headers: { Authorization: `Bearer '), 'API_KEY');
    // A `user:password` pair's password is named after its user, not as the user's own variable.
    assert.equal(variableFor('curl-user-password', undefined, '  - run: curl -fsS -u deployer:'), 'DEPLOYER_PASSWORD');
    assert.equal(variableFor('url-password', undefined, 'DB = "postgres://app:'), 'APP_PASSWORD');
    assert.equal(variableFor('url-password', undefined, 'R = "redis://:'), 'PASSWORD');
  });

  it('reads assigned names and turns names into variables', () => {
    assert.equal(assignedName('  "api_key": "'), 'api_key');
    assert.equal(assignedName('API_KEY='), 'API_KEY');
    assert.equal(assignedName("const paymentsKey: string = '"), 'paymentsKey');
    assert.equal(assignedName('let api_key: &str = "'), 'api_key');
    assert.equal(assignedName('String apiKey = "'), 'apiKey');
    assert.equal(assignedName("$config->key => '"), 'key');
    assert.equal(toVariableName('prod-order-bot'), 'PROD_ORDER_BOT');
    assert.equal(toVariableName('stripeKey'), 'STRIPE_KEY');
    assert.equal(toVariableName('2fa secret'), '_2FA_SECRET');
  });

  it('guesses the provider from the rule, then from what the document mentions', () => {
    assert.equal(guessProvider('layerx402-key', '', BUILT_IN_PROVIDERS)?.id, 'layerx402');
    assert.equal(guessProvider('x-api-key-header', "fetch('https://api.uppzy.com/x')", BUILT_IN_PROVIDERS)?.id, 'uppzy');
    assert.equal(guessProvider('x-api-key-header', 'fetch(url)', BUILT_IN_PROVIDERS), undefined);
    assert.equal(guessProvider('x-filerobot-key-header', 'fetch(url)', BUILT_IN_PROVIDERS)?.id, 'scaleflex');
    assert.equal(guessProvider('bearer-token', 'https://api.layerx402.dev/portfolio', BUILT_IN_PROVIDERS)?.id, 'layerx402');
    assert.equal(guessProvider('generic-secret', 'nothing here', BUILT_IN_PROVIDERS), undefined);
  });
});
