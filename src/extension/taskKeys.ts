import { spawn, type ChildProcess } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import { parseKeyRequests } from '../core/programKeys';
import { workspaceEntries, type KeyAccess } from './keyAccess';

/** Our task type: `{ "type": "apiKeyGuard", "command": "node bot.js", "keys": { "UPPZY_API_KEY": "prod-order-bot" } }`. */
export const TASK_TYPE = 'apiKeyGuard';

/** What a task of our type runs: these must be as tasks.json has them for the task to get its keys. */
const RUN_PROPERTIES = ['command', 'args', 'cwd', 'keys'] as const;

/**
 * Tasks of type `apiKeyGuard` run their command with the keys they name in its environment. The command
 * is started by the extension itself, behind a pseudoterminal, so the secrets never pass through VS Code's
 * task system: no other extension reads them from `vscode.tasks.taskExecutions`, and nothing about the
 * task that VS Code remembers holds them. A task gets its keys only when it is one of the workspace's own
 * tasks (its tasks.json or workspace file), under the same access rules as debug sessions.
 */
export class TaskKeys implements vscode.TaskProvider {
  constructor(private readonly access: KeyAccess) {}

  provideTasks(): vscode.Task[] {
    return [];
  }

  /**
   * VS Code resolves only the tasks in tasks.json (it refuses to run an extension's task that has no
   * execution). The task runs the definition as it is now: another extension can fetch this task and
   * run it with a definition of its own, and VS Code would pass that, substituted, to the execution.
   */
  resolveTask(task: vscode.Task): vscode.Task {
    const folder = typeof task.scope === 'object' ? task.scope : undefined;
    const definition = structuredClone(task.definition);
    const own = workspaceEntries('tasks', 'tasks', folder).some(
      (entry) => entry.type === TASK_TYPE && RUN_PROPERTIES.every((property) => isDeepStrictEqual(entry[property], definition[property])),
    );
    const execution = new vscode.CustomExecution(async () => new KeyTaskTerminal(() => this.start(task.name, folder, own, definition)));
    return new vscode.Task(task.definition, task.scope ?? vscode.TaskScope.Workspace, task.name, 'API Key Guard', execution, task.problemMatchers);
  }

  /** The child process with its keys, or the reason it was not started. */
  private async start(
    name: string,
    folder: vscode.WorkspaceFolder | undefined,
    own: boolean,
    definition: vscode.TaskDefinition,
  ): Promise<ChildProcess | string> {
    const description = `The task '${name}'`;
    const refuse = (level: 'error' | 'warning', message: string) => (this.access.refuse(level, message), message);
    const requests = parseKeyRequests(definition.keys);
    const workspace = folder?.uri ?? vscode.workspace.workspaceFile;
    const directory = folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const substitute = (value: unknown) => (typeof value === 'string' ? value.replaceAll('${workspaceFolder}', directory) : value);
    const command = substitute(definition.command);
    const args: unknown = Array.isArray(definition.args) ? definition.args.map(substitute) : definition.args;
    if (typeof requests === 'string') {
      return refuse('error', `${description} was not started: ${requests}`);
    }
    if (typeof command !== 'string' || command.trim() === '') {
      return refuse('error', `${description} was not started: "command" must be the command to run, e.g. "node bot.js".`);
    }
    if (args !== undefined && !(Array.isArray(args) && args.every((arg) => typeof arg === 'string'))) {
      return refuse('error', `${description} was not started: "args" must be a list of strings.`);
    }
    if (!own || !workspace) {
      return refuse(
        'warning',
        `${description} asks for API keys, but it is not one of this workspace's tasks (another extension may have started it), so API Key Guard gave it none and stopped it.`,
      );
    }
    const secrets = await this.access.provide(requests, { description, workspace, file: 'tasks.json' });
    if (!secrets) {
      return `${description} was not started: see the notification.`;
    }
    const cwd = substitute(definition.cwd);
    // With "args" the program runs as given, each argument as it is; a bare "command" is a shell command line.
    return spawn(command, args ?? [], {
      cwd: typeof cwd === 'string' && cwd ? cwd : directory || undefined,
      env: { ...process.env, ...Object.fromEntries(secrets) },
      shell: args === undefined,
    });
  }
}

/** The task's terminal: what the process writes, and the user's input to it (Ctrl+C ends it). */
class KeyTaskTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private child: ChildProcess | undefined;

  constructor(private readonly start: () => Promise<ChildProcess | string>) {}

  open(): void {
    void this.start().then(
      (child) => (typeof child === 'string' ? this.end(child, 1) : this.attach(child)),
      (error: unknown) => this.end(error instanceof Error ? error.message : String(error), 1),
    );
  }

  close(): void {
    this.child?.kill();
  }

  handleInput(data: string): void {
    if (data === '\x03') {
      this.child?.kill('SIGINT');
      return;
    }
    const text = data.replace(/\r/g, '\n');
    this.written.fire(text.replace(/\n/g, '\r\n'));
    this.child?.stdin?.write(text);
  }

  private attach(child: ChildProcess): void {
    this.child = child;
    const show = (chunk: Buffer) => this.written.fire(chunk.toString().replace(/\r?\n/g, '\r\n'));
    child.stdout?.on('data', show);
    child.stderr?.on('data', show);
    child.on('error', (error) => this.end(error.message, 1));
    child.on('close', (code, signal) => this.end(signal ? `Ended by ${signal}.` : `Exited with code ${code ?? 1}.`, code ?? 1));
  }

  private end(message: string, code: number): void {
    this.written.fire(`\r\n${message}\r\n`);
    this.closed.fire(code);
  }
}
