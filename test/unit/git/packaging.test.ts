import * as assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { startProviderServer, TEST_KEYS, TEST_PARAMS, type ProviderServer } from '../../fixtures/providerServers';
import { ensureCli, GIT_ENV, OTHER, Repo, ROOT, run, SECRET } from './repo';

function runAsync(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, options, (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

describe('packaging for CI: the npm package, the pre-commit framework, the GitHub Action', function () {
  this.timeout(120000);
  before(ensureCli);

  describe('npm pack', () => {
    let folder: string;
    let uppzy: ProviderServer;

    before(async () => {
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'akg-pack-'));
      uppzy = await startProviderServer('uppzy');
    });
    after(async () => {
      await uppzy.close();
      fs.rmSync(folder, { recursive: true, force: true });
    });

    it('makes a tarball of only what the CLI needs, which installs offline with no dependencies and runs scan and check', async () => {
      // --ignore-scripts: the bundles `npm test` built are the ones packed (prepack builds them for a release).
      const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', folder], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(packed.status, 0, packed.stderr);
      const [tarball] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
      assert.deepEqual(tarball?.files.map((file) => file.path).sort(), [
        'LICENSE',
        'README.md',
        'dist/checkEngine.js',
        'dist/checkEngine.js.LEGAL.txt',
        'dist/cli.js',
        'dist/patchWorker.js',
        'package.json',
      ]);
      const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      assert.equal(manifest.dependencies, undefined, 'undici is bundled into dist/checkEngine.js: nothing to install at run time');

      const project = path.join(folder, 'project');
      fs.mkdirSync(project);
      const installed = spawnSync('npm', ['install', path.join(folder, tarball?.filename ?? ''), '--offline', '--no-audit', '--no-fund'], {
        cwd: project,
        encoding: 'utf8',
      });
      assert.equal(installed.status, 0, installed.stderr);
      assert.deepEqual(
        fs.readdirSync(path.join(project, 'node_modules')).filter((name) => !name.startsWith('.')),
        ['api-key-guard'],
      );
      const bin = path.join(project, 'node_modules/.bin/api-key-guard');
      fs.writeFileSync(path.join(project, 'app.ts'), `const token1 = "${SECRET}";\n`);
      const scan = run(bin, ['scan', 'app.ts'], { cwd: project });
      assert.equal(scan.status, 1, scan.stderr);
      assert.match(scan.stdout, /^app\.ts:1:17 generic-secret/);
      // Asynchronously: the provider's local server answers from this process.
      const check = await runAsync(
        bin,
        ['check', '--provider', 'uppzy', '--base-url', uppzy.baseUrl, '--param', `tenantId=${TEST_PARAMS.uppzy?.tenantId}`, '--key-env', 'K'],
        {
          cwd: project,
          env: { ...process.env, K: TEST_KEYS.uppzy },
        },
      );
      assert.equal(check.status, 0, check.stderr);
      assert.match(check.stdout, /^ok /);

      // The hook of a user who has only the package in the project.
      const repo = new Repo();
      try {
        assert.equal(run(bin, ['install-hook'], { cwd: repo.dir, env: GIT_ENV }).status, 0);
        repo.write('a.ts', `const token2 = "${OTHER}";\n`);
        repo.git('add', '-A');
        const commit = run('git', ['commit', '-qm', 'key'], { cwd: repo.dir });
        assert.equal(commit.status, 1);
        assert.match(commit.stderr, /^API Key Guard stopped this commit/);
      } finally {
        repo.remove();
      }
    });
  });

  it('has a .pre-commit-hooks.yaml whose hook runs the staged scan, as the pre-commit framework reads it', () => {
    const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
    assert.equal(hooks.length, 1);
    const [hook] = hooks;
    assert.deepEqual(
      { id: hook?.id, language: hook?.language, entry: hook?.entry, pass_filenames: hook?.pass_filenames },
      { id: 'api-key-guard', language: 'node', entry: 'api-key-guard pre-commit', pass_filenames: false },
    );
    assert.equal(typeof hook?.name, 'string');
    // The entry's command exists and the package's bin provides it.
    assert.equal(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).bin['api-key-guard'], './dist/cli.js');
    const help = run(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'pre-commit', '--help'], { cwd: ROOT });
    assert.equal(help.status, 0);
    // The README's three lines name the same id.
    assert.match(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'), /hooks: \[\{ id: api-key-guard \}\]/);
  });

  describe('action.yml', () => {
    const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
    const step = action.runs.steps[0];
    let repo: Repo;
    let commits: string[];

    before(() => {
      repo = new Repo();
      repo.git('remote', 'add', 'origin', repo.dir);
      commits = [
        repo.commit('one', { 'old.ts': `const token1 = "${SECRET}";\n` }),
        repo.commit('two', { 'a.ts': `const token2 = "${OTHER}";\n` }),
        repo.commit('three: remove it', { 'a.ts': 'const a = 1;\n' }),
      ];
      repo.git('fetch', '-q', 'origin', `${commits[0]}:refs/remotes/origin/main`);
    });
    after(() => repo.remove());

    /** Runs the action's own script as the runner would: its env block with the event's values, then bash. */
    function runAction(event: Record<string, string>): {
      status: number | null;
      stdout: string;
      outputs: Record<string, string>;
      results: { ruleId: string; commit?: string; uri: string }[];
    } {
      const outputFile = path.join(repo.dir, '..', `${path.basename(repo.dir)}-output`);
      fs.writeFileSync(outputFile, '');
      const env: NodeJS.ProcessEnv = { ...GIT_ENV, GITHUB_OUTPUT: outputFile, API_KEY_GUARD_CLI: `${process.execPath} ${path.join(ROOT, 'dist/cli.js')}` };
      for (const [name, value] of Object.entries(step.env as Record<string, string>)) {
        const expression = /^\$\{\{ (.+) \}\}$/.exec(value)?.[1] ?? '';
        env[name] = event[expression] ?? { 'inputs.scan': 'auto', 'inputs.sarif-file': 'out.sarif', 'inputs.args': '', 'inputs.version': '' }[expression] ?? '';
      }
      const result = spawnSync('bash', ['-c', step.run], { cwd: repo.dir, env, encoding: 'utf8' });
      const outputs = Object.fromEntries(
        fs
          .readFileSync(outputFile, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      fs.rmSync(outputFile);
      const sarif = JSON.parse(fs.readFileSync(path.join(repo.dir, 'out.sarif'), 'utf8'));
      fs.rmSync(path.join(repo.dir, 'out.sarif'));
      const results = sarif.runs[0].results.map(
        (result: { ruleId: string; properties?: { commit?: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => ({
          ruleId: result.ruleId,
          commit: result.properties?.commit,
          uri: result.locations[0]?.physicalLocation.artifactLocation.uri,
        }),
      );
      return { status: result.status, stdout: result.stdout + result.stderr, outputs, results };
    }

    it('is a composite action whose inputs reach its script only through variables', () => {
      assert.equal(action.runs.using, 'composite');
      assert.ok(!/\$\{\{/.test(step.run), 'no expression is pasted into the script');
      assert.deepEqual(Object.keys(action.inputs).sort(), ['args', 'sarif-file', 'scan', 'version']);
    });

    it('scans the commits a push adds, a removed key included, and writes SARIF and outputs', () => {
      const pushed = runAction({ 'github.event_name': 'push', 'github.event.before': commits[0] ?? '', 'github.event.after': commits[2] ?? '' });
      assert.equal(pushed.status, 1, pushed.stdout);
      assert.deepEqual(pushed.results, [{ ruleId: 'generic-secret', commit: commits[1], uri: 'a.ts' }]);
      assert.deepEqual(pushed.outputs, { 'sarif-file': 'out.sarif', findings: '1', scanned: `${commits[0]}..${commits[2]}` });
    });

    it("scans a pull request's commits, a new branch's commits, and the tree on other events or without the commits", () => {
      const pr = runAction({
        'github.event_name': 'pull_request',
        'github.event.pull_request.base.sha': commits[1] ?? '',
        'github.event.pull_request.head.sha': commits[2] ?? '',
      });
      assert.equal(pr.status, 0, pr.stdout);
      assert.deepEqual(pr.results, []);
      const branch = runAction({
        'github.event_name': 'push',
        'github.event.before': '0'.repeat(40),
        'github.event.after': commits[2] ?? '',
        'github.event.repository.default_branch': 'main',
      });
      assert.deepEqual(branch.results, [{ ruleId: 'generic-secret', commit: commits[1], uri: 'a.ts' }]);
      const scheduled = runAction({ 'github.event_name': 'schedule' });
      assert.deepEqual(scheduled.results, [{ ruleId: 'generic-secret', commit: undefined, uri: 'old.ts' }]);
      assert.equal(scheduled.outputs.scanned, 'tree');
      const shallow = runAction({ 'github.event_name': 'push', 'github.event.before': 'f'.repeat(40), 'github.event.after': commits[2] ?? '' });
      assert.match(shallow.stdout, /::warning title=API Key Guard::The commits to scan are not in this clone/);
      assert.equal(shallow.outputs.scanned, 'tree');
    });
  });
});
