// Bundles the extension and the CLI. `vscode` stays external: the editor provides it.
const path = require('node:path');
const esbuild = require('esbuild');

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
  legalComments: 'linked',
  logLevel: 'info',
};

/**
 * The check engine carries undici (about 1 MB): the extension loads it from its own bundle on the first
 * check, so activation never parses it.
 */
const checkEngineApart = {
  name: 'check-engine-apart',
  setup(build) {
    build.onResolve({ filter: /\/core\/checkEngine$/ }, (args) =>
      args.importer.includes(`${path.sep}extension${path.sep}`) ? { path: './checkEngine.js', external: true } : undefined,
    );
  },
};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [checkEngineApart] },
  { ...common, entryPoints: ['src/core/checkEngine.ts'], outfile: 'dist/checkEngine.js' },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

async function main() {
  if (watch) {
    for (const options of builds) {
      const context = await esbuild.context(options);
      await context.watch();
    }
    return;
  }
  await Promise.all(builds.map((options) => esbuild.build(options)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
