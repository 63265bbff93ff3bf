import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fingerprintOf } from '../../../src/core/scanner/engine';
import { compilePatterns, matchPatterns } from '../../../src/core/scanner/globs';
import { formatSarif } from '../../../src/core/scanner/report';
import { scanText } from '../../../src/core/scanner/engine';

const ROOT = path.join(__dirname, '../../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SECRET = 'Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k';
const OTHER = 'Hq2Lm9Pz4Rt8Vw1Xy5Bc3Dn6Fh7';

function scan(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'scan', ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('scan command (dist/cli.js)', function () {
  this.timeout(20000);
  let tree: string;

  before(function () {
    if (!fs.existsSync(CLI)) spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'ignore' });
    tree = fs.mkdtempSync(path.join(os.tmpdir(), 'akg-scan-'));
    const files: Record<string, string> = {
      'src/app.ts': `const token1 = "${SECRET}";\n`,
      'src/clean.ts': 'const apiKey = process.env.API_KEY;\n',
      'generated/out.js': `const token = "${OTHER}";\n`,
      'node_modules/dep/index.js': `const token = "${OTHER}";\n`,
      'test/fixtures/keys.env': `UPPZY_API_KEY=${OTHER}\n`,
      'image.bin': `\0\0PNG token="${OTHER}"`,
      '.gitignore': 'generated/\n',
    };
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(tree, name)), { recursive: true });
      fs.writeFileSync(path.join(tree, name), content);
    }
  });

  after(() => fs.rmSync(tree, { recursive: true, force: true }));

  it('prints file:line:column ruleId message, exits 1, and never prints a secret', () => {
    const result = scan(tree);
    assert.equal(result.status, 1);
    assert.deepEqual(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(' ').slice(0, 2).join(' ')),
      ['src/app.ts:1:17 generic-secret', 'test/fixtures/keys.env:1:15 uppzy-key'],
    );
    assert.ok(!result.stdout.includes(SECRET) && !result.stdout.includes(OTHER));
  });

  it('writes the JSON contract with 1-based positions relative to the current directory', () => {
    const result = scan(path.join(tree, 'src'), '--format', 'json', '.', '../test');
    assert.deepEqual(JSON.parse(result.stdout), [
      {
        file: 'app.ts',
        line: 1,
        column: 17,
        endLine: 1,
        endColumn: 45,
        ruleId: 'generic-secret',
        severity: 'warning',
        message: 'A secret looks hardcoded in token1; read it from the environment or a secret store at run time.',
        preview: '****hJ6k',
        evidence: 'name token1 (token)',
        fingerprint: fingerprintOf(SECRET),
      },
      {
        file: '../test/fixtures/keys.env',
        line: 1,
        column: 15,
        endLine: 1,
        endColumn: 42,
        ruleId: 'uppzy-key',
        severity: 'error',
        message: "A key for Uppzy M2M API is hardcoded in UPPZY_API_KEY; keep it in SecretStorage or the deployment's secret store.",
        evidence: 'name UPPZY_API_KEY',
        testPath: true,
        preview: '****6Fh7',
        fingerprint: fingerprintOf(OTHER),
      },
    ]);
  });

  it('scans gitignored files with --no-gitignore, skips --exclude globs, writes --output', () => {
    const output = path.join(tree, 'report.json');
    const result = scan(tree, '--no-gitignore', '--exclude', 'test/**', '--format', 'json', '--output', output);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.deepEqual(
      JSON.parse(fs.readFileSync(output, 'utf8')).map((item: { file: string }) => item.file),
      ['generated/out.js', 'src/app.ts'],
    );
    fs.rmSync(output);
  });

  it('exits 0 when clean and honours fingerprints in .apikeyguardignore', () => {
    fs.writeFileSync(path.join(tree, '.apikeyguardignore'), `${fingerprintOf(SECRET)}\ntest/fixtures/\n`);
    try {
      const result = scan(tree);
      assert.equal(result.status, 0, result.stdout);
      assert.equal(result.stdout, '');
    } finally {
      fs.rmSync(path.join(tree, '.apikeyguardignore'));
    }
  });

  it("finds custom providers' keys with --providers-file, and exits 2 for an unreadable one", () => {
    const acme = {
      id: 'acme',
      displayName: 'Acme API',
      baseUrl: 'https://api.acme.example',
      auth: { in: 'header', name: 'X-Acme-Key' },
      envVars: ['ACME_API_KEY'],
      docsUrl: 'https://docs.acme.example/auth',
      check: { path: '/v1/me' },
    };
    fs.writeFileSync(path.join(tree, 'providers.json'), JSON.stringify({ providers: [acme, { id: 'broken' }] }));
    fs.writeFileSync(path.join(tree, 'acme.sh'), `export ACME_API_KEY=${OTHER}\ncurl -H "X-Acme-Key: ${SECRET}" https://api.acme.example/v1/me\n`);
    try {
      const ruleIds = (result: { stdout: string }) => (JSON.parse(result.stdout) as { ruleId: string }[]).map((item) => item.ruleId);
      // Without the definitions, the names still say key: the variable holds only a key, the header's name ends in Key.
      assert.deepEqual(ruleIds(scan(tree, '--format', 'json', 'acme.sh')), ['named-api-key', 'generic-secret']);
      const custom = scan(tree, '--format', 'json', '--providers-file', 'providers.json', 'acme.sh');
      assert.equal(custom.status, 1);
      assert.deepEqual(ruleIds(custom), ['acme-key', 'x-acme-key-header']);
      assert.match(custom.stderr, /skipped/);
      const sarif = JSON.parse(scan(tree, '--format', 'sarif', '--providers-file', 'providers.json', 'acme.sh').stdout) as {
        runs: { tool: { driver: { rules: { id: string }[] } } }[];
      };
      assert.ok(sarif.runs[0]?.tool.driver.rules.some((rule) => rule.id === 'x-acme-key-header'));
      assert.equal(scan(tree, '--providers-file', 'missing.json', 'acme.sh').status, 2);
    } finally {
      fs.rmSync(path.join(tree, 'providers.json'));
      fs.rmSync(path.join(tree, 'acme.sh'));
    }
  });

  it('exits 2 for a bad format, an unknown option or a missing path, and documents itself', () => {
    assert.equal(scan(tree, '--format', 'xml').status, 2);
    assert.equal(scan(tree, '--bogus').status, 2);
    assert.equal(scan(tree, 'missing').status, 2);
    const help = scan(tree, '--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--format text\|json\|sarif/);
  });

  it('writes SARIF 2.1.0 with rules, relative URIs, regions and fingerprints', () => {
    const sarif = JSON.parse(scan(tree, '--format', 'sarif').stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    const ids = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.shortDescription.text.length > 0);
      assert.match(rule.helpUri, new RegExp(`#rule-${rule.id}$`));
    }
    assert.deepEqual(run.results[0].locations[0].physicalLocation, {
      artifactLocation: { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1, startColumn: 17, endLine: 1, endColumn: 45 },
    });
    assert.equal(run.results[0].level, 'warning');
    assert.equal(ids[run.results[0].ruleIndex], run.results[0].ruleId);
    assert.deepEqual(run.results[0].partialFingerprints, { 'secretFingerprint/v1': fingerprintOf(SECRET) });
    assert.deepEqual(run.results[0].properties, { evidence: 'name token1 (token)' });
    // The key in test/fixtures is reported by the same rule, one level lower.
    assert.deepEqual(
      run.results.map((result: { ruleId: string; level: string }) => `${result.ruleId} ${result.level}`),
      ['generic-secret warning', 'uppzy-key note'],
    );
    assert.ok(!JSON.stringify(sarif).includes(SECRET));
  });

  it('leaves out test, fixture and example folders with --exclude-test-paths', () => {
    const result = scan(tree, '--format', 'json', '--exclude-test-paths');
    assert.deepEqual(
      JSON.parse(result.stdout).map((item: { file: string }) => item.file),
      ['src/app.ts'],
    );
  });
});

