// Bundles the extension and the CLI. `vscode` stays external: the editor provides it.
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
 * The check engine carries undici (about 1 MB) and lives in its own bundle, loaded on the first check:
 * the extension's activation and `api-key-guard scan` never parse it.
 */
const checkEngineApart = {
  name: 'check-engine-apart',
  setup(build) {
    build.onResolve({ filter: /\/core\/checkEngine$/ }, () => ({ path: './checkEngine.js', external: true }));
  },
};

/** The command-line tool as shipped: `cli.js` and the check engine beside it, in `outdir`. */
function cliBuilds(outdir) {
  return [
    { ...common, entryPoints: ['src/core/checkEngine.ts'], outfile: `${outdir}/checkEngine.js` },
    { ...common, entryPoints: ['src/cli/main.ts'], outfile: `${outdir}/cli.js`, banner: { js: '#!/usr/bin/env node' }, plugins: [checkEngineApart] },
  ];
}

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [checkEngineApart] },
  ...cliBuilds('dist'),
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

module.exports = { cliBuilds };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
