import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as redaction from '../../src/core/redaction';

const SRC = path.resolve(__dirname, '..', '..', '..', 'src');
const CORE = path.join(SRC, 'core');

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module a source file imports or requires, as written: `import … from 'x'`, `import('x')`, `require('x')`. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g)].map((match) => match[1] ?? match[2]!);
}

/** The top folder of src/ (core, cli, extension) that a relative import from `file` lands in. */
function layerOf(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) {
    return undefined;
  }
  const target = path.relative(SRC, path.resolve(path.dirname(file), specifier));
  return target.startsWith('..') ? 'outside src' : target.split(path.sep)[0];
}

const relative = (file: string) => path.relative(SRC, file).split(path.sep).join('/');

describe('architecture', () => {
  it('src/core never imports vscode, so the CLI and plain-Node tests can use all of it', () => {
    const files = sourceFiles(CORE);
    assert.ok(files.length > 5, 'found the core sources');
    const offenders = files.filter((file) => importsOf(file).includes('vscode'));
    assert.deepEqual(offenders, []);
  });

  it('imports point only into core: core imports neither cli nor extension, and cli and extension never import each other', () => {
    const allowed: Record<string, readonly string[]> = { core: ['core'], cli: ['cli', 'core'], extension: ['extension', 'core'] };
    const offenders: string[] = [];
    for (const [layer, into] of Object.entries(allowed)) {
      const files = sourceFiles(path.join(SRC, layer));
      assert.ok(files.length > 2, `found the ${layer} sources`);
      for (const file of files) {
        for (const specifier of importsOf(file)) {
          const target = layerOf(file, specifier);
          // The manifest is data every layer may read (the CLI's version, the scanner's homepage).
          if (target !== undefined && !into.includes(target) && !specifier.endsWith('/package.json')) {
            offenders.push(`${relative(file)} imports ${specifier} (${target})`);
          }
        }
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('finds an import that crosses layers (the check above can fail)', () => {
    const file = path.join(SRC, 'core', 'x.ts');
    assert.equal(layerOf(file, '../extension/log'), 'extension');
    assert.equal(layerOf(file, './providers'), 'core');
    assert.equal(layerOf(path.join(SRC, 'cli', 'main.ts'), '../../package.json'), 'outside src');
  });

  it('only the check engine imports undici, so callers can load the HTTP client on demand', () => {
    const importers = sourceFiles(SRC).filter((file) => importsOf(file).includes('undici'));
    assert.deepEqual(importers.map(relative), ['core/checkEngine.ts']);
  });

  it('one redactor masks what people see: the check engine (so notifications and stored last checks), the log, the key store, command errors and the CLI', () => {
    // The redaction module offers one way to mask text with secrets, so no caller can pick a weaker one.
    assert.deepEqual(Object.keys(redaction).sort(), ['MIN_FRAGMENT_LENGTH', 'createRedactor', 'maskSecret', 'quoteIfName']);
    const usesRedactor = (file: string) =>
      /\bimport\s*\{[^}]*\bcreateRedactor\b[^}]*\}\s*from\s*['"][./]*(?:core\/)?redaction['"]/.test(fs.readFileSync(path.join(SRC, file), 'utf8'));
    for (const file of ['core/checkEngine.ts', 'extension/log.ts', 'extension/keyStore.ts', 'extension/commands/registry.ts', 'cli/checkCommand.ts']) {
      assert.ok(usesRedactor(file), `${file} masks with createRedactor`);
    }
    // Outside the redaction module, only whole-key masks for display (a tree row, a notification about a
    // key the user just handled, a finding's preview) and message wording use it.
    const imported = sourceFiles(SRC).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*['"][./]*(?:core\/)?redaction['"]/g)].flatMap((match) =>
        match[1]!.split(',').map((name) => name.trim()),
      ),
    );
    assert.deepEqual([...new Set(imported)].sort(), ['createRedactor', 'maskSecret', 'quoteIfName']);
  });
});
