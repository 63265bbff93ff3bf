import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const CORE = path.resolve(__dirname, '..', '..', '..', 'src', 'core');

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('architecture', () => {
  it('src/core never imports vscode, so the CLI and plain-Node tests can use all of it', () => {
    const files = sourceFiles(CORE);
    assert.ok(files.length > 5, 'found the core sources');
    const offenders = files.filter((file) =>
      /\bfrom\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\)/.test(fs.readFileSync(file, 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });

  it('only the check engine imports undici, so callers can load the HTTP client on demand', () => {
    const importers = sourceFiles(CORE).filter((file) => /from\s+['"]undici['"]/.test(fs.readFileSync(file, 'utf8')));
    assert.deepEqual(
      importers.map((file) => path.basename(file)),
      ['checkEngine.ts'],
    );
  });
});
