import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILT_IN_PROVIDERS } from '../../../src/core/providers/builtIn';
import { KNOWN_EXAMPLES, VENDOR_FORMATS, VendorFormat } from '../../../src/core/scanner/catalogue';
import { vendorFormatsTable, withVendorFormatsTable } from '../../../src/core/scanner/catalogueDocs';
import { CHECKSUMS } from '../../../src/core/scanner/checksums';
import { SecretScanner } from '../../../src/core/scanner/engine';
import { RULES } from '../../../src/core/scanner/rules';
import { hasCountingRun, longestMatch, PROVIDER_OF_RULE } from '../../../src/core/scanner/vendorRules';
import { sample, seeded } from './formatSamples';

const scanner = new SecretScanner();

function ruleIds(text: string, fileName = 'settings.yml'): string[] {
  return scanner.scanText(text, { fileName }).map((finding) => finding.ruleId);
}

/** A line that holds the value under a name that says nothing about keys, so only the format can make it a finding. */
function plainLine(value: string): string {
  return `setting: "${value}"`;
}

/** The value with the vendor's name on the line above, for formats that need context. */
function inContext(format: VendorFormat, value: string): string {
  return format.context === undefined ? plainLine(value) : `# ${format.keywords[0]} account\n${plainLine(value)}`;
}

