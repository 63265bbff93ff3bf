import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { isLaunchEntry, KEYS_PROPERTY, KNOWN_DEBUG_TYPES, parseKeyRequests, withEnvironment } from '../core/programKeys';
import { workspaceEntries, type KeyAccess } from './keyAccess';
import type { Log } from './log';

/** Marks a configuration found to be one of the workspace's own, from the first resolving step to the second. */
const OWN_LAUNCH = '__apiKeyGuardLaunch';

/**
 * Puts the keys a launch configuration names (`"apiKeyGuard": { "VARIABLE": "key name" }`) into its debug
 * session's environment, for every debug type. Two steps, because VS Code resolves a configuration twice:
 *
 * 1. `resolveDebugConfiguration`, before variables are substituted: is this one of the workspace's own
 *    launch configurations? Any extension can call `vscode.debug.startDebugging` with a configuration of
 *    its making; one that is not in the workspace's launch.json (or workspace file) gets no keys. Those
 *    that are carry a one-time mark to the second step, which no caller can guess.
 * 2. `resolveDebugConfigurationWithSubstitutedVariables`, last of all (VS Code runs the `*` providers after
 *    the debugger's own, and after any preLaunchTask): the workspace's access, then the secrets.
 */
export class DebugKeys implements vscode.DebugConfigurationProvider {
  private readonly ownLaunches = new Set<string>();

  constructor(
    private readonly access: KeyAccess,
    private readonly log: Log,
  ) {}

  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, configuration: vscode.DebugConfiguration): vscode.DebugConfiguration {
    // VS Code asks again after a debugger renamed the type: a configuration already found to be the workspace's keeps its mark.
    const earlier: unknown = configuration[OWN_LAUNCH];
    if (typeof earlier === 'string' && this.ownLaunches.has(earlier)) {
      return configuration;
    }
    const rest = withoutMark(configuration);
    if (rest[KEYS_PROPERTY] === undefined) {
      return rest;
    }
    const entries = workspaceEntries('launch', 'configurations', folder);
    if (!entries.some((entry) => isLaunchEntry(rest, entry))) {
      const namesake = entries.find((entry) => entry.name === rest.name);
      const differences = namesake ? Object.keys(namesake).filter((property) => !isLaunchEntry(rest, { [property]: namesake[property] })) : [];
      this.log.warn(
        `launch configuration '${String(rest.name)}' names keys but is not one of the workspace's own${differences.length ? `: it differs from it in ${differences.join(', ')}` : ''}`,
      );
      return rest;
    }
    const mark = randomUUID();
    this.ownLaunches.add(mark);
    return { ...rest, [OWN_LAUNCH]: mark };
  }

  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    configuration: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const mark: unknown = configuration[OWN_LAUNCH];
    const own = typeof mark === 'string' && this.ownLaunches.delete(mark);
    const rest = withoutMark(configuration);
    const named: unknown = rest[KEYS_PROPERTY];
    if (named === undefined) {
      return rest;
    }
    const description = `The launch configuration '${String(rest.name)}'`;
    const requests = parseKeyRequests(named);
    if (typeof requests === 'string') {
      return this.stop('error', `${description} was not started: ${requests}`);
    }
    if (!own) {
      return this.stop(
        'warning',
        `${description} asks for API keys, but it is not one of this workspace's launch configurations (another extension may have started it), so API Key Guard gave it none and stopped it.`,
      );
    }
    const type = String(rest.type);
    if (withEnvironment(rest, type, new Map()) === undefined) {
      return this.stop(
        'warning',
        `${description} was not started: API Key Guard does not know where debug type '${type}' takes environment variables, so it cannot give the program its keys. Known types: ${KNOWN_DEBUG_TYPES.join(', ')}.`,
      );
    }
    const workspace = folder?.uri ?? vscode.workspace.workspaceFile;
    if (!workspace) {
      return this.stop('warning', `${description} was not started: it belongs to no workspace, and keys are given to a workspace's own configurations only.`);
    }
    const secrets = await this.access.provide(requests, { description, workspace, file: 'launch.json' });
    return secrets && withEnvironment(rest, type, secrets);
  }

  /** Undefined stops the launch quietly (null would open launch.json): the message says why instead. */
  private stop(level: 'error' | 'warning', message: string): undefined {
    return this.access.refuse(level, message);
  }
}

function withoutMark(configuration: vscode.DebugConfiguration): vscode.DebugConfiguration {
  const copy = { ...configuration };
  delete copy[OWN_LAUNCH];
  return copy;
}
