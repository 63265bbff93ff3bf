import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { KeyRecord, LastCheck } from '../core/keyRecord';
import { createRedactor } from '../core/redaction';

const SECRET_PREFIX = 'apiKeyGuard.key.';
const RECORDS_KEY = 'apiKeyGuard.keyRecords';

/** The part of `vscode.SecretStorage` the store uses, so tests can hand in one that throws or forgets. */
export interface SecretBackend {
  get(key: string): Thenable<string | undefined>;
  store(key: string, value: string): Thenable<void>;
  delete(key: string): Thenable<void>;
  readonly onDidChange: vscode.Event<vscode.SecretStorageChangeEvent>;
}

/** The secret storage failed; the message says what to do and never contains the secret. */
export class SecretStorageError extends Error {
  override readonly name = 'SecretStorageError';
  /** The storage's own words, redacted: "Cannot read from the keyring". */
  readonly reason: string;
  constructor(action: string, cause: unknown, secret?: string) {
    // A keyring's own error may quote what it was given.
    const reason = createRedactor(secret ? [secret] : [])(cause instanceof Error ? cause.message : String(cause));
    super(
      `Could not ${action} in VS Code's secret storage (${reason}). ` +
        'On Linux this usually means no keyring such as GNOME Keyring or KWallet is running, or it is locked; start or unlock it, or see "Troubleshooting" in the API Key Guard README.',
    );
    this.reason = reason;
  }
}

export type NewKeyRecord = Omit<KeyRecord, 'id' | 'createdAt' | 'lastCheck' | 'replacedBy'>;

/**
 * Keys: secrets in SecretStorage under `apiKeyGuard.key.<id>`, metadata apart in global state.
 * A secret is stored before its metadata and deleted after it, so a failure never leaves a record
 * that points at nothing we wrote, and never loses a secret already stored.
 *
 * Secrets are read through one cache, which the tree, the terminal environment, the linter and the
 * checks share: the storage may be an OS keyring, and every check result redraws all of them. An entry
 * goes when its secret changes, here or in another window; a failed read is not kept.
 */
