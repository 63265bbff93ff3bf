import * as vscode from 'vscode';
import { createRedactor } from '../core/redaction';

/**
 * The "API Key Guard" log (Output panel). Every line passes through the one redactor (core/redaction):
 * the secrets the caller names are masked whole, in part and in their encodings, each by its own mask
 * (at most its last 4 characters), and anything else credential-shaped is masked to `****`, so a
 * server's echo or an error cannot leak a key or a piece of one.
 */
export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('API Key Guard', { log: true });

  info(message: string, secrets: readonly string[] = []): void {
    this.channel.info(createRedactor(secrets)(message));
  }

  warn(message: string, secrets: readonly string[] = []): void {
    this.channel.warn(createRedactor(secrets)(message));
  }

  error(message: string | Error, secrets: readonly string[] = []): void {
    const text = message instanceof Error ? `${message.name}: ${message.message}` : message;
    this.channel.error(createRedactor(secrets)(text));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
