/**
 * The flow behind "Move to API Key Guard" and "Import Keys from File…" (see keyMigration.ts): the keys go
 * to secret storage, then their values leave the file. Every question comes first; the file is edited only
 * once every secret is stored and read back, in one WorkspaceEdit (so Undo brings the values back), and
 * only if it did not change meanwhile. Bundled apart with jsonc-parser (dist/keyMigration.js), loaded on
 * first use: activation does not parse it.
 */
import * as vscode from 'vscode';
import { findNodeAtLocation, getLocation, getNodeValue, modify, parseTree, type JSONPath, type Node } from 'jsonc-parser';
import { environmentOfFile, fileKindOf, looksLikeSecretName, parseDotenv, proposedKeyName, type FileKind } from '../core/dotenv';
import type { guessProvider, variableFor } from '../core/envLookup';
import type { KeyRecord } from '../core/keyRecord';
import { createRedactor, maskSecret } from '../core/redaction';
import type { ProviderDefinition } from '../core/providers/types';
import { MAX_FILE_BYTES } from '../core/scanner/files';
import type { Finding } from '../core/scanner/types';
import type { askEnvironment, askParameters } from './commands/questions';
import type { writeSetting } from './commands/registry';
import type { CommandServices } from './commands/services';
import type { setTerminalVariable } from './commands/shareKey';
import type { FindingPlace } from './linter/findingPlace';
import type { ScannerPool } from './linter/scanners';

export { keyRequestAt } from '../core/keyRequestLocation';

/**
 * What the flow uses of the extension's main bundle, handed in rather than imported: a copy bundled here
 * would throw errors of its own classes, which the command registry's error policy would not recognise.
 */
export interface MigrationKit {
  readonly askEnvironment: typeof askEnvironment;
  readonly askParameters: typeof askParameters;
  readonly writeSetting: typeof writeSetting;
  readonly setTerminalVariable: typeof setTerminalVariable;
  readonly taskType: string;
  /** The linter's guesses, whose rules the main bundle has loaded already. */
  readonly guessProvider: typeof guessProvider;
  readonly variableFor: typeof variableFor;
}

const MOVED_LINE_SETTING = 'apiKeyGuard.movedKeyLine';
const TITLE = 'Move to API Key Guard';
/** A value in a file that can move: what a program reads it as, and how its line changes once it is gone. */
interface Movable {
  readonly variable: string;
  readonly value: string;
  /** The first line, for messages and to find it again. */
  readonly line: number;
  readonly flagged: boolean;
  readonly ruleId?: string;
  /** The line with no value, and without the line, as edits of the document. */
  readonly emptied: readonly vscode.TextEdit[];
  readonly removed: readonly vscode.TextEdit[];
}

/** One key to store, as the user answered for it. */
interface Planned {
  readonly movable: Movable;
  readonly provider: ProviderDefinition;
  readonly name: string;
  readonly environment: string;
  readonly params: Record<string, string>;
}

/** Moves the key at a position, or imports a file's (the file the argument names, else the active editor's or one the user picks). */
export function migrateKeys(
  services: CommandServices,
  scanners: ScannerPool,
  kit: MigrationKit,
  argument: FindingPlace | vscode.Uri | undefined,
): Promise<void> {
  return new KeyMigration(services, scanners, kit).run(argument);
}

class KeyMigration {
  constructor(
    private readonly services: CommandServices,
    private readonly scanners: ScannerPool,
    private readonly kit: MigrationKit,
  ) {}

  private get prompts() {
    return this.services.prompts();
  }

