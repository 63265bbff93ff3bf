/**
 * MCP servers that need API keys, declared in the user's settings (`apiKeyGuard.mcpServers`), which VS Code
 * starts with the keys in their process environment. The definitions VS Code lists, and any extension
 * could see, name no key; the keys are added only in `resolveMcpServerDefinition`, which VS Code calls
 * as it starts the server. The setting is read from user settings only (it is application-scoped): a
 * cloned repository's settings could otherwise start a program of its choosing with your keys. Any
 * extension can write user settings, so each server is asked about, in a dialog, before it first gets a
 * key, and again whenever its command, arguments or folder change.
 */
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { findVariableNameProblem } from '../core/keyRecord';
import { parseKeyRequests } from '../core/programKeys';
import { MCP_SERVER_SCHEME, type KeyAccess } from './keyAccess';
import type { Log } from './log';

export const MCP_PROVIDER_ID = 'apiKeyGuard.mcpServers';
const SETTING = 'mcpServers';

/** One server as the setting declares it. */
interface DeclaredServer {
  readonly label: string;
  readonly command: string;
  readonly args: string[];
  readonly cwd?: string;
  /** Variables that are no secret, as written. */
  readonly env: Record<string, string>;
  readonly keys: ReadonlyMap<string, string>;
}

export class McpKeys implements vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly access: KeyAccess,
    private readonly log: Log,
  ) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration(`apiKeyGuard.${SETTING}`) && this.changed.fire());
  }

  /** The declared servers, without their keys: this is what VS Code lists. */
  provideMcpServerDefinitions(): vscode.McpStdioServerDefinition[] {
    return this.declared().map((server) => definition(server, server.env));
  }

  /** The server as VS Code starts it: with its keys, once the user allowed this server (as it is now) to use them. */
  async resolveMcpServerDefinition(server: vscode.McpStdioServerDefinition): Promise<vscode.McpStdioServerDefinition | undefined> {
    const declared = this.declared().find((candidate) => candidate.label === server.label);
    if (!declared) {
      return undefined;
    }
    if (declared.keys.size === 0) {
      return definition(declared, declared.env);
    }
    const secrets = await this.access.provide(declared.keys, {
      description: `The MCP server '${declared.label}'`,
      workspace: vscode.Uri.from({ scheme: MCP_SERVER_SCHEME, path: `/${declared.label}`, query: fingerprint(declared) }),
      file: 'your user settings (apiKeyGuard.mcpServers)',
    });
    return secrets && definition(declared, { ...declared.env, ...Object.fromEntries(secrets) });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  /** The servers in the user's settings; a malformed entry is skipped, and the log says why. */
  private declared(): DeclaredServer[] {
    const value = vscode.workspace.getConfiguration('apiKeyGuard').inspect<unknown>(SETTING)?.globalValue;
    if (value === undefined) {
      return [];
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.log.warn('apiKeyGuard.mcpServers must be an object of MCP servers by name; it is ignored.');
      return [];
    }
    return Object.entries(value).flatMap(([label, entry]) => {
      const parsed = parseServer(label, entry);
      if (typeof parsed === 'string') {
        this.log.warn(`MCP server '${label}' in apiKeyGuard.mcpServers skipped: ${parsed}`);
        return [];
      }
      return [parsed];
    });
  }
}

function parseServer(label: string, entry: unknown): DeclaredServer | string {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return 'it must be an object with a "command".';
  }
  const { command, args = [], cwd, env = {}, keys = {} } = entry as Record<string, unknown>;
  if (typeof command !== 'string' || command.trim() === '') {
    return '"command" must be the program to start, e.g. "npx".';
  }
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) {
    return '"args" must be a list of strings.';
  }
  if (cwd !== undefined && typeof cwd !== 'string') {
    return '"cwd" must be a folder path.';
  }
  if (typeof env !== 'object' || env === null || Array.isArray(env) || !Object.values(env).every((item) => typeof item === 'string')) {
    return '"env" must map variable names to strings.';
  }
  const badVariable = Object.keys(env).find((name) => findVariableNameProblem(name));
  if (badVariable !== undefined) {
    return `"env": "${badVariable}" is not an environment variable name.`;
  }
  const requests = parseKeyRequests(keys);
  if (typeof requests === 'string') {
    return requests.replace('"apiKeyGuard"', '"keys"');
  }
  return { label, command, args, ...(cwd ? { cwd } : {}), env: env as Record<string, string>, keys: requests };
}

function definition(server: DeclaredServer, env: Record<string, string>): vscode.McpStdioServerDefinition {
  const result = new vscode.McpStdioServerDefinition(server.label, server.command, server.args, env, fingerprint(server));
  if (server.cwd) {
    result.cwd = vscode.Uri.file(server.cwd);
  }
  return result;
}

/** What a user allows: this program, with these arguments, in this folder, getting these keys. A change asks again. */
function fingerprint(server: DeclaredServer): string {
  return createHash('sha256')
    .update(JSON.stringify([server.command, server.args, server.cwd ?? null, [...server.keys]]))
    .digest('hex')
    .slice(0, 16);
}
