import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApiKeyGuardApi } from '../../src/extension/extension';
import { activateExtension, eventually, removeAllKeys } from './activate';
import { filesWithSecret, holdsPieceOf } from './programReport';
import { ScriptedPrompts, type Answer } from './scriptedPrompts';
import { FlakySecrets, MemoryMemento } from './storageDoubles';

const IMPORT = 'apiKeyGuard.importKeysFromFile';
const SETTING = 'apiKeyGuard.movedKeyLine';
/**
 * The key in the files moved from: not the terminal, task and debug tests' key, which must exist nowhere, since VS Code's
 * local history may keep a copy of a file the user had it in. Assembled so no scanner reading this file takes it for a real one.
 */
const SECRET = ['upz_live', 'Wm5Pq8Rt2Ys7Lk3Nb9Vx4Gc6Hd1ZfJ'].join('_');
const hasSecret = (text: string) => holdsPieceOf(SECRET, text);
/** A second key, for a file that holds two; assembled so no scanner reading this file takes it for a real one. */
const OTHER_SECRET = ['hunter2', 'Xq9vLm4TzR8w'].join('-');

describe('moving keys out of .env, YAML and JSON files', function () {
  this.timeout(60000);
  const folder = vscode.workspace.workspaceFolders![0]!;
  const scratch = path.join(folder.uri.fsPath, 'migration');
  const launchFile = path.join(folder.uri.fsPath, '.vscode', 'launch.json');
  const tasksFile = path.join(folder.uri.fsPath, '.vscode', 'tasks.json');
  let api: ApiKeyGuardApi;
  let prompts: ScriptedPrompts;

  const write = (name: string, content: string | Buffer) => {
    const file = path.join(scratch, name);
    fs.writeFileSync(file, content);
    return vscode.Uri.file(file);
  };
  const read = (uri: vscode.Uri) => fs.readFileSync(uri.fsPath, 'utf8');

  /** Runs the command as its quick fix or menu does, answering as `answers` say; every question must be asked. */
  async function run(argument: unknown, answers: Answer[], using: ScriptedPrompts = new ScriptedPrompts(answers)): Promise<ScriptedPrompts> {
    prompts = using;
    api.usePrompts(prompts);
    await vscode.commands.executeCommand(IMPORT, argument);
    assert.equal(prompts.remaining, 0, `every scripted question was asked (${prompts.asked.join('; ')})`);
    return prompts;
  }

  /** The "Move to API Key Guard" quick fix on the document's one finding, once the linter shows it. */
  async function moveFix(uri: vscode.Uri): Promise<vscode.Command> {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const action = await eventually(
      async () => {
        const [diagnostic] = vscode.languages.getDiagnostics(uri).filter((candidate) => candidate.source === 'API Key Guard');
        if (!diagnostic) return undefined;
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
        return actions.find((candidate) => candidate.title === 'Move to API Key Guard');
      },
      `the quick fix "Move to API Key Guard" in ${path.basename(uri.fsPath)}`,
    );
    assert.ok(action.command && !JSON.stringify(action.command).includes(SECRET), 'the quick fix carries a position, not the key');
    return action.command;
  }

  const uppzyAnswers = (name = 'orders-bot'): Answer[] => [{ pick: 'Uppzy M2M API' }, { input: name }, { input: 'tenant-42' }];

  before(async () => {
    api = await activateExtension();
    fs.mkdirSync(scratch, { recursive: true });
    fs.mkdirSync(path.dirname(launchFile), { recursive: true });
    // Through VS Code's file service, not fs: a model of launch.json VS Code holds (the debug tests write one) then holds
    // this text at once, where a write behind VS Code's back reaches it only when the file watcher reports it.
    await vscode.workspace.fs.writeFile(
      vscode.Uri.file(launchFile),
      new TextEncoder().encode(
        '{\n  // the bot\n  "version": "0.2.0",\n  "configurations": [{ "type": "node", "request": "launch", "name": "Run bot", "program": "${workspaceFolder}/bot.js", "apiKeyGuard": { "SALESLAYER_API_KEY": "catalog" } }]\n}\n',
      ),
    );
  });
  beforeEach(async () => {
    await removeAllKeys(api);
    await vscode.workspace.getConfiguration().update(SETTING, undefined, vscode.ConfigurationTarget.Global);
  });
  afterEach(async () => {
    api.usePrompts(undefined);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    await removeAllKeys(api);
    await vscode.workspace.getConfiguration().update(SETTING, undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(launchFile, { force: true });
    fs.rmSync(tasksFile, { force: true });
    if (fs.readdirSync(path.dirname(launchFile)).length === 0) fs.rmdirSync(path.dirname(launchFile));
  });

  it('moves a .env key to secret storage, empties its line, and names it in a launch configuration: no file holds it', async () => {
    const env = write('.env.production', `# the bot\nPORT=3000\nexport UPPZY_API_KEY=${SECRET} # order bot\n`);
    const fix = await moveFix(env);
    await run(fix.arguments?.[0], [
      { pick: 'production' },
      ...uppzyAnswers(),
      { pick: 'Keep the Name, Empty the Value' },
      { notify: 'Add to Launch Configuration…' },
      { pick: 'Run bot' },
    ]);
    assert.equal(prompts.offered['Move UPPZY_API_KEY: provider']?.[0], 'Uppzy M2M API (guessed from UPPZY_API_KEY)');
    assert.equal(prompts.prefilled['Move UPPZY_API_KEY: key name'], 'uppzy-api-key-production');
    const [record] = api.store.list();
    assert.deepEqual([record?.providerId, record?.name, record?.environment, record?.params], ['uppzy', 'orders-bot', 'production', { tenantId: 'tenant-42' }]);
    assert.equal(await api.store.readSecret(record!.id), SECRET);
    assert.equal(read(env), '# the bot\nPORT=3000\nexport UPPZY_API_KEY= # order bot\n', 'the line keeps its name and comment, saved');
    assert.match(fs.readFileSync(launchFile, 'utf8'), /"apiKeyGuard": \{\s*"SALESLAYER_API_KEY": "catalog",\s*"UPPZY_API_KEY": "orders-bot"\s*\}/);
    assert.match(fs.readFileSync(launchFile, 'utf8'), /\/\/ the bot/, "launch.json keeps the user's comment");
    assert.equal(vscode.workspace.getConfiguration().get(SETTING), 'empty', 'the choice is remembered');
    const { searched, leaks } = filesWithSecret(
      [
        folder.uri.fsPath,
        path.dirname(path.dirname(api.globalStorageUri.fsPath)), // the user's settings, global and workspace storage
        path.dirname(path.dirname(api.logUri.fsPath)), // this session's logs
      ],
      SECRET,
    );
    assert.ok(
      searched.includes(env.fsPath) && searched.some((file) => file.endsWith('settings.json')),
      `searched the file and the settings (${searched.length} files)`,
    );
    assert.deepEqual(leaks, [], 'no file holds the key');
    assert.ok(!prompts.notifications.some((notice) => hasSecret(notice.message)), 'no message holds it');
  });

  it('removes the line when the setting says so, keeps CRLF, and Undo brings the value back', async () => {
    await vscode.workspace.getConfiguration().update(SETTING, 'remove', vscode.ConfigurationTarget.Global);
    const env = write('crlf.env', `A=1\r\nUPPZY_API_KEY="${SECRET}"\r\nB=2\r\n`);
    await run({ uri: env.toString(), line: 1, character: 15 }, [{ pick: 'development' }, ...uppzyAnswers(), { notify: undefined }]);
    assert.equal(read(env), 'A=1\r\nB=2\r\n');
    assert.ok(!prompts.asked.some((question) => question.includes('the line in the file')), 'the line choice is not asked again');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(env));
    await vscode.commands.executeCommand('undo');
    assert.equal(vscode.window.activeTextEditor?.document.getText(), `A=1\r\nUPPZY_API_KEY="${SECRET}"\r\nB=2\r\n`);
  });

  it('imports a hostile .env file: a multi-select of what it holds, quoted, exported and multi-line values read as dotenv reads them', async () => {
    await vscode.workspace.getConfiguration().update(SETTING, 'remove', vscode.ConfigurationTarget.Global);
    const multiline = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    const text = [
      '# hostile',
      `export UPPZY_API_KEY='${SECRET}'`,
      `SIGNING_KEY="${multiline.replace(/\n/g, '\r\n')}"`,
      'PORT=8080',
      'GREETING="say \\"hi\\" # not a comment"',
      `DB_PASSWORD=${OTHER_SECRET}   # trailing comment`,
      'EMPTY_TOKEN=',
      '',
    ].join('\r\n');
    const env = write('.env', text);
    await run(env, [
      { pickMany: ['UPPZY_API_KEY', 'SIGNING_KEY', 'DB_PASSWORD'] },
      { pick: 'development' },
      ...uppzyAnswers(),
      { pick: 'Sales Layer' },
      { input: 'signing' },
      { pick: 'Sales Layer' },
      { input: 'db' },
      { notify: 'Add to Task…' },
      { pick: 'New Task…' },
      { input: 'node bot.js' },
    ]);
    const offered = prompts.offered['Import Keys from migration/.env'] ?? [];
    assert.deepEqual(
      offered.map((item) => item.split(' ')[0]),
      ['UPPZY_API_KEY', 'SIGNING_KEY', 'DB_PASSWORD'],
      'values named like keys, or flagged; not PORT, GREETING or the empty one',
    );
    assert.ok(!offered.some(hasSecret), 'the multi-select shows masked values');
    assert.ok(prompts.preselected['Import Keys from migration/.env']?.includes('UPPZY_API_KEY'), 'a flagged key starts chosen');
    const secrets = Object.fromEntries(await Promise.all(api.store.list().map(async (record) => [record.name, await api.store.readSecret(record.id)])));
    assert.deepEqual(secrets, { 'orders-bot': SECRET, signing: multiline, db: OTHER_SECRET });
    assert.equal(read(env), ['# hostile', 'PORT=8080', 'GREETING="say \\"hi\\" # not a comment"', 'EMPTY_TOKEN=', ''].join('\r\n'));
    assert.deepEqual(JSON.parse(fs.readFileSync(tasksFile, 'utf8')).tasks, [
      {
        label: 'Run node bot.js',
        type: 'apiKeyGuard',
        command: 'node bot.js',
        keys: { UPPZY_API_KEY: 'orders-bot', SIGNING_KEY: 'signing', DB_PASSWORD: 'db' },
      },
    ]);
  });

  it('leaves the file and the store as they were when the user cancels at any step', async () => {
    const content = `UPPZY_API_KEY=${SECRET}\n`;
    const steps: Answer[] = [{ pick: 'staging' }, ...uppzyAnswers(), { pick: 'Remove the Line' }];
    const cancel = (answer: Answer): Answer => ('pick' in answer ? { pick: undefined } : { input: undefined });
    for (let step = 0; step < steps.length; step++) {
      const env = write(`cancel-${step}.env`, content);
      await run({ uri: env.toString(), line: 0, character: 14 }, [...steps.slice(0, step), cancel(steps[step]!)]);
      assert.equal(read(env), content, `cancelled at step ${step + 1}: the file is unchanged`);
      assert.equal((await vscode.workspace.openTextDocument(env)).isDirty, false);
      assert.deepEqual(api.store.list(), [], `cancelled at step ${step + 1}: nothing stored`);
      assert.equal(vscode.workspace.getConfiguration().get(SETTING), 'ask');
    }
    const env = write('cancel-import.env', content);
    await run(env, [{ pickMany: undefined }]);
    assert.equal(read(env), content, 'the import cancelled at its multi-select');
  });

  it('leaves the file as it was when the secret storage throws, or does not give the key back, and says which variable', async () => {
    const secrets = new FlakySecrets();
    const store = api.createStore(secrets, new MemoryMemento());
    const content = `UPPZY_API_KEY=${SECRET}\n`;
    for (const failure of ['store', 'read back'] as const) {
      secrets.failStore = failure === 'store';
      secrets.failGet = failure === 'read back';
      const env = write(`failing-${failure.replace(' ', '-')}.env`, content);
      prompts = new ScriptedPrompts([{ pick: 'production' }, ...uppzyAnswers(), { pick: 'Remove the Line' }]);
      api.usePrompts(prompts);
      await api.migrateKeys(store, { uri: env.toString(), line: 0, character: 14 });
      assert.equal(read(env), content, `${failure} failed: the file is unchanged`);
      assert.deepEqual(store.list(), [], `${failure} failed: no record is left`);
      assert.equal(secrets.values.size, 0, `${failure} failed: no secret is left`);
      const errors = prompts.notifications.filter((notice) => notice.level === 'error');
      assert.equal(errors.length, 1, JSON.stringify(prompts.notifications));
      assert.match(errors[0]!.message, /could not store the key, and left its value in the file\. UPPZY_API_KEY: /);
      assert.ok(!hasSecret(errors[0]!.message), 'the message does not quote the key');
      await vscode.workspace.getConfiguration().update(SETTING, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('refuses to edit a file that changed while the user answered', async () => {
    const env = write('changing.env', `UPPZY_API_KEY=${SECRET}\n`);
    const document = await vscode.workspace.openTextDocument(env);
    const editor = await vscode.window.showTextDocument(document);
    class EditingPrompts extends ScriptedPrompts {
      override async input(options: vscode.InputBoxOptions & { title: string }) {
        await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# edited\n'));
        return super.input(options);
      }
    }
    await run(
      { uri: env.toString(), line: 0, character: 14 },
      [],
      new EditingPrompts([{ pick: 'production' }, ...uppzyAnswers(), { pick: 'Remove the Line' }]),
    );
    assert.match(prompts.notifications.at(-1)?.message ?? '', /changed while you answered, so nothing was moved and nothing stored/);
    assert.deepEqual(api.store.list(), []);
    assert.equal(document.getText(), `# edited\n# edited\nUPPZY_API_KEY=${SECRET}\n`);
  });

  it('moves a key out of YAML (emptied) and JSON (its property removed, commas kept valid)', async () => {
    const yaml = write('config.yml', `uppzy:\n  apiKey: "${SECRET}"\n  tenant: tenant-42\n`);
    await run((await moveFix(yaml)).arguments?.[0], [
      { pick: 'production' },
      ...uppzyAnswers('yaml-bot'),
      { pick: 'Keep the Name, Empty the Value' },
      { notify: 'Set as Terminal Variable…' },
      { input: 'UPPZY_API_KEY' },
      { confirm: true },
    ]);
    assert.equal(read(yaml), 'uppzy:\n  apiKey: ""\n  tenant: tenant-42\n');
    assert.equal(prompts.prefilled["'yaml-bot' in every new terminal"], 'UPPZY_API_KEY', 'the variable the provider documents is proposed');
    assert.equal(api.store.list()[0]?.terminalVariable, 'UPPZY_API_KEY');
    await vscode.workspace.getConfiguration().update(SETTING, 'remove', vscode.ConfigurationTarget.Global);
    const json = write('config.json', `{\n  "uppzy": {\n    "tenant": "tenant-42",\n    "apiKey": "${SECRET}"\n  }\n}\n`);
    await run((await moveFix(json)).arguments?.[0], [{ pick: 'production' }, ...uppzyAnswers('json-bot'), { notify: undefined }]);
    assert.deepEqual(JSON.parse(read(json)), { uppzy: { tenant: 'tenant-42' } });
    const secrets = await Promise.all(api.store.list().map((record) => api.store.readSecret(record.id)));
    assert.deepEqual(secrets, [SECRET, SECRET]);
  });

  it('refuses a binary or huge file with a clear message, and changes nothing', async () => {
    const binary = write('binary.env', Buffer.from([0x41, 0x3d, 0x00, 0x01, 0x02, 0x0a]));
    await run(binary, []);
    assert.equal(prompts.notifications.at(-1)?.level, 'error');
    const huge = write('huge.env', `UPPZY_API_KEY=${SECRET}\n${'PADDING=x\n'.repeat(600_000)}`);
    await run(huge, []);
    assert.match(prompts.notifications.at(-1)?.message ?? '', /huge\.env is over 5 MB, so API Key Guard does not read keys from it/);
    assert.ok(read(huge).startsWith(`UPPZY_API_KEY=${SECRET}\n`));
    assert.deepEqual(api.store.list(), []);
  });

  it('refuses an argument that is neither a file nor the place of a key, whoever passes it, and reads nothing', async () => {
    const env = write('crafted.env', `UPPZY_API_KEY=${SECRET}\n`);
    for (const argument of [
      { uri: env.toString(), line: '0', character: 14 },
      { uri: env.toString(), line: -1, character: 0 },
      { keyId: 'x' },
      env.toString(),
    ]) {
      await run(argument, []);
      assert.deepEqual(
        prompts.notifications.map(({ level, message }) => [level, message]),
        [['error', '"Move to API Key Guard" takes the place of a key in a file, and "Import Keys from File…" a file: neither was given, so nothing was read.']],
        `refused: ${JSON.stringify(argument)}`,
      );
    }
    assert.equal(read(env), `UPPZY_API_KEY=${SECRET}\n`);
    assert.deepEqual(api.store.list(), []);
  });
});

describe('completing key names in launch.json and tasks.json', () => {
  const scratch = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'completion');
  let api: ApiKeyGuardApi;
  let files = 0;

  /** The completion labels at the `|` of a fresh file (a document VS Code has open follows a write to disk only later). */
  async function labelsAt(name: 'launch.json' | 'tasks.json', content: string): Promise<string[]> {
    const file = path.join(scratch, String(files++), '.vscode', name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content.replace('|', ''));
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      document.positionAt(content.indexOf('|')),
    );
    return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
  }

  before(async () => {
    api = await activateExtension();
    await removeAllKeys(api);
    await api.store.add({ providerId: 'uppzy', name: 'orders-bot', environment: 'production', params: {} }, SECRET);
  });
  after(async () => {
    await removeAllKeys(api);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('offers stored key names as values and documented variables as names, only inside "apiKeyGuard" and a task\'s "keys"', async () => {
    const configuration = (keys: string) => `{ "version": "0.2.0", "configurations": [{ "type": "node", "name": "Run", ${keys} }] }`;
    assert.ok((await labelsAt('launch.json', configuration('"apiKeyGuard": { "UPPZY_API_KEY": "|" }'))).includes('orders-bot'));
    assert.ok((await labelsAt('launch.json', configuration('"apiKeyGuard": { "|" }'))).includes('UPPZY_API_KEY'));
    assert.ok(!(await labelsAt('launch.json', configuration('"env": { "UPPZY_API_KEY": "|" }'))).includes('orders-bot'), 'not in "env"');
    const task = (type: string) =>
      `{ "version": "2.0.0", "tasks": [{ "label": "Run", "type": "${type}", "command": "node bot.js", "keys": { "UPPZY_API_KEY": "|" } }] }`;
    const offered = await labelsAt('tasks.json', task('apiKeyGuard'));
    assert.ok(offered.includes('orders-bot'));
    assert.ok(!offered.some(hasSecret), 'no completion holds the key');
    assert.ok(!(await labelsAt('tasks.json', task('shell'))).includes('orders-bot'), 'not in a task of another type');
  });
});
