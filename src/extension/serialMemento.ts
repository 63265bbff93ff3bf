/**
 * The extension's global state, written one update at a time. VS Code keeps an extension's global
 * state as one object, sends the whole object on each update, and replaces its copy with the
 * persisted one when an update's echo comes back (microsoft/vscode#137132). Two updates in flight at
 * once, of different keys (the key records, and the workspaces' access that follows them), can then
 * lose one: the echo of the first replaces the second before it is sent, and a removed key comes back.
 * An update here starts once the one before it has finished, its echo received.
 */
import type * as vscode from 'vscode';

export class SerialMemento implements vscode.Memento {
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly state: vscode.Memento) {}

  keys(): readonly string[] {
    return this.state.keys();
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    return defaultValue === undefined ? this.state.get<T>(key) : this.state.get<T>(key, defaultValue);
  }

  update(key: string, value: unknown): Promise<void> {
    const write = this.last.then(() => this.state.update(key, value));
    this.last = write.catch(() => undefined);
    return write;
  }
}