export class KeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /**
   * Fires on every change made here and on another window's secret writes; another window's metadata
   * changes only once `noticeChangesFromOtherWindows` sees them.
   */
  readonly onDidChange = this.changed.event;
  /** The metadata as of the last `onDidChange`, to tell whether another window changed it since. */
  private announcedRecords: string;
  private readonly secretChanged = new vscode.EventEmitter<string>();
  /**
   * Fires with a key's id when its secret is written or deleted, here or in another window, before
   * `onDidChange`. May fire twice for one write: the storage echoes this window's writes too.
   */
  readonly onDidChangeSecret = this.secretChanged.event;
  private readonly subscription: vscode.Disposable;
  /** The last metadata write, which the next one waits for (see `changeRecords`). */
  private writing: Promise<void> = Promise.resolve();
  private readonly secretReads = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly secrets: SecretBackend,
    private readonly state: vscode.Memento,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.announcedRecords = this.storedRecordsText();
    this.subscription = secrets.onDidChange((event) => {
      if (event.key.startsWith(SECRET_PREFIX)) {
        this.noteSecretChange(event.key.slice(SECRET_PREFIX.length));
        this.announceChange();
      }
    });
  }

  /**
   * Fires `onDidChange` if the metadata differs from what it last announced. Another window's writes to
   * global state reach this window's copy silently (VS Code gives extensions no event for them), so the
   * extension calls this when its window gains focus.
   */
  noticeChangesFromOtherWindows(): void {
    if (this.storedRecordsText() !== this.announcedRecords) {
      this.announceChange();
    }
  }

  list(): readonly KeyRecord[] {
    const stored = this.state.get<unknown>(RECORDS_KEY);
    return Array.isArray(stored) ? stored.filter(isKeyRecord) : [];
  }

  get(id: string): KeyRecord | undefined {
    return this.list().find((record) => record.id === id);
  }

  async add(input: NewKeyRecord, secret: string): Promise<KeyRecord> {
    const record: KeyRecord = { ...input, id: randomUUID(), createdAt: this.now().toISOString() };
    await this.writeSecret(record.id, secret, 'save the key');
    await this.changeRecords((records) => [...records, record]);
    return record;
  }

  /**
   * The secret, or undefined when the storage no longer has it (a session-only keyring after a restart).
   * Rejects with `SecretStorageError` when the storage cannot be read at all (a locked keyring).
   */
  readSecret(id: string): Promise<string | undefined> {
    let reading = this.secretReads.get(id);
    if (!reading) {
      const read = (async () => {
        try {
          return await this.secrets.get(SECRET_PREFIX + id);
        } catch (error) {
          throw new SecretStorageError('read the key', error);
        }
      })();
      reading = read;
      this.secretReads.set(id, read);
      // Forgotten, so the next reader (a Refresh once the keyring is unlocked) asks the storage again.
      read.catch(() => this.secretReads.get(id) === read && this.secretReads.delete(id));
    }
    return reading;
  }

  /**
   * Stores `secret` as the new key that replaces `oldId`, in one metadata write: the new record takes
   * the old one's place and terminal variable, the old one stays, marked `replacedBy`, until it is
   * revoked. A failure leaves neither a record without its secret nor a secret without its record.
   */
  async replace(oldId: string, input: NewKeyRecord, secret: string, lastCheck?: LastCheck): Promise<KeyRecord> {
    const record: KeyRecord = { ...input, id: randomUUID(), createdAt: this.now().toISOString(), ...(lastCheck ? { lastCheck } : {}) };
    await this.writeSecret(record.id, secret, 'save the new key');
    try {
      await this.changeRecords((records) => {
        if (!records.some((current) => current.id === oldId)) {
          throw new Error('the key to replace was removed meanwhile');
        }
        const replaced = records.map((current) => {
          if (current.id !== oldId) {
            return current;
          }
          const { terminalVariable: _moved, ...rest } = current;
          return { ...rest, replacedBy: record.id };
        });
        return [...replaced, record];
      });
    } catch (error) {
      await this.secrets.delete(SECRET_PREFIX + record.id).then(
        () => this.noteSecretChange(record.id),
        () => undefined,
      );
      throw error;
    }
    return record;
  }

  /**
   * Stores `secret` in place of the key's own (the same key typed again): the record keeps its id and
   * metadata, and loses its last check, which was about the value it had. Undefined when there is no such key.
   */
  async replaceSecret(id: string, secret: string): Promise<KeyRecord | undefined> {
    if (!this.get(id)) {
      return undefined;
    }
    await this.writeSecret(id, secret, 'save the key');
    return this.update(id, ({ lastCheck: _stale, ...rest }) => rest);
  }

  async update(id: string, change: (record: KeyRecord) => KeyRecord): Promise<KeyRecord | undefined> {
    let updated: KeyRecord | undefined;
    await this.changeRecords((records) => records.map((record) => (record.id === id ? (updated = { ...change(record), id }) : record)));
    return updated;
  }

  async remove(id: string): Promise<void> {
    try {
      await this.secrets.delete(SECRET_PREFIX + id);
    } catch (error) {
      throw new SecretStorageError('delete the key', error);
    }
    this.noteSecretChange(id);
    await this.changeRecords((records) => records.filter((record) => record.id !== id));
  }

  /** Ids of records whose secret the storage does not have. */
  async findMissingSecrets(): Promise<string[]> {
    const missing: string[] = [];
    for (const record of this.list()) {
      if ((await this.readSecret(record.id)) === undefined) {
        missing.push(record.id);
      }
    }
    return missing;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.secretChanged.dispose();
    this.secretReads.clear();
  }

  private async writeSecret(id: string, secret: string, action: string): Promise<void> {
    try {
      await this.secrets.store(SECRET_PREFIX + id, secret);
    } catch (error) {
      throw new SecretStorageError(action, error, secret);
    }
    this.noteSecretChange(id);
  }

  private noteSecretChange(id: string): void {
    this.secretReads.delete(id);
    this.secretChanged.fire(id);
  }

  /**
   * Changes the records one write at a time, each from the state the one before left. VS Code applies a
   * global state update at once but replaces the whole state with its persisted copy when the write's
   * echo returns (microsoft/vscode#137132): a change computed while an earlier write is in flight may be
   * computed from that older copy, and a check result written a moment before is lost.
   */
  private changeRecords(change: (records: readonly KeyRecord[]) => readonly KeyRecord[]): Promise<void> {
    const write = this.writing.then(async () => {
      await this.state.update(RECORDS_KEY, change(this.list()));
      this.announceChange();
    });
    this.writing = write.catch(() => undefined);
    return write;
  }

  private announceChange(): void {
    this.announcedRecords = this.storedRecordsText();
    this.changed.fire();
  }

  private storedRecordsText(): string {
    return JSON.stringify(this.state.get<unknown>(RECORDS_KEY) ?? null);
  }
}

function isKeyRecord(value: unknown): value is KeyRecord {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const record = value as Record<string, unknown>;
  return ['id', 'providerId', 'name', 'environment', 'createdAt'].every((field) => typeof record[field] === 'string');
}
