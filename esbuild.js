// Bundles the extension and the CLI. `vscode` stays external: the editor provides it.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  // The licence comments of bundled sources go to <bundle>.LEGAL.txt, which the .vsix ships.
  legalComments: 'linked',
  metafile: true,
  // jsonc-parser's UMD build hides its requires from the bundler; its ES module build does not.
  mainFields: ['module', 'main'],
  logLevel: 'info',
};

/**
 * The check engine carries undici (about 1 MB) and lives in its own bundle, loaded on the first check:
 * the extension's activation and `api-key-guard scan` never parse it.
 */
const checkEngineApart = {
  name: 'check-engine-apart',
  setup(build) {
    build.onResolve({ filter: /\/core\/checkEngine$/ }, () => ({ path: './checkEngine.js', external: true }));
  },
};

/** The flow that moves keys out of files, with jsonc-parser: loaded on first use, so activation does not parse it. */
const keyMigrationApart = {
  name: 'key-migration-apart',
  setup(build) {
    build.onResolve({ filter: /\/keyMigrationFlow$/ }, () => ({ path: './keyMigration.js', external: true }));
  },
};

/**
 * The command-line tool as shipped: `cli.js`, and beside it the check engine and the history scan's
 * reader thread (a worker runs a file of its own), in `outdir`.
 */
function cliBuilds(outdir) {
  return [
    { ...common, entryPoints: ['src/core/checkEngine.ts'], outfile: `${outdir}/checkEngine.js` },
    { ...common, entryPoints: ['src/core/git/patchWorker.ts'], outfile: `${outdir}/patchWorker.js` },
    { ...common, entryPoints: ['src/cli/main.ts'], outfile: `${outdir}/cli.js`, banner: { js: '#!/usr/bin/env node' }, plugins: [checkEngineApart] },
  ];
}

/**
 * The extension's bundle, in `outdir`, and the launcher its terminals with keys start (a program of its own,
 * run by the extension host's executable); `minify` as shipped (`--production`).
 */
function extensionBuild(outdir, options = {}) {
  return {
    ...common,
    ...options,
    entryPoints: { extension: 'src/extension/extension.ts', terminalLauncher: 'src/extension/terminalLauncher.ts' },
    outdir,
    external: ['vscode'],
    plugins: [checkEngineApart, keyMigrationApart],
  };
}

/** The bundle the extension loads apart: the key migration flow (see keyMigrationApart). */
function keyMigrationBuild(outdir, options = {}) {
  return { ...common, ...options, entryPoints: ['src/extension/keyMigrationFlow.ts'], outfile: `${outdir}/keyMigration.js`, external: ['vscode'] };
}

/** The npm packages whose code the builds' outputs contain, as their folders under node_modules, from esbuild's metafiles. */
function bundledPackages(metafiles) {
  const folders = new Set();
  for (const metafile of metafiles) {
    for (const output of Object.values(metafile.outputs)) {
      for (const input of Object.keys(output.inputs)) {
        const folder = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
        if (folder) folders.add(folder);
      }
    }
  }
  return [...folders].sort();
}

/**
 * `THIRD-PARTY-NOTICES.txt` in `outdir`: the licence of every npm package bundled, which their licences
 * (MIT and the like) require to travel with the copies. A bundled package without a licence file stops the build.
 */
function writeNotices(metafiles, outdir) {
  const sections = bundledPackages(metafiles).map((relative) => {
    const folder = path.join(__dirname, relative);
    const { name, version, license } = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
    const licenceFile = fs.readdirSync(folder).find((file) => /^licen[cs]e/i.test(file));
    if (!licenceFile) {
      throw new Error(`${name} is bundled but has no licence file to ship with it`);
    }
    return `${name} ${version} (${license})\n\n${fs.readFileSync(path.join(folder, licenceFile), 'utf8').trim()}\n`;
  });
  const text = `API Key Guard's bundles in this folder contain the following npm packages, under these licences.\n\n${sections.join('\n---\n\n')}`;
  fs.writeFileSync(path.join(outdir, 'THIRD-PARTY-NOTICES.txt'), text);
}

const builds = [extensionBuild('dist'), keyMigrationBuild('dist'), ...cliBuilds('dist')];

async function main() {
  if (watch) {
    for (const options of builds) {
      const context = await esbuild.context(options);
      await context.watch();
    }
    return;
  }
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  writeNotices(
    results.map((result) => result.metafile),
    'dist',
  );
}

module.exports = { cliBuilds, extensionBuild, keyMigrationBuild, bundledPackages };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
