import * as vscode from 'vscode';

/**
 * The questions and notices the commands put to the user. Commands talk to this interface rather than to
 * `vscode.window` directly so the integration tests can answer for the user (see test/integration).
 */
export interface Prompts {
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & { title: string }): Promise<T | undefined>;
  /** A multi-select; the items marked `picked` start chosen. Undefined when the user dismissed it. */
  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & { title: string }): Promise<readonly T[] | undefined>;
  input(options: vscode.InputBoxOptions & { title: string }): Promise<string | undefined>;
  /** A modal question; true when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  notify(level: 'info' | 'warning' | 'error', message: string, ...actions: string[]): Promise<string | undefined>;
}

export const windowPrompts: Prompts = {
  pick: async (items, options) => vscode.window.showQuickPick(items, { ignoreFocusOut: true, ...options }),
  pickMany: async (items, options) => vscode.window.showQuickPick(items, { ignoreFocusOut: true, ...options, canPickMany: true }),
  input: async (options) => vscode.window.showInputBox({ ignoreFocusOut: true, ...options }),
  confirm: async (message, detail, action) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
  notify: async (level, message, ...actions) => {
    const show =
      level === 'error' ? vscode.window.showErrorMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return show(message, ...actions);
  },
};
