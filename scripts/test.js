// `npm test`: installs what is missing, builds, then runs the lint, unit, integration and e2e levels in turn;
// the integration level runs in the current VS Code and in the oldest that engines.vscode accepts.
// `npm test -- unit` (or lint, integration, e2e) runs only those levels; `--update-screenshots` (npm run
// screenshots) makes the e2e level write the README's pictures. Exit code is non-zero if any level fails,
// or cannot run here (what it needs and how to install it by hand is printed instead).
const { spawn } = require('node:child_process');
const path = require('node:path');
const { blocks, ensurePrerequisites, levelNeeds, testHostVersion, LEVEL_NEEDS, root } = require('./prerequisites');

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
      // A run may hold several mocha suites (the integration level runs two): their counts add up.
      const count = (word) => [...output.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))].reduce((sum, match) => sum + Number(match[1]), 0);
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

/** The runs of a level, each counted on its own: the integration suite runs once in each of its test hosts. */
const LEVEL_RUNS = {
  lint: () => [{ label: 'lint', needs: LEVEL_NEEDS.lint, start: lint }],
  unit: () => [{ label: 'unit', needs: LEVEL_NEEDS.unit, start: () => runCounted(node, [mocha()]) }],
  integration: () =>
    LEVEL_NEEDS.integration.hosts.map((host) => ({
      label: `integration (VS Code ${testHostVersion(host)})`,
      needs: { browser: true, hosts: [host] },
      start: () => runCounted(node, [path.join(root, 'out', 'test', 'harness', 'integration.js'), host]),
    })),
  e2e: () => [{ label: 'e2e', needs: LEVEL_NEEDS.e2e, start: () => runCounted(node, [mocha(), '--config', path.join(root, 'test', 'e2e', '.mocharc.json')]) }],
};

async function main() {
  if (process.argv.includes('--update-screenshots')) {
    // Read by the e2e suite: its screenshots replace the README's pictures in docs/images.
    process.env.API_KEY_GUARD_UPDATE_SCREENSHOTS = '1';
  }
  const requested = process.argv.slice(2).filter((arg) => LEVELS.includes(arg));
  const levels = requested.length > 0 ? requested : LEVELS;
  const problems = ensurePrerequisites(levelNeeds(levels));

  await run(node, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', root]);
  await run(node, [path.join(root, 'esbuild.js')]);

  const summary = [];
  for (const level of levels) {
    for (const { label, needs, start } of LEVEL_RUNS[level]()) {
      const blocker = problems.find((problem) => blocks(problem, needs));
      if (blocker) {
        process.stdout.write(`\n=== ${label} tests: not run\n${blocker.advice}\n`);
        summary.push({ label, passed: 0, failed: 1, pending: 0, notRun: true });
        continue;
      }
      process.stdout.write(`\n=== ${label} tests\n`);
      const started = Date.now();
      const result = await start();
      // A crashed run that printed no failing count still fails.
      const failed = result.code !== 0 && result.failed === 0 ? 1 : result.failed;
      summary.push({ label, passed: result.passed, failed, pending: result.pending, seconds: Math.round((Date.now() - started) / 1000) });
    }
  }
  process.stdout.write('\n');
  for (const { label, passed, failed, pending, notRun, seconds } of summary) {
    process.stdout.write(
      notRun ? `${label}: not run (see above)\n` : `${label}: ${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''} (${seconds} s)\n`,
    );
  }
  const passed = summary.reduce((sum, run) => sum + run.passed, 0);
  const failed = summary.reduce((sum, run) => sum + run.failed, 0);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(`npm test: ${error.message}\n`);
  process.exitCode = 1;
});
