// `npm test`: installs what is missing, builds, then runs the unit, integration and e2e levels in turn.
// `npm test -- unit` (or lint, integration, e2e) runs only those levels. Exit code is non-zero if any level fails.
const { spawn } = require('node:child_process');
const path = require('node:path');
const { ensurePrerequisites, root } = require('./prerequisites');

const LEVELS = ['lint', 'unit', 'integration', 'e2e'];

/** Runs a command, echoing its output, and reads mocha's "N passing" / "N failing" lines from it. */
function runCounted(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const echo = (stream) => (chunk) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('close', (code) => {
      const count = (word) => Number((output.match(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'm')) ?? [])[1] ?? 0);
      resolve({ code: code ?? 1, passed: count('passing'), failed: count('failing'), pending: count('pending') });
    });
  });
}

function run(command, args) {
  return runCounted(command, args).then((result) => {
    if (result.code !== 0) {
      throw new Error(`${path.basename(command)} ${args.join(' ')} exited with ${result.code}`);
    }
  });
}

const node = process.execPath;
const mocha = () => path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');

const bin = (module, file) => path.join(path.dirname(require.resolve(`${module}/package.json`, { paths: [root] })), file);

/** The lint level: ESLint's type-aware rules, then Prettier's check; each tool counts as one check. */
async function lint() {
  const checks = [
    [node, [bin('eslint', 'bin/eslint.js'), '--max-warnings', '0', '.']],
    [node, [bin('prettier', 'bin/prettier.cjs'), '--check', '.']],
  ];
  let passed = 0;
  let failed = 0;
  for (const [command, args] of checks) {
    const result = await runCounted(command, args);
    if (result.code === 0) passed++;
    else failed++;
  }
  return { code: failed > 0 ? 1 : 0, passed, failed, pending: 0 };
}

const LEVEL_COMMANDS = {
  unit: () => [node, [mocha()]],
  integration: () => [node, [path.join(root, 'out', 'test', 'harness', 'integration.js')]],
  e2e: () => [node, [mocha(), '--config', path.join(root, 'test', 'e2e', '.mocharc.json')]],
};

async function main() {
  const requested = process.argv.slice(2).filter((arg) => LEVELS.includes(arg));
  const levels = requested.length > 0 ? requested : LEVELS;
  const needsEditor = levels.some((level) => level !== 'unit');
  ensurePrerequisites({ browser: needsEditor, testHost: needsEditor });

  await run(node, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', root]);
  await run(node, [path.join(root, 'esbuild.js')]);

  const summary = [];
  for (const level of levels) {
    process.stdout.write(`\n=== ${level} tests\n`);
    const result = level === 'lint' ? await lint() : await runCounted(...LEVEL_COMMANDS[level]());
    // A crashed run that printed no failing count still fails.
    const failed = result.code !== 0 && result.failed === 0 ? 1 : result.failed;
    summary.push({ level, passed: result.passed, failed, pending: result.pending });
  }
  process.stdout.write('\n');
  for (const { level, passed, failed, pending } of summary) {
    process.stdout.write(`${level}: ${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}\n`);
  }
  const passed = summary.reduce((sum, level) => sum + level.passed, 0);
  const failed = summary.reduce((sum, level) => sum + level.failed, 0);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(`npm test: ${error.message}\n`);
  process.exitCode = 1;
});
