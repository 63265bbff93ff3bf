/**
 * The git part of the extension: the staged-changes status and its commands, and the pre-commit
 * hook commands. Everything starts once VS Code's git extension is there; without it (VS Code for
 * the web, `git.enabled` off, an untrusted workspace where it opens no repository) the commands
 * say so and nothing runs.
 */
import * as vscode from 'vscode';
import { installHook, uninstallHook, type Launcher } from '../../core/git/hook';
import type { CommandTable } from '../commands/registry';
import type { CommandServices } from '../commands/services';
import type { ScannerPool } from '../linter/scanners';
import { gitApi, type GitRepository } from './gitApi';
import { writeLauncher } from './launcher';
import { StagedFindings, type StagedFinding } from './stagedFindings';

export interface GitFeatures {
  readonly commands: CommandTable;
  /** Resolves once the git extension is there (never, without one). */
  readonly staged: Promise<StagedFindings>;
}

export function registerGit(context: vscode.ExtensionContext, services: Pick<CommandServices, 'log' | 'prompts'>, scanners: ScannerPool): GitFeatures {
  let launcher: Launcher | undefined;
  try {
    launcher = writeLauncher(context);
  } catch (error) {
    services.log.warn(`could not write the pre-commit hook's launcher: ${error instanceof Error ? error.message : String(error)}`);
  }
  const staged = gitApi().then((api) => {
    if (api === undefined) return new Promise<StagedFindings>(() => undefined);
    const findings = new StagedFindings(api, scanners, services.log);
    context.subscriptions.push(findings);
    return findings;
  });
  const noGit = () => services.prompts().notify('info', "API Key Guard needs VS Code's git extension for this, and it is off or not there.");
  const whenGit = async <T>(work: (findings: StagedFindings) => Promise<T>): Promise<T | undefined> => {
    const found = await Promise.race([staged, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5000))]);
    if (found === undefined) {
      await noGit();
      return undefined;
    }
    return work(found);
  };

  const chooseRepository = async (findings: StagedFindings, title: string): Promise<GitRepository | undefined> => {
    const repositories = findings.repositories;
    if (repositories.length === 0) {
      await services.prompts().notify('info', 'API Key Guard found no git repository open in this window.');
      return undefined;
    }
    if (repositories.length === 1) return repositories[0];
    const picked = await services.prompts().pick(
      repositories.map((repository) => ({ label: vscode.workspace.asRelativePath(repository.rootUri, false) || repository.rootUri.fsPath, repository })),
      { title, placeHolder: 'Which repository?' },
    );
    return picked?.repository;
  };

  const openFinding = async (finding: StagedFinding): Promise<void> => {
    const position = new vscode.Position(finding.finding.line, finding.finding.column);
    await vscode.window.showTextDocument(finding.uri, {
      selection: new vscode.Range(position, position.translate(0, finding.finding.endColumn - finding.finding.column)),
    });
  };

  const describe = (finding: StagedFinding) => `${finding.path}:${finding.finding.line + 1} ${finding.finding.ruleId}`;

  const commands: CommandTable = {
    'apiKeyGuard.scanStagedChanges': () =>
      whenGit(async (findings) => {
        const found = await findings.scanNow();
        if (found.length === 0) {
          await services.prompts().notify('info', 'API Key Guard: the staged changes add no secret.');
        } else {
          const open = await services
            .prompts()
            .notify(
              'warning',
              `API Key Guard: the staged changes add ${found.length === 1 ? 'a secret' : `${found.length} secrets`}: ${found.slice(0, 3).map(describe).join(', ')}${found.length > 3 ? ', …' : ''}.`,
              'Open',
            );
          if (open === 'Open') await vscode.commands.executeCommand('apiKeyGuard.openStagedFinding');
        }
        return found.map(describe);
      }),
    'apiKeyGuard.openStagedFinding': () =>
      whenGit(async (findings) => {
        const found = findings.findings;
        if (found.length === 0) {
          await services.prompts().notify('info', 'API Key Guard: the staged changes add no secret.');
          return undefined;
        }
        const [only] = found;
        const chosen =
          found.length === 1 && only !== undefined
            ? only
            : (
                await services.prompts().pick(
                  found.map((finding) => ({ label: describe(finding), description: finding.finding.message, finding })),
                  { title: 'Open Staged Finding' },
                )
              )?.finding;
        if (chosen !== undefined) await openFinding(chosen);
        return chosen === undefined ? undefined : describe(chosen);
      }),
    'apiKeyGuard.installHook': () =>
      whenGit(async (findings) => {
        if (launcher === undefined) {
          await services
            .prompts()
            .notify(
              'error',
              'API Key Guard cannot install the hook here: its global storage is not on this disk. Run `npx api-key-guard install-hook` instead.',
            );
          return undefined;
        }
        const repository = await chooseRepository(findings, 'Install Pre-commit Hook');
        if (repository === undefined) return undefined;
        const installed = await installHook({ cwd: repository.rootUri.fsPath }, launcher);
        await services
          .prompts()
          .notify(
            'info',
            `API Key Guard ${installed.updated ? 'updated' : 'installed'} the pre-commit hook ${vscode.workspace.asRelativePath(installed.hook)}: a commit that adds a secret stops${installed.chained ? ', after the hook that was there runs' : ''}. git commit --no-verify skips it.`,
          );
        return installed.hook;
      }),
    'apiKeyGuard.uninstallHook': () =>
      whenGit(async (findings) => {
        const repository = await chooseRepository(findings, 'Remove Pre-commit Hook');
        if (repository === undefined) return undefined;
        const result = await uninstallHook({ cwd: repository.rootUri.fsPath });
        await services
          .prompts()
          .notify(
            'info',
            result.removed
              ? `API Key Guard removed its pre-commit hook${result.restored ? ' and put back the hook it chained' : ''}.`
              : `There is no API Key Guard pre-commit hook in ${vscode.workspace.asRelativePath(result.hook)}.`,
          );
        return result.removed;
      }),
  };
  return { commands, staged };
}
