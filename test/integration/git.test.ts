import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApiKeyGuardApi } from '../../src/extension/extension';
import type { GitApi } from '../../src/extension/git/gitApi';
import { activateExtension, eventually } from './activate';
import { ScriptedPrompts } from './scriptedPrompts';

const SECRET = 'Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k';
const ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Ada',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
};

describe('git in the editor: staged findings and the pre-commit hook', function () {
  this.timeout(60000);
  let api: ApiKeyGuardApi;
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: ENV, encoding: 'utf8' });

  /**
   * The test's repository is a temporary folder, and the test host opens no folder. VS Code 1.105's
   * git extension counts every repository as outside the workspace when no folder is open (later
   * versions count none), and with `git.openRepositoryInParentFolders` at its default, `prompt`,
   * `openRepository` then only offers to open it, and gives nothing. `always` opens it, as a user
   * who works in that folder would have it.
   */
  const gitSettings = () => vscode.workspace.getConfiguration('git');

  before(async () => {
    api = await activateExtension();
    await gitSettings().update('openRepositoryInParentFolders', 'always', vscode.ConfigurationTarget.Global);
    repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'akg-editor-git-')));
    git('init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(repo, 'README.md'), 'hello\n');
    git('add', '-A');
    git('commit', '-qm', 'base');
  });
  after(async () => {
    api.usePrompts(undefined);
    await gitSettings().update('openRepositoryInParentFolders', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(repo, { recursive: true, force: true });
  });

  it('has git on PATH and VS Code git extension enabled in this test host', () => {
    assert.equal(spawnSync('git', ['--version']).status, 0, 'git is on PATH');
    const extension = vscode.extensions.getExtension('vscode.git');
    assert.ok(extension, 'the built-in git extension is installed');
  });

  it('shows staged secrets read through the git extension, scanning again only when what is staged changes, and opens them', async () => {
    const gitExtension = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git');
    const gitApi = (gitExtension!.isActive ? gitExtension!.exports : await gitExtension!.activate()).getAPI(1);
    const repository = await gitApi.openRepository!(vscode.Uri.file(repo));
    assert.ok(repository, 'the git extension opened the repository');
    const staged = await api.staged;

    fs.writeFileSync(path.join(repo, 'app.ts'), `const token1 = "${SECRET}";\n`);
    git('add', 'app.ts');
    await repository.status();
    const found = await eventually(() => (staged.findings.length > 0 ? staged.findings : undefined), 'the staged key is found', 20000);
    assert.deepEqual(
      found.map((finding) => `${finding.path}:${finding.finding.line + 1} ${finding.finding.ruleId}`),
      ['app.ts:1 generic-secret'],
    );
    // A work-tree edit is not staged: the finding stays, and nothing is scanned again, even when
    // git rewrites the index file without staging anything (as `git status` does to refresh file times).
    let scans = 0;
    const counting = staged.onDidChange(() => scans++);
    fs.writeFileSync(path.join(repo, 'app.ts'), 'const clean = 1;\n');
    git('update-index', '--force-write-index');
    await repository.status();
    await new Promise((resolve) => setTimeout(resolve, 500));
    counting.dispose();
    assert.equal(scans, 0, 'no scan while nothing new is staged');
    assert.equal(staged.findings.length, 1);

    const prompts = new ScriptedPrompts([]);
    api.usePrompts(prompts);
    assert.deepEqual(await vscode.commands.executeCommand('apiKeyGuard.openStagedFinding'), 'app.ts:1 generic-secret');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(repo, 'app.ts'));

    git('add', 'app.ts');
    await repository.status();
    await eventually(() => staged.findings.length === 0, 'the cleaned file clears the finding', 20000);
  });

  it('installs a hook from the palette that runs the bundled CLI with no node on PATH, and removes it', async () => {
    // VS Code 1.105, told to open repositories outside the workspace, opens this extension's own too: then the command asks which.
    const several = (await api.staged).repositories.length > 1;
    api.usePrompts(new ScriptedPrompts([...(several ? [{ pick: repo }] : []), { notify: undefined }]));
    const hook = await vscode.commands.executeCommand<string>('apiKeyGuard.installHook');
    assert.equal(hook, path.join(repo, '.git/hooks/pre-commit'));
    const launcher = /exec '([^']+)' pre-commit/.exec(fs.readFileSync(hook, 'utf8'))?.[1];
    assert.ok(launcher && fs.readFileSync(launcher, 'utf8').includes('ELECTRON_RUN_AS_NODE=1'), 'the hook runs the launcher in global storage');

    // A PATH with git alone: the user has no Node of their own.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'akg-bin-'));
    fs.symlinkSync(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim(), path.join(bin, 'git'));
    try {
      fs.writeFileSync(path.join(repo, 'app.ts'), `const token1 = "${SECRET}";\n`);
      git('add', 'app.ts');
      const commit = spawnSync('git', ['commit', '-qm', 'key'], { cwd: repo, env: { ...ENV, PATH: bin }, encoding: 'utf8' });
      assert.equal(commit.status, 1, commit.stderr);
      assert.match(commit.stderr, /^API Key Guard stopped this commit: it adds a secret \(app\.ts:1\)/);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
    api.usePrompts(new ScriptedPrompts([...(several ? [{ pick: repo }] : []), { notify: undefined }]));
    assert.equal(await vscode.commands.executeCommand('apiKeyGuard.uninstallHook'), true);
    assert.ok(!fs.existsSync(hook));
  });
});
