import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApiKeyGuardApi } from '../../src/extension/extension';
import { activateExtension, eventually, removeAllKeys } from './activate';
import { filesWithSecret, hasSecret, REPORT_PROGRAM, SECRET, SECRET_HASH } from './programReport';
import { ScriptedPrompts, type Answer } from './scriptedPrompts';

describe('keys in tasks, by name', function () {
  // Real tasks: each starts a Node process.
  this.timeout(60000);
  const folder = vscode.workspace.workspaceFolders![0]!;
  const tasksFile = path.join(folder.uri.fsPath, '.vscode', 'tasks.json');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'task-keys-'));
  const program = path.join(scratch, 'report.js');
  const report = path.join(scratch, 'report.txt');
  const definition = { type: 'apiKeyGuard', command: 'node', args: [program, 'UPPZY_API_KEY', report], keys: { UPPZY_API_KEY: 'orders-bot' } };
  let api: ApiKeyGuardApi;

  /** Runs a task to its end; resolves with what the program reported (undefined: it did not run) and what the task system showed of it. */
  async function run(task: vscode.Task, answers: Answer[] = []): Promise<{ reported?: string; prompts: ScriptedPrompts; seen: string[] }> {
    const prompts = new ScriptedPrompts(answers);
    api.usePrompts(prompts);
    fs.rmSync(report, { force: true });
    const seen: string[] = [];
    const started = vscode.tasks.onDidStartTask(({ execution }) => seen.push(JSON.stringify({ ...execution.task, execution: execution.task.execution })));
    const ended = new Promise<void>((resolve) => {
      const subscription = vscode.tasks.onDidEndTask(({ execution }) => execution.task.name === task.name && (subscription.dispose(), resolve()));
    });
    try {
      await vscode.tasks.executeTask(task);
      await ended;
    } finally {
      started.dispose();
      api.usePrompts(undefined);
    }
    assert.equal(prompts.remaining, 0, `every scripted question was asked (${prompts.asked.join('; ')})`);
    return { ...(fs.existsSync(report) ? { reported: fs.readFileSync(report, 'utf8') } : {}), prompts, seen };
  }

  const workspaceTask = async () =>
    eventually(async () => (await vscode.tasks.fetchTasks({ type: 'apiKeyGuard' })).find((task) => task.name === 'Report key'), 'the task from tasks.json');

  before(async () => {
    api = await activateExtension();
    fs.writeFileSync(program, REPORT_PROGRAM);
    fs.mkdirSync(path.dirname(tasksFile), { recursive: true });
    fs.writeFileSync(tasksFile, JSON.stringify({ version: '2.0.0', tasks: [{ ...definition, label: 'Report key' }] }, null, 2));
    await eventually(() => (vscode.workspace.getConfiguration('tasks', folder.uri).get<unknown[]>('tasks') ?? []).length === 1, 'VS Code to read tasks.json');
  });
  beforeEach(async () => {
    await removeAllKeys(api);
    for (const [workspace, ids] of Object.entries(api.access.list())) await api.access.revoke(workspace, ids);
  });
  after(() => {
    fs.rmSync(tasksFile, { force: true });
    if (fs.existsSync(path.dirname(tasksFile)) && fs.readdirSync(path.dirname(tasksFile)).length === 0) fs.rmdirSync(path.dirname(tasksFile));
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("runs the workspace's task with its key once the workspace is allowed it, and the task system never holds the key", async () => {
    await api.store.add({ providerId: 'uppzy', name: 'orders-bot', environment: 'production', params: {} }, SECRET);
    const first = await run(await workspaceTask(), [{ confirm: true }]);
    assert.match(first.prompts.asked[0]!, /^confirm: Let the workspace 'sample-workspace' \(.*\) use the key 'orders-bot'\?$/);
    assert.equal(first.reported, SECRET_HASH, 'the program received the key');
    const again = await run(await workspaceTask());
    assert.equal(again.reported, SECRET_HASH, 'asked once: the next run gets it without a question');
    assert.ok(first.seen.length > 0, 'the task system showed the task to every extension');
    assert.ok(!first.seen.concat(again.seen).some(hasSecret), 'and what it showed holds no key');
    const { searched, leaks } = filesWithSecret([folder.uri.fsPath, path.dirname(path.dirname(api.logUri.fsPath))]);
    assert.ok(searched.includes(tasksFile), 'tasks.json was searched');
    assert.deepEqual(leaks, [], 'no file holds the key');
  });

  it('runs no command line of another extension with the key, even in a workspace allowed it', async () => {
    await api.store.add({ providerId: 'uppzy', name: 'orders-bot', environment: 'production', params: {} }, SECRET);
    assert.equal((await run(await workspaceTask(), [{ confirm: true }])).reported, SECRET_HASH);
    // An extension cannot run a task of ours that it made up: VS Code runs no task without an execution.
    await assert.rejects(Promise.resolve(vscode.tasks.executeTask(new vscode.Task(definition, folder, 'Made up', 'other'))), /must include an execution/);
    // It can fetch the workspace's task and run it with another command line: what runs is the workspace's.
    const other = path.join(scratch, 'other.txt');
    const fetched = await workspaceTask();
    fetched.definition = { ...definition, args: [program, 'UPPZY_API_KEY', other] };
    await run(fetched);
    assert.ok(!fs.existsSync(other), 'the command line the other extension wrote did not run');
  });
});