  /** A position (the quick fix) moves the key there; a file (menus), or the active editor's, imports the file. */
  async run(argument: FindingPlace | vscode.Uri | undefined): Promise<void> {
    const position = argument instanceof vscode.Uri ? undefined : argument;
    const uri = position ? vscode.Uri.parse(position.uri) : argument instanceof vscode.Uri ? argument : await this.chooseFile();
    if (!uri) return;
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(uri);
    } catch (error) {
      await this.prompts.notify(
        'error',
        `API Key Guard cannot open ${vscode.workspace.asRelativePath(uri, false)}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    const kind = fileKindOf(document.languageId, document.fileName);
    const text = document.getText();
    const fileName = vscode.workspace.asRelativePath(uri, false);
    if (!kind || (!position && kind !== 'dotenv')) {
      await this.prompts.notify(
        'info',
        `${fileName} is not a .env file: "Import Keys from File…" reads .env files. In YAML and JSON files, use the quick fix "${TITLE}" on a key.`,
      );
      return;
    }
    if (text.length > MAX_FILE_BYTES || text.includes('\u0000')) {
      await this.prompts.notify(
        'error',
        `${fileName} is ${text.includes('\u0000') ? 'not a text file' : `over ${MAX_FILE_BYTES / 1024 / 1024} MB`}, so API Key Guard does not read keys from it.`,
      );
      return;
    }
    const found = await this.movables(document, kind, position?.line);
    const chosen = position
      ? found.filter((movable) => movable.line <= position.line && position.line <= lastLine(movable)).slice(0, 1)
      : await this.choose(fileName, found);
    if (chosen === undefined) return;
    if (chosen.length === 0) {
      await this.prompts.notify(
        'info',
        position ? `API Key Guard finds no value to move at line ${position.line + 1} of ${fileName}.` : `${fileName} holds no values to move.`,
      );
      return;
    }
    const version = document.version;
    const plan = await this.ask(document, chosen);
    if (!plan) return;
    const lineChoice = await this.lineChoice(kind);
    if (!lineChoice) return;
    if (document.version !== version) {
      await this.prompts.notify(
        'error',
        `${fileName} changed while you answered, so nothing was moved and nothing stored. Run "${TITLE}" again on the file as it is now.`,
      );
      return;
    }
    const stored = await this.store(plan);
    if (stored.length === 0) return;
    await this.editFile(document, version, stored, lineChoice, fileName);
  }

  /** The `.env` files of the workspace, to pick one from, when the command has none. */
  private async chooseFile(): Promise<vscode.Uri | undefined> {
    const active = vscode.window.activeTextEditor?.document;
    if (active && fileKindOf(active.languageId, active.fileName) === 'dotenv') return active.uri;
    const files = await vscode.workspace.findFiles('**/{.env,.env.*,*.env}', '**/node_modules/**', 200);
    if (files.length === 0) {
      await this.prompts.notify(
        'info',
        'This workspace has no .env file to import keys from. Open one, or right-click it in the Explorer: "Import Keys from File…".',
      );
      return undefined;
    }
    const picked = await this.prompts.pick(
      files.map((file) => ({ label: vscode.workspace.asRelativePath(file, false), file })),
      { title: 'Import Keys from File', placeHolder: 'Which .env file?' },
    );
    return picked?.file;
  }

  /** What the file holds that could move: in a `.env` file every value, flagged or named like a secret; elsewhere the findings. */
  private async movables(document: vscode.TextDocument, kind: FileKind, atLine?: number): Promise<Movable[]> {
    const text = document.getText();
    const { scanner } = await this.scanners.forDocument(document.uri);
    const findings = scanner.scanText(text, { fileName: document.fileName, languageId: document.languageId });
    if (kind === 'dotenv') {
      // By line, so that matching entries with findings stays linear in a file of many of both.
      const byLine = new Map<number, Finding[]>();
      for (const finding of findings) {
        const onLine = byLine.get(finding.line);
        if (onLine) onLine.push(finding);
        else byLine.set(finding.line, [finding]);
      }
      return parseDotenv(text).flatMap((entry): Movable[] => {
        const range = new vscode.Range(document.positionAt(entry.valueStart), document.positionAt(entry.valueEnd));
        const finding = byLine.get(entry.line)?.find((candidate) => range.contains(rangeOf(candidate)));
        if (entry.value === '' || (!finding && !looksLikeSecretName(entry.name))) return [];
        const removal = new vscode.Range(document.positionAt(entry.start), document.positionAt(entry.end));
        return [
          {
            variable: entry.name,
            value: entry.value,
            line: entry.line,
            flagged: finding !== undefined,
            ...(finding ? { ruleId: finding.ruleId } : {}),
            emptied: [vscode.TextEdit.replace(range, '')],
            removed: [vscode.TextEdit.delete(removal)],
          },
        ];
      });
    }
    return findings.filter((finding) => atLine === undefined || finding.line === atLine).map((finding) => this.structuredMovable(document, kind, finding));
  }

  /** A key found as a YAML or JSON value: emptied in place, or its line (its JSON property) removed. */
  private structuredMovable(document: vscode.TextDocument, kind: 'yaml' | 'json', finding: Finding): Movable {
    let range = rangeOf(finding);
    const line = document.lineAt(finding.line).text;
    const before = line.slice(0, finding.column);
    const quote = before.at(-1);
    if ((quote === '"' || quote === "'") && line[finding.endColumn] === quote && range.isSingleLine) {
      range = new vscode.Range(range.start.translate(0, -1), range.end.translate(0, 1));
    }
    const provider = this.kit.guessProvider(finding.ruleId, document.getText(), this.services.providers.all());
    const common = {
      variable: this.kit.variableFor(finding.ruleId, provider, before),
      value: document.getText(rangeOf(finding)),
      line: finding.line,
      flagged: true,
      ruleId: finding.ruleId,
    };
    const emptied = [vscode.TextEdit.replace(range, '""')];
    if (kind === 'json') {
      const text = document.getText();
      const path = getLocation(text, document.offsetAt(range.start) + 1).path;
      const removed = modify(text, path, undefined, {}).map((edit) =>
        vscode.TextEdit.replace(new vscode.Range(document.positionAt(edit.offset), document.positionAt(edit.offset + edit.length)), edit.content),
      );
      return { ...common, emptied, removed: removed.length ? removed : emptied };
    }
    // A YAML line of its own (`key: value`, `- KEY=value`) can go whole; anything else keeps its line.
    const alone =
      range.isSingleLine &&
      /^\s*(?:-\s+)?[\w"'.-]+\s*[:=]\s*$/.test(line.slice(0, range.start.character)) &&
      /^\s*(?:#.*)?$/.test(line.slice(range.end.character));
    return { ...common, emptied, removed: alone ? [vscode.TextEdit.delete(document.lineAt(finding.line).rangeIncludingLineBreak)] : emptied };
  }

  /** The multi-select of what a file holds, what the scanner flagged already chosen. */
  private async choose(fileName: string, found: readonly Movable[]): Promise<readonly Movable[] | undefined> {
    if (found.length === 0) return [];
    const picked = await this.prompts.pickMany(
      found.map((movable) => ({
        label: movable.variable,
        description: `line ${movable.line + 1} · ${maskSecret(movable.value)}${movable.flagged ? '' : ' · not flagged as a key'}`,
        picked: movable.flagged,
        movable,
      })),
      { title: `Import Keys from ${fileName}`, placeHolder: 'Which values move to API Key Guard? Their lines in the file lose them.' },
    );
    return picked?.map((item) => item.movable);
  }

  /** Every question for every key, before anything is stored: undefined when the user cancels any of them. */
  private async ask(document: vscode.TextDocument, chosen: readonly Movable[]): Promise<Planned[] | undefined> {
    const environment = await this.kit.askEnvironment(this.services, 'Environment', environmentOfFile(document.fileName));
    if (environment === undefined) return undefined;
    const plan: Planned[] = [];
    for (const movable of chosen) {
      const provider = await this.askProvider(document, movable);
      if (!provider) return undefined;
      const taken = new Set([
        ...this.services.store
          .list()
          .filter((record) => record.providerId === provider.id)
          .map((record) => record.name),
        ...plan.filter((planned) => planned.provider === provider).map((planned) => planned.name),
      ]);
      const name = await this.prompts.input({
        title: `Move ${movable.variable}: key name`,
        prompt: `The name launch configurations, tasks and terminals use for this ${provider.displayName} key.`,
        value: proposedKeyName(movable.variable, environment),
        validateInput: (text) =>
          !text.trim() ? 'Enter a name.' : taken.has(text.trim()) ? `${provider.displayName} already has a key named '${text.trim()}'.` : undefined,
      });
      if (name === undefined) return undefined;
      const params = await this.kit.askParameters(this.services, provider);
      if (params === undefined) return undefined;
      plan.push({ movable, provider, name: name.trim(), environment: environment.trim(), params });
    }
    return plan;
  }

  /** The provider the variable's name or the finding's rule says, confirmed by the user, or another one. */
  private async askProvider(document: vscode.TextDocument, movable: Movable): Promise<ProviderDefinition | undefined> {
    const providers = this.services.providers.all();
    const guessed =
      providers.find((provider) => provider.envVars.includes(movable.variable)) ??
      (movable.ruleId === undefined ? undefined : this.kit.guessProvider(movable.ruleId, document.getText(), providers));
    const custom = '$(add) Define a Custom Provider…';
    const ordered = guessed ? [guessed, ...providers.filter((provider) => provider !== guessed)] : providers;
    const picked = await this.prompts.pick(
      [
        ...ordered.map((provider) => ({
          label: provider.displayName,
          description:
            provider === guessed
              ? `guessed from ${movable.ruleId && !provider.envVars.includes(movable.variable) ? 'the key' : movable.variable}`
              : provider.baseUrl,
          provider: provider,
        })),
        { label: custom, provider: undefined },
      ],
      { title: `Move ${movable.variable}: provider`, placeHolder: 'Which API is this key for?' },
    );
    if (picked?.label !== custom) return picked?.provider;
    const id = await vscode.commands.executeCommand<string | undefined>('apiKeyGuard.addCustomProvider');
    return id === undefined ? undefined : this.services.providers.find(id);
  }

  /** Whether a moved key's line keeps its name with no value, or goes: asked once, then the setting says. */
  private async lineChoice(kind: FileKind): Promise<'empty' | 'remove' | undefined> {
    const setting = vscode.workspace.getConfiguration().get<string>(MOVED_LINE_SETTING);
    if (setting === 'empty' || setting === 'remove') return setting;
    const example = kind === 'dotenv' ? 'UPPZY_API_KEY=' : kind === 'yaml' ? 'apiKey: ""' : '"apiKey": ""';
    const picked = await this.prompts.pick(
      [
        { label: 'Keep the Name, Empty the Value', description: example, choice: 'empty' as const },
        { label: 'Remove the Line', choice: 'remove' as const },
      ],
      {
        title: `${TITLE}: the line in the file`,
        placeHolder: 'What becomes of the line? Asked once: the setting "API Key Guard: Moved Key Line" keeps your answer.',
      },
    );
    if (picked)
      await this.kit.writeSetting(() => vscode.workspace.getConfiguration().update(MOVED_LINE_SETTING, picked.choice, vscode.ConfigurationTarget.Global));
    return picked?.choice;
  }

  /** Stores each key and reads it back; those that fail are said, by variable, and stay in the file. */
  private async store(plan: readonly Planned[]): Promise<Array<Planned & { record: KeyRecord }>> {
    const stored: Array<Planned & { record: KeyRecord }> = [];
    const failed: string[] = [];
    for (const planned of plan) {
      let record: KeyRecord | undefined;
      try {
        record = await this.services.store.add(
          { providerId: planned.provider.id, name: planned.name, environment: planned.environment, params: planned.params },
          planned.movable.value,
        );
        if ((await this.services.store.readSecret(record.id)) !== planned.movable.value) {
          throw new Error("VS Code's secret storage did not give the key back as it was stored");
        }
        stored.push({ ...planned, record });
        this.services.log.info(
          `moved ${planned.movable.variable} to ${planned.provider.displayName} key '${record.name}' (${maskSecret(planned.movable.value)})`,
          [planned.movable.value],
        );
      } catch (error) {
        if (record) await this.services.store.remove(record.id).catch(() => undefined);
        // The storage's own words may quote what it was given.
        const reason = createRedactor([planned.movable.value])(error instanceof Error ? error.message : String(error));
        this.services.log.error(`could not move ${planned.movable.variable}: ${reason}`);
        failed.push(`${planned.movable.variable}: ${reason}`);
      }
    }
    if (failed.length > 0) {
      await this.prompts.notify(
        'error',
        `API Key Guard could not store ${failed.length === 1 ? 'the key' : `${failed.length} keys`}, and left ${failed.length === 1 ? 'its value' : 'their values'} in the file. ${failed.join(' ')}`,
        'Show Log',
      );
    }
    return stored;
  }

  /** Takes the stored keys' values out of the file, if it is still as it was; then offers to give them to programs by name. */
  private async editFile(
    document: vscode.TextDocument,
    version: number,
    stored: ReadonlyArray<Planned & { record: KeyRecord }>,
    lineChoice: 'empty' | 'remove',
    fileName: string,
  ): Promise<void> {
    const names = stored.map(({ record }) => `'${record.name}'`).join(', ');
    if (document.version !== version) {
      await this.prompts.notify(
        'warning',
        `API Key Guard stored ${names}, but ${fileName} changed meanwhile, so its values are still in it: remove them yourself.`,
      );
      return;
    }
    const wasDirty = document.isDirty;
    const edit = new vscode.WorkspaceEdit();
    edit.set(
      document.uri,
      stored.flatMap(({ movable }) => (lineChoice === 'empty' ? movable.emptied : movable.removed)),
    );
    if (!(await vscode.workspace.applyEdit(edit))) {
      await this.prompts.notify('warning', `API Key Guard stored ${names}, but could not edit ${fileName}: remove the values from it yourself.`);
      return;
    }
    // Saved, so the value leaves the disk too; a file with unsaved changes of the user's is left for them to save.
    const saved = !wasDirty && (await document.save());
    const variables = stored.map(({ movable }) => movable.variable).join(', ');
    const action = await this.prompts.notify(
      'info',
      `Moved ${variables} to API Key Guard as ${names}; ${fileName} no longer holds ${stored.length === 1 ? 'its value' : 'their values'}${saved ? '' : ' once you save it'}. If the file was ever committed or shared, rotate ${stored.length === 1 ? 'the key' : 'the keys'}. Give ${stored.length === 1 ? 'it' : 'them'} to your program by name:`,
      LAUNCH_ACTION,
      TASK_ACTION,
      TERMINAL_ACTION,
    );
    const folder = vscode.workspace.getWorkspaceFolder(document.uri) ?? vscode.workspace.workspaceFolders?.[0];
    const keys = Object.fromEntries(stored.map(({ movable, record }) => [movable.variable, record.name]));
    if (action === LAUNCH_ACTION && folder) await this.addToLaunchConfiguration(folder, keys);
    if (action === TASK_ACTION && folder) await this.addToTask(folder, keys);
    if (action === TERMINAL_ACTION) {
      for (const { movable, record } of stored) await this.kit.setTerminalVariable(this.services, record, movable.variable);
    }
  }

  private async addToLaunchConfiguration(folder: vscode.WorkspaceFolder, keys: Record<string, string>): Promise<void> {
    const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'launch.json');
    const document = await vscode.workspace.openTextDocument(file).then(
      (opened) => opened,
      () => undefined,
    );
    const configurations = (document && nodeAt(document, ['configurations'])?.children) ?? [];
    if (!document || configurations.length === 0) {
      await this.prompts.notify(
        'info',
        `This workspace has no launch configuration yet. Add one (Run > Add Configuration…), then name the keys in it: "apiKeyGuard": ${JSON.stringify(keys)}.`,
      );
      return;
    }
    const picked = await this.prompts.pick(
      configurations.map((node, index) => {
        const name = valueAt(node, 'name');
        const type = valueAt(node, 'type');
        return { label: typeof name === 'string' ? name : `Configuration ${index + 1}`, description: typeof type === 'string' ? type : '', index, node };
      }),
      { title: 'Add the keys to a launch configuration', placeHolder: 'Which configuration gets them?' },
    );
    if (!picked) return;
    const current: unknown = valueAt(picked.node, 'apiKeyGuard');
    await this.editJson(document, ['configurations', picked.index, 'apiKeyGuard'], { ...(isObject(current) ? current : {}), ...keys });
  }

  private async addToTask(folder: vscode.WorkspaceFolder, keys: Record<string, string>): Promise<void> {
    const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'tasks.json');
    let document = await vscode.workspace.openTextDocument(file).then(
      (opened) => opened,
      () => undefined,
    );
    const tasks = (document && nodeAt(document, ['tasks'])?.children) ?? [];
    const ours = tasks.flatMap((node, index) => (valueAt(node, 'type') === this.kit.taskType ? [{ node, index }] : []));
    const newTask = '$(add) New Task…';
    const picked = await this.prompts.pick(
      [
        ...ours.map(({ node, index }) => {
          const label = valueAt(node, 'label');
          return { label: typeof label === 'string' ? label : `Task ${index + 1}`, index, node };
        }),
        { label: newTask, index: -1, node: undefined },
      ],
      { title: 'Add the keys to a task', placeHolder: `Which task of type "${this.kit.taskType}" gets them?` },
    );
    if (!picked) return;
    if (picked.node) {
      const current: unknown = valueAt(picked.node, 'keys');
      await this.editJson(document!, ['tasks', picked.index, 'keys'], { ...(isObject(current) ? current : {}), ...keys });
      return;
    }
    const command = await this.prompts.input({
      title: 'New task: command',
      prompt: 'The command that needs the keys, e.g. node bot.js. It runs with them in its environment.',
      validateInput: (text) => (text.trim() ? undefined : 'Enter a command.'),
    });
    if (command === undefined) return;
    if (!document) {
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('{\n  "version": "2.0.0",\n  "tasks": []\n}\n'));
      document = await vscode.workspace.openTextDocument(file);
    }
    const task = { label: `Run ${command.trim()}`, type: this.kit.taskType, command: command.trim(), keys };
    const list = nodeAt(document, ['tasks']);
    await (list?.type === 'array' ? this.editJson(document, ['tasks', list.children?.length ?? 0], task, true) : this.editJson(document, ['tasks'], [task]));
  }

  /** One change to a launch.json or tasks.json, through a WorkspaceEdit (Undo reverts it), then saved so VS Code reads it. */
  private async editJson(document: vscode.TextDocument, path: JSONPath, value: unknown, insertion = false): Promise<void> {
    const editor = vscode.window.visibleTextEditors.find((candidate) => candidate.document === document);
    const tabSize = typeof editor?.options.tabSize === 'number' ? editor.options.tabSize : 2;
    const edits = modify(document.getText(), path, value, { formattingOptions: { insertSpaces: true, tabSize }, isArrayInsertion: insertion });
    const edit = new vscode.WorkspaceEdit();
    edit.set(
      document.uri,
      edits.map((change) =>
        vscode.TextEdit.replace(new vscode.Range(document.positionAt(change.offset), document.positionAt(change.offset + change.length)), change.content),
      ),
    );
    if (await vscode.workspace.applyEdit(edit)) await document.save();
    await vscode.window.showTextDocument(document, { preview: false });
  }
}

const LAUNCH_ACTION = 'Add to Launch Configuration…';
const TASK_ACTION = 'Add to Task…';
const TERMINAL_ACTION = 'Set as Terminal Variable…';

function lastLine(movable: Movable): number {
  return Math.max(movable.line, ...movable.emptied.map((edit) => edit.range.end.line));
}

function rangeOf(finding: Finding): vscode.Range {
  return new vscode.Range(finding.line, finding.column, finding.endLine, finding.endColumn);
}

/** The value of an object node's property, objects and arrays included. */
function valueAt(node: Node, property: string): unknown {
  const found = findNodeAtLocation(node, [property]);
  return found && (getNodeValue(found) as unknown);
}

function nodeAt(document: vscode.TextDocument, path: JSONPath): Node | undefined {
  const root = parseTree(document.getText());
  return root && findNodeAtLocation(root, path);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
