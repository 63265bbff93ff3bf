// `npm run bench`: compiles, then runs every bench/*.bench.ts in its own process, one after another,
// so one benchmark's memory and timers never colour another's figures.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const only = process.argv.slice(2);

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], { stdio: 'inherit', cwd: root });
const benches = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((word) => name.includes(word)))
  .sort();
let failed = false;
for (const name of benches) {
  const compiled = path.join(root, 'out', 'bench', name.replace(/\.ts$/, '.js'));
  console.log(`\n=== ${name}`);
  try {
    execFileSync(process.execPath, ['--expose-gc', compiled], { stdio: 'inherit', cwd: root });
  } catch {
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