describe('scanner: path patterns', () => {
  const verdict = (patterns: string[], file: string, isDirectory = false) => matchPatterns(compilePatterns(patterns), file, isDirectory);

  it('follows gitignore rules: basename anywhere, anchored paths, directories, **, negation', () => {
    assert.equal(verdict(['*.log'], 'a/b/c.log'), true);
    assert.equal(verdict(['/build'], 'src/build'), undefined);
    assert.equal(verdict(['docs/*.md'], 'docs/a.md'), true);
    assert.equal(verdict(['docs/*.md'], 'docs/x/a.md'), undefined);
    assert.equal(verdict(['**/fixtures/**'], 'a/fixtures/b/c.json'), true);
    assert.equal(verdict(['tmp/'], 'tmp'), undefined);
    assert.equal(verdict(['tmp/'], 'tmp', true), true);
    assert.equal(verdict(['*.env', '!keep.env'], 'keep.env'), false);
  });

  it('matches exact names, name endings and wildcards alike when a list mixes them', () => {
    const list = ['yarn.lock', '*.png', 'cache-*.json', '\\#notes', 'log[0-9].txt', '*.tar.gz', '*'];
    assert.equal(verdict(list.slice(0, 6), 'a/yarn.lock'), true);
    assert.equal(verdict(list.slice(0, 6), 'yarn.lock.bak'), undefined);
    assert.equal(verdict(list.slice(0, 6), 'img/logo.png'), true);
    assert.equal(verdict(list.slice(0, 6), 'img/logo.png/readme.md'), undefined);
    assert.equal(verdict(list.slice(0, 6), 'img/png'), undefined);
    assert.equal(verdict(list.slice(0, 6), 'dist/app.tar.gz'), true);
    assert.equal(verdict(list.slice(0, 6), 'dist/app.gz'), undefined);
    assert.equal(verdict(list.slice(0, 6), 'a/cache-12.json'), true);
    assert.equal(verdict(list.slice(0, 6), '#notes'), true);
    assert.equal(verdict(list.slice(0, 6), 'log7.txt'), true);
    assert.equal(verdict(list.slice(0, 6), 'logx.txt'), undefined);
    assert.equal(verdict(list, 'anything'), true);
  });

  it('keeps SARIF URIs relative with forward slashes', () => {
    const [finding] = scanText(`token = "${SECRET}"`, { fileName: 'a.ini' });
    const sarif = formatSarif([{ file: 'dir with space/a.ini', finding: finding! }], { version: '0', homepage: 'https://x.test/#readme' }) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    assert.equal(sarif.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri, 'dir%20with%20space/a.ini');
  });
});
