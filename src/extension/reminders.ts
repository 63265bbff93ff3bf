import * as vscode from 'vscode';
import { daysUntil, describeDaysUntil, isDue, type KeyRecord } from '../core/keyRecord';
import type { KeyStore } from './keyStore';
import type { Prompts } from './prompts';
import { numberSetting } from './settings';

const LAST_REMINDER_KEY = 'apiKeyGuard.lastReminderDay';
const HOUR_MS = 60 * 60 * 1000;

/**
 * A non-modal notification, at most once a day, about keys that expire or are due for rotation within
 * `apiKeyGuard.reminderDays`, and old keys still waiting to be revoked after a rotation.
 */
export class Reminders implements vscode.Disposable {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: KeyStore,
    private readonly state: vscode.Memento,
    private readonly prompts: () => Prompts,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.timer = setInterval(() => void this.remind(), HOUR_MS);
  }

  /** Shows today's reminder unless one was already shown today; returns its text, if any. */
  async remind(): Promise<string | undefined> {
    const now = this.now();
    const today = now.toISOString().slice(0, 10);
    if (this.state.get<string>(LAST_REMINDER_KEY) === today) {
      return undefined;
    }
    const reminderDays = numberSetting('reminderDays');
    const lines = this.store.list().flatMap((record) => reminderFor(record, now, reminderDays));
    if (lines.length === 0) {
      return undefined;
    }
    await this.state.update(LAST_REMINDER_KEY, today);
    const message = `API Key Guard: ${lines.join('; ')}.`;
    void this.prompts()
      .notify('warning', message, 'Show Keys')
      .then((action) => action && vscode.commands.executeCommand('apiKeyGuard.keys.focus'));
    return message;
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}

function reminderFor(record: KeyRecord, now: Date, reminderDays: number): string[] {
  if (record.replacedBy) {
    return [`the old key '${record.name}' was replaced: revoke it at the provider, then confirm`];
  }
  if (!isDue(record, now, reminderDays)) {
    return [];
  }
  const lines: string[] = [];
  if (record.expiresOn && daysUntil(record.expiresOn, now) <= reminderDays) {
    lines.push(`'${record.name}' ${daysUntil(record.expiresOn, now) < 0 ? 'expired' : 'expires'} ${describeDaysUntil(record.expiresOn, now)}`);
  }
  if (record.rotateBy && daysUntil(record.rotateBy, now) <= reminderDays) {
    lines.push(`'${record.name}' is due for rotation ${describeDaysUntil(record.rotateBy, now)}`);
  }
  return lines;
}