describe('vendor catalogue: data', () => {
  it('has at least 150 formats with unique ids, and keeps the ids suppressions already name', () => {
    assert.ok(VENDOR_FORMATS.length >= 150, `${VENDOR_FORMATS.length} formats`);
    const ids = VENDOR_FORMATS.map((format) => format.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of [
      'anthropic-api-key',
      'openai-api-key',
      'github-token',
      'stripe-secret-key',
      'slack-token',
      'slack-webhook-url',
      'aws-access-key-id',
      'google-api-key',
      'sendgrid-api-key',
    ]) {
      assert.ok(ids.includes(id), id);
    }
    assert.equal(new Set(RULES.map((rule) => rule.id)).size, RULES.length, 'no catalogue id collides with another rule');
  });

  for (const format of VENDOR_FORMATS) {
    it(`${format.id}: well-formed entry`, () => {
      assert.match(format.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      assert.match(format.docs, /^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\//);
      assert.ok(format.keywords.length > 0);
      for (const keyword of format.keywords) assert.equal(keyword, keyword.toLowerCase(), `keyword ${keyword} is lowercase`);
      assert.doesNotThrow(() => new RegExp(format.pattern));
      assert.ok(longestMatch(format.pattern) < 2100, 'the pattern bounds its match, which bounds the editor window');
      if (format.checksum !== undefined) assert.ok(format.checksum in CHECKSUMS, `checksum ${format.checksum}`);
      if (format.context === undefined) {
        // A keyword is part of the token, so the prefilter cannot miss it.
        const value = sample(format.example, seeded(1)).toLowerCase();
        assert.ok(
          format.keywords.some((keyword) => value.includes(keyword)),
          `the example holds one of ${format.keywords.join(', ')}`,
        );
      }
    });
  }

  it('names only provider ids that exist or are reserved for the check catalogue', () => {
    const known = new Set(BUILT_IN_PROVIDERS.map((provider) => provider.id));
    assert.ok(PROVIDER_OF_RULE.size >= 10);
    for (const [rule, provider] of PROVIDER_OF_RULE) assert.ok(known.has(provider), `${rule} names ${provider}`);
  });
});

describe('vendor catalogue: each format found, its near misses not', () => {
  for (const format of VENDOR_FORMATS) {
    describe(format.id, () => {
      const seeds = [1, 2, 3, 4, 5];
      it('finds fake tokens of the format (valid checksums where it has one)', () => {
        for (const seed of seeds) {
          const value = sample(format.example, seeded(seed));
          assert.ok(ruleIds(inContext(format, value)).includes(format.id), `seed ${seed}: ${value}`);
        }
      });

      it('does not find the token cut short, nor inside a longer word', () => {
        const value = sample(format.example, seeded(7));
        const keyword = format.keywords.find((word) => value.toLowerCase().includes(word));
        // Four characters past a leading prefix, or else half of the token.
        const cut = keyword !== undefined && value.toLowerCase().startsWith(keyword) ? value.slice(0, keyword.length + 4) : value.slice(0, value.length >> 1);
        assert.ok(!ruleIds(inContext(format, cut)).includes(format.id), cut);
        assert.ok(!ruleIds(inContext(format, `Zq${value}Zq`)).includes(format.id), 'glued into a longer word');
      });

      if (format.checksum !== undefined) {
        it(`refuses a token whose ${format.checksum} check fails`, () => {
          const value = sample(format.example, seeded(11));
          // One character changed near the end (in the checksum or the body it covers), keeping the character class.
          const at = value.length - 3;
          const char = value[at] as string;
          const swapped = /\d/.test(char)
            ? String((Number(char) + 1) % 10)
            : /[a-z]/.test(char)
              ? char === 'z'
                ? 'a'
                : String.fromCharCode(char.charCodeAt(0) + 1)
              : char === 'Z'
                ? 'A'
                : char === '-' || char === '_'
                  ? 'Q'
                  : String.fromCharCode(char.charCodeAt(0) + 1);
          const broken = ['json-body', 'discord-user-id', 'jwt', 'supabase-service-role-jwt'].includes(format.checksum as string)
            ? value.replace(/eyJ|^M/, 'xyJ')
            : value.slice(0, at) + swapped + value.slice(at + 1);
          assert.ok(!ruleIds(inContext(format, broken)).includes(format.id), broken);
        });
      }

      if (format.context !== undefined) {
        it(`needs the vendor's name within ${format.context} line(s)`, () => {
          const value = sample(format.example, seeded(13));
          assert.ok(!ruleIds(plainLine(value)).includes(format.id));
          const far = `# ${format.keywords[0]}\n${'\n'.repeat((format.context ?? 0) + 3)}${plainLine(value)}`;
          assert.ok(!ruleIds(far).includes(format.id));
        });
      }
    });
  }
});

describe('vendor catalogue: what a format rule accepts', () => {
  it("takes the vendor's name as context only as a word of its own", () => {
    const key = sample('00{u40}', seeded(21));
    assert.ok(ruleIds(`// okta\n${plainLine(key)}`).includes('okta-api-token'));
    assert.ok(ruleIds(`const myOktaClient = 1;\n${plainLine(key)}`).includes('okta-api-token'), 'camel-case hump');
    assert.ok(ruleIds(`OKTA_API_TOKEN=1\n${plainLine(key)}`).includes('okta-api-token'));
    assert.ok(!ruleIds(`rookTable = 1\n${plainLine(key)}`).includes('okta-api-token'), 'inside another word');
    const ably = sample('{u6}.{u6}:{u43}', seeded(22));
    assert.ok(!ruleIds(`// probably fine\n${plainLine(ably)}`).includes('ably-api-key'));
  });

  it('refuses counting runs, which only made-up samples have', () => {
    assert.ok(hasCountingRun('xyz_abcdef_xyz') && hasCountingRun('a1234567') && hasCountingRun('QRSTUV'));
    assert.ok(!hasCountingRun('abcde_12345_ABCDE'));
    assert.deepEqual(ruleIds(plainLine('ghp_aBcDeFgHiJkLmNoPqRsT1234567890abcd')), []);
  });

  it('knows the longest match of a pattern', () => {
    assert.equal(longestMatch('ab(?:c|def){2}x?[0-9]{3,5}'), 14);
    assert.equal(longestMatch('a\\.(?<secret>b{2}|c)'), 4);
    assert.throws(() => longestMatch('a+'), /unbounded/);
    assert.throws(() => longestMatch('a{2,}'), /unbounded/);
  });
});

describe('vendor catalogue: documented public examples stay quiet', () => {
  for (const example of KNOWN_EXAMPLES) {
    it(`${example.value.slice(0, 12)}… (${example.source.slice(0, 40)}…)`, () => {
      assert.ok(example.source.length > 20, 'says where it is published');
      for (const line of [
        plainLine(example.value),
        `aws_secret_access_key = "${example.value}"`,
        `Authorization: Bearer ${example.value}`,
        `apiKey: '${example.value}'`,
      ]) {
        assert.deepEqual(ruleIds(line), [], line);
      }
    });
  }
});

describe('vendor catalogue: README', () => {
  it('README.md holds the current table of vendor formats (npm run docs:rules rewrites it)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../../../README.md'), 'utf8');
    assert.ok(readme.includes(vendorFormatsTable()), 'README.md is stale: run npm run docs:rules');
    assert.equal(withVendorFormatsTable(readme), readme);
  });
});
