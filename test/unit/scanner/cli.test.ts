import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fingerprintOf, legacyFingerprintOf } from '../../../src/core/scanner/fingerprint';
import { build, type BuildOptions } from 'esbuild';
import { formatSarif } from '../../../src/core/scanner/report';
import { scanText } from '../../../src/core/scanner/engine';

const ROOT = path.join(__dirname, '../../../..');
const SECRET = 'Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k';
const OTHER = 'Hq2Lm9Pz4Rt8Vw1Xy5Bc3Dn6Fh7';
/** The CLI bundled as dist/cli.js is, from this checkout, into a private folder: never a stale dist/ left from another one. */
let cli = '';

function scan(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  // A timeout, so a scan that hangs (on a FIFO, say) fails the test instead of the run.
  const result = spawnSync(process.execPath, [cli, 'scan', ...args], { cwd, encoding: 'utf8', timeout: 15_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('scan command (the bundled CLI)', function () {
  this.timeout(20000);
  let bundleDir: string;
  let tree: string;

  before(async function () {
    this.timeout(60_000);
    bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'akg-scan-cli-'));
    cli = path.join(bundleDir, 'cli.js');
    const { cliBuilds } = require(path.join(ROOT, 'esbuild.js')) as { cliBuilds(outdir: string): BuildOptions[] };
    await Promise.all(cliBuilds(bundleDir).map((options) => build({ ...options, absWorkingDir: ROOT, logLevel: 'silent' })));
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

  after(() => {
    fs.rmSync(tree, { recursive: true, force: true });
    fs.rmSync(bundleDir, { recursive: true, force: true });
  });

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
        message: 'A secret looks hardcoded in token1. Read it from the environment variable TOKEN1 or a secret manager at run time.',
        variable: 'TOKEN1',
        preview: '****hJ6k',
        evidence: 'name token1 (token)',
        fingerprint: fingerprintOf(SECRET, 'generic-secret'),
      },
      {
        file: '../test/fixtures/keys.env',
        line: 1,
        column: 15,
        endLine: 1,
        endColumn: 42,
        ruleId: 'uppzy-key',
        severity: 'error',
        message: 'A key for Uppzy M2M API is hardcoded in UPPZY_API_KEY. Read it from the environment variable UPPZY_API_KEY or a secret manager at run time.',
        variable: 'UPPZY_API_KEY',
        evidence: 'name UPPZY_API_KEY',
        testPath: true,
        preview: '****6Fh7',
        fingerprint: fingerprintOf(OTHER, 'uppzy-key'),
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
    fs.writeFileSync(path.join(tree, '.apikeyguardignore'), `${fingerprintOf(SECRET, 'generic-secret')}\ntest/fixtures/\n`);
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
    assert.deepEqual(run.results[0].partialFingerprints, { 'secretFingerprint/v2': fingerprintOf(SECRET, 'generic-secret') });
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

  /** A fresh tree of its own for a test that writes odd files; removed after it. */
  function withTree(files: Record<string, string>, test: (dir: string) => void): void {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akg-scan-odd-'));
    try {
      for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), content);
      }
      test(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const UNSAFE = /[\p{Cc}\p{Cf}]/u;
  /** The files a text report names, in its order. */
  const reportedFiles = (stdout: string): string[] =>
    stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(':')[0] as string);

  it('writes file names with line breaks, escapes and bidi overrides as visible escapes, so no line or annotation is forged', () => {
    const names = ['a\n::error file=x.js,line=1::forged.js', 'b\x1b]52;c;ZXZpbA==\x07\x1b[2J.js', 'c\u202egnp.js', 'd\x9b31m.js'];
    withTree(Object.fromEntries(names.map((name) => [name, `const apiKey = "${SECRET}";\n`])), (dir) => {
      const text = scan(dir);
      assert.equal(text.status, 1);
      const lines = text.stdout.split('\n').filter((line) => line !== '');
      assert.equal(lines.length, names.length, text.stdout);
      assert.ok(
        lines.every((line) => !line.startsWith('::') && !UNSAFE.test(line.replace(/\t/g, ''))),
        text.stdout,
      );
      assert.ok(
        lines.includes(
          'a\\n::error file=x.js,line=1::forged.js:1:17 named-api-key A key is hardcoded in apiKey. Read it from the environment variable API_KEY or a secret manager at run time.',
        ),
      );
      // JSON keeps the names exactly, with every control and format character as a \u escape.
      const json = scan(dir, '--format', 'json');
      assert.ok(!UNSAFE.test(json.stdout.replace(/\n/g, '')), json.stdout);
      assert.deepEqual((JSON.parse(json.stdout) as { file: string }[]).map((item) => item.file).sort(), [...names].sort());
    });
  });

  it('escapes paths quoted on stderr too', () => {
    withTree({}, (dir) => {
      const result = scan(dir, 'missing\n::error::forged\x1b[31m');
      assert.equal(result.status, 2);
      assert.equal(result.stderr, 'api-key-guard scan: no such file or directory: missing\\n::error::forged\\x1b[31m\n');
    });
  });

  it('percent-encodes SARIF artifact URIs, so a name with # or ? is not cut short', () => {
    withTree({ 'notes #1?.js': `const apiKey = "${SECRET}";\n`, 'dir%20x/a&b=c;d.js': `const apiKey = "${SECRET}";\n` }, (dir) => {
      const sarif = JSON.parse(scan(dir, '--format', 'sarif').stdout);
      const uris = sarif.runs[0].results.map((result: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => {
        return result.locations[0]?.physicalLocation.artifactLocation.uri;
      });
      assert.deepEqual(uris, ['dir%2520x/a%26b%3Dc%3Bd.js', 'notes%20%231%3F.js']);
      assert.deepEqual(
        uris.map((uri: string) => new URL(uri, 'file:///repo/').pathname),
        ['/repo/dir%2520x/a%26b%3Dc%3Bd.js', '/repo/notes%20%231%3F.js'],
      );
      assert.deepEqual(
        uris.map((uri: string) => uri.split('/').map(decodeURIComponent).join('/')),
        ['dir%20x/a&b=c;d.js', 'notes #1?.js'],
      );
    });
  });

  it('skips a FIFO and symbolic links named on the command line or met in the walk, and says so', () => {
    withTree({ 'src/app.ts': `const apiKey = "${SECRET}";\n` }, (dir) => {
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'akg-outside-'));
      try {
        fs.writeFileSync(path.join(outside, 'credentials'), `aws_secret_access_key = ${OTHER}${OTHER.slice(0, 13)}\n`);
        fs.symlinkSync(path.join(outside, 'credentials'), path.join(dir, 'src/linked-credentials'));
        fs.symlinkSync(outside, path.join(dir, 'linked-dir'));
        assert.equal(spawnSync('mkfifo', [path.join(dir, 'pipe')]).status, 0);
        const named = scan(dir, 'pipe', 'src/linked-credentials', 'linked-dir', 'src/app.ts');
        assert.equal(named.status, 1, named.stderr);
        assert.deepEqual(reportedFiles(named.stdout), ['src/app.ts']);
        assert.match(named.stderr, /^api-key-guard scan: pipe: skipped: not a regular file \(a FIFO, socket or device\)$/m);
        assert.match(named.stderr, /^api-key-guard scan: src\/linked-credentials: skipped: a symbolic link, not followed$/m);
        assert.match(named.stderr, /^api-key-guard scan: linked-dir: skipped: a symbolic link, not followed$/m);
        const walked = scan(dir);
        assert.equal(walked.status, 1);
        assert.match(walked.stderr, /^api-key-guard scan: pipe: skipped: not a regular file/m);
        assert.match(walked.stderr, /^api-key-guard scan: src\/linked-credentials: skipped: a symbolic link, not followed$/m);
      } finally {
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });
  });

  it('skips a .gitignore line git never matches, with a warning, and keeps the others', () => {
    withTree(
      { '.gitignore': 'build/\n[z-a]\nfoo\\\n', 'build/out.js': `const apiKey = "${SECRET}";\n`, 'src/a.ts': `const apiKey = "${SECRET}";\n` },
      (dir) => {
        const result = scan(dir);
        assert.equal(result.status, 1, result.stderr);
        assert.deepEqual(reportedFiles(result.stdout), ['src/a.ts']);
        assert.match(result.stderr, /^api-key-guard scan: \.gitignore:2: line skipped: its range z-a is reversed, which git never matches$/m);
        assert.match(result.stderr, /^api-key-guard scan: \.gitignore:3: line skipped: it ends with an unescaped backslash/m);
        assert.equal(scan(dir, '--exclude', '[9-0]').status, 1);
      },
    );
  });

  it('warns once of old sha256: ignore entries, and --update-ignore-file replaces those that hid a finding', () => {
    const old = legacyFingerprintOf(SECRET);
    const gone = legacyFingerprintOf('a secret no longer in the tree');
    const ignoreFile = `# reviewed\n${old}  # src/app.ts test key\n${gone}\n`;
    withTree({ 'src/app.ts': `const apiKey = "${SECRET}";\nconst again = { apiKey: "${SECRET}" };\n`, '.apikeyguardignore': ignoreFile }, (dir) => {
      const warned = scan(dir);
      assert.equal(warned.status, 0, warned.stdout);
      const warnings = warned.stderr.split('\n').filter(Boolean);
      assert.equal(warnings.length, 1, warned.stderr);
      assert.match(
        warnings[0] ?? '',
        /has 2 old sha256: fingerprint\(s\).*--update-ignore-file.*replace the 1 that hid a finding.*delete the 1 that hid nothing/,
      );
      const updated = scan(dir, '--update-ignore-file');
      assert.equal(updated.status, 0);
      assert.match(updated.stderr, /updated \.apikeyguardignore: replaced 1 old sha256: entry by scrypt: fingerprints; 1 hid nothing/);
      const fresh = fingerprintOf(SECRET, 'named-api-key');
      assert.equal(fs.readFileSync(path.join(dir, '.apikeyguardignore'), 'utf8'), `# reviewed\n${fresh}  # src/app.ts test key\n${gone}\n`);
      const after = scan(dir);
      assert.equal(after.status, 0);
      assert.match(after.stderr, /has 1 old sha256: fingerprint\(s\)/);
    });
  });
});

describe('scanner: SARIF', () => {
  it('keeps SARIF URIs relative with forward slashes', () => {
    const [finding] = scanText(`token = "${SECRET}"`, { fileName: 'a.ini' });
    const sarif = formatSarif([{ file: 'dir with space/a.ini', finding: finding! }], { version: '0', homepage: 'https://x.test/#readme' }) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    assert.equal(sarif.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri, 'dir%20with%20space/a.ini');
  });
});
