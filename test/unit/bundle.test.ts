/**
 * What ships: the bundles as esbuild's metafile describes them, and the .vsix's file list as vsce computes it
 * from .vscodeignore over the dist/ that `npm test` has just built.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';

const root = path.resolve(__dirname, '../../..');
const { cliBuilds, extensionBuild, keyMigrationBuild, bundledPackages } = require(path.join(root, 'esbuild.js')) as {
  cliBuilds(outdir: string): BuildOptions[];
  extensionBuild(outdir: string, options?: BuildOptions): BuildOptions;
  keyMigrationBuild(outdir: string, options?: BuildOptions): BuildOptions;
  bundledPackages(metafiles: readonly Metafile[]): string[];
};

/**
 * The budget for dist/extension.js as shipped (minified). VS Code loads and parses the whole bundle when the
 * extension activates at startup (onStartupFinished), so it stays small: 282 KB today, of which 56 KB is the
 * vendor catalogue the linter needs for the first open document, 13 KB the catalogue providers, 12 KB the
 * validation of custom providers (WebSocket checks included), and the rest mostly the built-in providers and the
 * adapters that give keys to programs (debug sessions, tasks, terminals, agents' tools, MCP servers): room to grow
 * by about 13%, and far below what undici alone (550 KB minified) or any other heavy dependency would add.
 */
const EXTENSION_BUDGET_BYTES = 320 * 1024;

describe('bundles and package', function () {
  this.timeout(60_000);
  let outdir: string;
  let extension: Metafile['outputs'][string];
  let checkEngine: Metafile['outputs'][string];
  let keyMigration: Metafile['outputs'][string];
  let metafiles: Metafile[];

  before(async () => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'akg-bundle-'));
    const options = [extensionBuild(outdir, { minify: true, sourcemap: false }), keyMigrationBuild(outdir), ...cliBuilds(outdir)];
    const results = await Promise.all(options.map((option) => build({ ...option, minify: true, sourcemap: false, absWorkingDir: root, logLevel: 'silent' })));
    metafiles = results.map((result) => result.metafile!);
    const output = (name: string) => metafiles.flatMap((metafile) => Object.entries(metafile.outputs)).find(([file]) => file.endsWith(`/${name}`))![1];
    extension = output('extension.js');
    checkEngine = output('checkEngine.js');
    keyMigration = output('keyMigration.js');
  });
  after(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('keeps undici and the check engine out of dist/extension.js: they load on the first check', () => {
    const inputs = Object.keys(extension.inputs);
    assert.ok(
      inputs.some((input) => input.endsWith('src/extension/extension.ts')),
      'read the extension bundle',
    );
    assert.deepEqual(
      inputs.filter((input) => /node_modules\/undici\/|src\/core\/checkEngine\.ts$/.test(input)),
      [],
    );
    // The same question asked of the bundle that does carry them.
    assert.ok(Object.keys(checkEngine.inputs).some((input) => input.includes('node_modules/undici/')));
  });

  it('keeps jsonc-parser and the key migration flow out of dist/extension.js: they load on first use', () => {
    const apart = /node_modules\/jsonc-parser\/|src\/extension\/keyMigrationFlow\.ts$/;
    assert.deepEqual(
      Object.keys(extension.inputs).filter((input) => apart.test(input)),
      [],
    );
    assert.equal(Object.keys(keyMigration.inputs).filter((input) => apart.test(input)).length > 1, true, 'the bundle apart carries them');
  });

  it(`keeps dist/extension.js within its budget of ${EXTENSION_BUDGET_BYTES / 1024} KB, minified as shipped`, () => {
    assert.ok(extension.bytes <= EXTENSION_BUDGET_BYTES, `dist/extension.js is ${Math.round(extension.bytes / 1024)} KB`);
  });

  it('names undici and jsonc-parser as the npm packages the bundles carry, so their licences are shipped', () => {
    assert.deepEqual(bundledPackages(metafiles), ['node_modules/jsonc-parser', 'node_modules/undici']);
  });

  it('packages the bundles with the licences of what they bundle, and nothing else', () => {
    const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' }).trim().split('\n').sort();
    assert.deepEqual(files, [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/THIRD-PARTY-NOTICES.txt',
      'dist/checkEngine.js',
      'dist/checkEngine.js.LEGAL.txt',
      'dist/cli.js',
      'dist/extension.js',
      'dist/keyMigration.js',
      'dist/patchWorker.js',
      'dist/terminalLauncher.js',
      'media/activity-bar.svg',
      'media/icon.png',
      'media/walkthrough/add-key.svg',
      'media/walkthrough/check-key.svg',
      'media/walkthrough/give-key.svg',
      'media/walkthrough/scan-workspace.svg',
      'package.json',
      'schemas/launch-keys.schema.json',
    ]);
    const notices = fs.readFileSync(path.join(root, 'dist', 'THIRD-PARTY-NOTICES.txt'), 'utf8');
    const undiciLicence = fs.readFileSync(path.join(root, 'node_modules', 'undici', 'LICENSE'), 'utf8').trim();
    assert.ok(notices.includes(`undici ${require(path.join(root, 'node_modules', 'undici', 'package.json')).version} (MIT)`), notices.slice(0, 200));
    assert.ok(notices.includes(undiciLicence), "the notices carry undici's licence text");
    assert.match(fs.readFileSync(path.join(root, 'dist', 'checkEngine.js.LEGAL.txt'), 'utf8'), /MIT License/);
  });
});
