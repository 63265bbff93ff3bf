import * as vscode from 'vscode';
import type { SecretBackend } from '../../src/extension/keyStore';
import type { TerminalVariables } from '../../src/extension/terminalEnvironment';

/** An in-memory Memento: the store's metadata half, inspectable by the test. */
export class MemoryMemento implements vscode.Memento {
  readonly values = new Map<string, unknown>();
  /** A global state whose writes fail (a full or read-only disk). */
  failUpdate = false;
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, defaultValue?: T): T | undefined {
    return (this.values.has(key) ? this.values.get(key) : defaultValue) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (this.failUpdate) {
      throw new Error('Unable to write the global state');
    }
    this.values.set(key, value);
  }
}

/**
 * Secret backends that cannot exist on this machine's VS Code server (its SecretStorage neither
 * throws nor forgets), so they are stand-ins, as a keyring that is missing or session-only behaves.
 * `reads` counts every `get`, as a keyring would feel them.
 */
export class FlakySecrets implements SecretBackend {
  readonly values = new Map<string, string>();
  failStore = false;
  /** A locked keyring: every read throws. */
  failGet = false;
  /** Storage keys whose reads throw, the others still readable. */
  readonly unreadable = new Set<string>();
  reads = 0;
  /** While set, each read waits in `heldReads` until the test releases it, in the order it chooses. */
  holdReads = false;
  readonly heldReads: Array<() => void> = [];
  private readonly emitter = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.emitter.event;
  async get(key: string) {
    this.reads += 1;
    if (this.holdReads) {
      await new Promise<void>((resolve) => this.heldReads.push(resolve));
    }
    if (this.failGet || this.unreadable.has(key)) {
      throw new Error('Cannot read from the keyring');
    }
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    if (this.failStore) {
      throw new Error(`No keyring available to store ${value}`);
    }
    this.values.set(key, value);
    this.emitter.fire({ key });
  }
  async delete(key: string) {
    this.values.delete(key);
    this.emitter.fire({ key });
  }
  /** What a session-only keyring does across a restart. */
  forgetAll() {
    this.values.clear();
  }
}

/** An environment variable collection in memory: what new terminals would get. */
export class MemoryTerminalVariables implements TerminalVariables {
  persistent = true;
  description: string | vscode.MarkdownString | undefined;
  readonly values = new Map<string, string>();
  replace(variable: string, value: string) {
    this.values.set(variable, value);
  }
  delete(variable: string) {
    this.values.delete(variable);
  }
  clear() {
    this.values.clear();
  }
  get(variable: string) {
    const value = this.values.get(variable);
    return value === undefined ? undefined : { value, type: vscode.EnvironmentVariableMutatorType.Replace, options: {} };
  }
}
