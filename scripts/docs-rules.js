// `npm run docs:rules`: compiles, then writes README.md's table of vendor token formats from the catalogue.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], { stdio: 'inherit', cwd: root });
const { withVendorFormatsTable } = require(path.join(root, 'out/src/core/scanner/catalogueDocs.js'));
const readme = path.join(root, 'README.md');
const before = fs.readFileSync(readme, 'utf8');
const after = withVendorFormatsTable(before);
if (after !== before) fs.writeFileSync(readme, after);
console.log(after === before ? 'README.md is current' : 'README.md: vendor formats table rewritten');
