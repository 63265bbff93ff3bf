/**
 * The part of VS Code's built-in git extension API (`vscode.git`, `getAPI(1)`) that API Key Guard
 * reads: the open repositories, their staged changes and the event that says their state changed,
 * and the git executable the user configured. Declared here, as that extension's `git.d.ts`
 * advises, since it ships no package.
 */
import * as vscode from 'vscode';

export interface GitChange {
  readonly uri: vscode.Uri;
}

export interface GitRepositoryState {
  readonly indexChanges: readonly GitChange[];
  readonly onDidChange: vscode.Event<void>;
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: GitRepositoryState;
  status(): Promise<void>;
}

export interface GitApi {
  readonly git: { readonly path: string };
  readonly repositories: readonly GitRepository[];
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
  readonly onDidCloseRepository: vscode.Event<GitRepository>;
  openRepository?(root: vscode.Uri): Promise<GitRepository | null>;
}

interface GitExtension {
  readonly enabled: boolean;
  readonly onDidChangeEnablement: vscode.Event<boolean>;
  getAPI(version: 1): GitApi;
}

/** The git API once the git extension is active and enabled; undefined where there is none (VS Code for the web, `git.enabled` off). */
export async function gitApi(): Promise<GitApi | undefined> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (extension === undefined) return undefined;
  const exports = extension.isActive ? extension.exports : await extension.activate();
  if (exports.enabled) return exports.getAPI(1);
  return new Promise((resolve) => {
    const listener = exports.onDidChangeEnablement((enabled) => {
      if (!enabled) return;
      listener.dispose();
      resolve(exports.getAPI(1));
    });
  });
}
