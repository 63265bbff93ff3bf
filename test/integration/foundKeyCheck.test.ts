import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closedPortOrigin, startProviderServer, startServer, TEST_KEYS, TEST_PARAMS, type LocalServer, type ProviderServer } from '../fixtures/providerServers';
import { activateExtension, eventually, removeAllKeys } from './activate';
import { closeAllEditors, codeActionsOffering, diagnosticsWhere, keyDiagnostics } from './lintedDocuments';
import { ScriptedPrompts, type Answer } from './scriptedPrompts';
import type { ApiKeyGuardApi } from '../../src/extension/extension';
import type { Prompts } from '../../src/extension/prompts';

const COMMAND = 'apiKeyGuard.checkFoundKey';
const TITLE = 'Check Whether This Key Works';
const WORKSPACE = vscode.workspace.workspaceFolders![0]!.uri;
const TENANT = TEST_PARAMS.uppzy!.tenantId!;

/** An Uppzy key no check has seen yet: verdicts last the session, so each test has keys of its own. */
function freshUppzyKey(): string {
  return `upz_live_${randomBytes(16).toString('hex')}`;
}

/** A key of the custom provider Acme (see `useAcmeProvider`) no check has seen yet: letters and digits, as random as a real key. */
function freshAcmeKey(): string {
  const characters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(30), (byte) => characters[byte % characters.length]).join('');
}

/** Prompts that record a server's requests at the moment the modal dialog is asked, and answer it as scripted. */
class PromptsWatchingServer extends ScriptedPrompts {
  readonly requestsBeforeConfirm: number[] = [];
  readonly confirmations: Array<{ message: string; detail: string }> = [];

  constructor(
    answers: Answer[],
    private readonly server: ProviderServer,
  ) {
    super(answers);
  }

  override confirm(message: string, detail: string): Promise<boolean> {
    this.requestsBeforeConfirm.push(this.server.requests.length);
    this.confirmations.push({ message, detail });
    return super.confirm(message, detail);
  }
}

/** Answers every question yes, with the first item of a pick: what a careless user or a hostile caller hopes for. */
function yesToEverything(asked: string[]): Prompts {
  const note = (what: string) => asked.push(what);
  return {
    pick: async (items, options) => (note(`pick: ${options.title}`), items[0]),
    pickMany: async (items) => (note('pickMany'), items),
    input: async (options) => (note(`input: ${options.title}`), options.value ?? 'tenant-42'),
    pickStep: async (items) => (note('pickStep'), items[0]),
    inputStep: async (options) => (note('inputStep'), options.value ?? 'tenant-42'),
    confirm: async (message) => (note(`confirm: ${message}`), true),
    notify: async () => undefined,
    status: () => undefined,
  };
}

describe('Check Whether This Key Works: a key found in code, checked against its provider', function () {
  this.timeout(60_000);
  let api: ApiKeyGuardApi;
  let server: ProviderServer;
  const files: vscode.Uri[] = [];
  const workspaceScanned = false;

  /** A file on disk in the workspace, opened in an editor, whose one finding is shown. */
  async function openFile(name: string, content: string): Promise<{ document: vscode.TextDocument; diagnostic: vscode.Diagnostic }> {
    const uri = vscode.Uri.joinPath(WORKSPACE, name);
    fs.writeFileSync(uri.fsPath, content);
    files.push(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const [diagnostic] = await diagnosticsWhere(uri, `the finding in ${name}`, (diagnostics) => diagnostics.length === 1);
    return { document, diagnostic: diagnostic! };
  }

  const argumentFor = (document: vscode.TextDocument, diagnostic: vscode.Diagnostic) => ({
    uri: document.uri.toString(),
    line: diagnostic.range.start.line,
    character: diagnostic.range.start.character,
  });

  /** Runs the command on the file's finding with the scripted answers: the tenant, the local server, then the modal's answer. */
  async function check(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, answers: Answer[]): Promise<PromptsWatchingServer> {
    const prompts = new PromptsWatchingServer(answers, server);
    api.usePrompts(prompts);
    try {
      await vscode.commands.executeCommand(COMMAND, argumentFor(document, diagnostic));
    } finally {
      api.usePrompts(undefined);
    }
    assert.equal(prompts.remaining, 0, `every question was asked (${prompts.asked.join('; ')})`);
    return prompts;
  }

  const sendToLocalServer = (confirm: boolean, baseUrl = server.baseUrl): Answer[] => [{ input: TENANT }, { pick: baseUrl }, { confirm }];

  /**
   * A custom provider, Acme, in the user's settings, whose server on this machine accepts `key` only; it has
   * no parameters and no stored key on another server, so the modal is a check's only question. Closing the
   * result removes both.
   */
  async function useAcmeProvider(key: string): Promise<LocalServer> {
    const acme = await startServer((request, response) => {
      response.writeHead(request.headers['x-acme-key'] === key ? 200 : 401, { 'content-type': 'application/json' });
      response.end('{}');
    });
    const setting = 'apiKeyGuard.customProviders';
    const definition = {
      id: 'acme',
      displayName: 'Acme API',
      baseUrl: acme.origin,
      auth: { in: 'header', name: 'X-Acme-Key' },
      envVars: ['ACME_API_KEY'],
      docsUrl: 'https://docs.acme.example/keys',
      check: { path: '/v1/me' },
    };
    await vscode.workspace.getConfiguration().update(setting, [definition], vscode.ConfigurationTarget.Global);
    await eventually(() => api.providers.find('acme')?.baseUrl === acme.origin, 'the custom provider');
    return {
      ...acme,
      close: async () => {
        await vscode.workspace.getConfiguration().update(setting, undefined, vscode.ConfigurationTarget.Global);
        await acme.close();
      },
    };
  }

  /** Files on disk in the workspace that no editor shows, and the one diagnostic Scan Workspace gives each. */
  async function scanClosedFiles(contents: Record<string, string>): Promise<Array<{ uri: vscode.Uri; diagnostic: vscode.Diagnostic }>> {
    const uris = Object.entries(contents).map(([name, content]) => {
      const uri = vscode.Uri.joinPath(WORKSPACE, name);
      fs.writeFileSync(uri.fsPath, content);
      files.push(uri);
      return uri;
    });
    // The scanners may still be taking in a provider just defined.
    await eventually(
      async () => {
        await vscode.commands.executeCommand<number>('apiKeyGuard.scanWorkspace');
        return uris.every((uri) => keyDiagnostics(uri).length === 1);
      },
      `Scan Workspace's findings in ${Object.keys(contents).join(', ')}`,
    );
    const shown = new Set(vscode.window.tabGroups.all.flatMap((group) => group.tabs).map((tab) => (tab.input as { uri?: vscode.Uri })?.uri?.toString()));
    assert.ok(
      uris.every((uri) => !shown.has(uri.toString())),
      'no editor shows the files',
    );
    return uris.map((uri) => ({ uri, diagnostic: keyDiagnostics(uri)[0]! }));
  }

  before(async () => {
    api = await activateExtension();
    await removeAllKeys(api);
    server = await startProviderServer('uppzy');
    // The user's own Uppzy key on this server (its secret is in no file): a found key's check offers its server and tenant.
    await api.store.add(
      { providerId: 'uppzy', name: 'local', environment: 'development', baseUrl: server.baseUrl, params: { tenantId: TENANT } },
      freshUppzyKey(),
    );
  });

  afterEach(async () => {
    server.force = undefined;
    server.requests.splice(0);
    await closeAllEditors();
    for (const uri of files.splice(0)) fs.rmSync(uri.fsPath, { force: true });
    // Once the workspace was scanned, a file closed is scanned again: the findings of the files removed go with the next scan.
    if (workspaceScanned) await vscode.commands.executeCommand('apiKeyGuard.scanWorkspace');
  });

  after(async () => {
    await removeAllKeys(api);
    await server.close();
  });

  it('is offered in the light bulb and the hover only for a finding whose provider can check it', async () => {
    const { document, diagnostic } = await openFile('found-offered.js', `const UPPZY_API_KEY = '${freshUppzyKey()}';\n`);
    const offered = await codeActionsOffering(document, diagnostic, new RegExp(`^${TITLE}$`));
    const action = offered.find((candidate) => candidate.title === TITLE)!;
    assert.deepEqual(action.command?.arguments, [argumentFor(document, diagnostic)], 'the action names the place, never the key');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, diagnostic.range.start.translate(0, 3));
    const hover = hovers
      .flatMap((candidate) => candidate.contents)
      .find((content) => content instanceof vscode.MarkdownString && content.value.includes(COMMAND));
    assert.ok(hover instanceof vscode.MarkdownString, 'the hover links the check');
    assert.ok(typeof hover.isTrusted === 'object' && hover.isTrusted.enabledCommands.includes(COMMAND), "the hover's link may run only our commands");

    // A generic secret names no provider: nothing to check it against.
    const generic = await openFile('found-generic.js', `const token = "${['Zq8vL2mN4p', 'R7tX1yB5cD'].join('')}";\n`);
    const actions = await codeActionsOffering(generic.document, generic.diagnostic, /^Suppress on this line/);
    assert.ok(
      !actions.some((candidate) => candidate.title === TITLE),
      `no check offered (offered: ${actions.map((candidate) => candidate.title).join(' | ')})`,
    );
  });

  it('sends nothing before the modal dialog is accepted, and nothing when it is declined', async () => {
    const { document, diagnostic } = await openFile('found-declined.js', `const UPPZY_API_KEY = '${freshUppzyKey()}';\n`);
    const prompts = await check(document, diagnostic, sendToLocalServer(false));
    assert.deepEqual(prompts.asked.slice(0, 2), [
      'input: Check the Uppzy M2M API key found at found-declined.js:1 (1/2): Tenant ID',
      'pick: Check the Uppzy M2M API key found at found-declined.js:1 (2/2): Base URL',
    ]);
    assert.equal(
      prompts.prefilled['Check the Uppzy M2M API key found at found-declined.js:1 (1/2): Tenant ID'],
      TENANT,
      "the tenant of the user's last Uppzy key",
    );
    assert.deepEqual(
      prompts.confirmations.map((asked) => asked.message),
      [`Send this key to ${new URL(server.origin).host} to check it?`],
    );
    assert.match(
      prompts.confirmations[0]!.detail,
      /found at found-declined\.js:1 \(\*\*\*\*\w{4}\) once, in a GET to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/m2m\/tenants\/tenant-42\/limits/,
    );
    assert.deepEqual(prompts.requestsBeforeConfirm, [0], 'nothing was sent while the questions were asked');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(server.requests.length, 0, 'nothing was sent after the modal was declined');
    assert.equal(keyDiagnostics(document.uri)[0]?.severity, vscode.DiagnosticSeverity.Warning, 'the finding stays as it was');
  });

  it('from the palette, checks the key at the cursor, and says when the cursor is on none', async () => {
    const { diagnostic } = await openFile('found-palette.js', `// palette\nconst UPPZY_API_KEY = '${freshUppzyKey()}';\n`);
    const editor = vscode.window.activeTextEditor!;
    const runAtCursor = async (at: vscode.Position, answers: Answer[]): Promise<PromptsWatchingServer> => {
      editor.selection = new vscode.Selection(at, at);
      const prompts = new PromptsWatchingServer(answers, server);
      api.usePrompts(prompts);
      try {
        await vscode.commands.executeCommand(COMMAND);
      } finally {
        api.usePrompts(undefined);
      }
      assert.equal(prompts.remaining, 0, `every question was asked (${prompts.asked.join('; ')})`);
      return prompts;
    };
    const nowhere = await runAtCursor(new vscode.Position(0, 2), []);
    assert.deepEqual(
      nowhere.notifications.map((notice) => notice.message),
      ['The cursor is on no key API Key Guard found.'],
    );
    const onKey = await runAtCursor(diagnostic.range.start.translate(0, 5), sendToLocalServer(false));
    assert.match(onKey.asked[0] ?? '', /found-palette\.js:2 \(1\/2\): Tenant ID$/);
    assert.equal(server.requests.length, 0, 'declined: nothing sent');
  });

  it('escalates a live key to an error with its rotation steps, which survives edits elsewhere in the file', async () => {
    const { document, diagnostic } = await openFile('found-live.js', `// orders\nconst UPPZY_API_KEY = '${TEST_KEYS.uppzy}';\n`);
    const prompts = await check(document, diagnostic, sendToLocalServer(true));
    assert.deepEqual(prompts.requestsBeforeConfirm, [0]);
    const [live] = await diagnosticsWhere(document.uri, 'the live verdict', (diagnostics) => diagnostics[0]?.severity === vscode.DiagnosticSeverity.Error);
    assert.equal(server.requests.length, 1, 'one request');
    assert.equal(server.requests[0]!.headers['x-api-key'], TEST_KEYS.uppzy, 'the key found in the file, to the server chosen');
    assert.ok(
      live!.message.startsWith(
        "This key works against Uppzy M2M API: rotate it, then remove it from the file. Uppzy's rotation: create a new key on the dashboard's API Access page",
      ),
      live!.message,
    );
    assert.match(live!.message, /A key for Uppzy M2M API is hardcoded in UPPZY_API_KEY\. .* \(\*\*\*\*\w{4}\)$/);
    assert.ok(!live!.message.includes(TEST_KEYS.uppzy!.slice(-8)), 'the message shows no more than the last 4 characters');
    assert.ok(
      prompts.notifications.some((notice) => notice.message.startsWith('This key works against Uppzy M2M API')),
      'the user is told',
    );
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, live!.range.start.translate(0, 3));
    const hoverText = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(hoverText, /This key works against Uppzy M2M API/, 'the hover says it too');

    const editor = vscode.window.activeTextEditor!;
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '// billing\n'));
    await diagnosticsWhere(document.uri, 'the verdict after an edit elsewhere', (diagnostics) => diagnostics[0]?.range.start.line === 2);
    assert.equal(keyDiagnostics(document.uri)[0]?.severity, vscode.DiagnosticSeverity.Error, 'still an error');
    assert.equal(server.requests.length, 1, 'the verdict is remembered, not checked again');
  });

  it('says a refused key (401) no longer works, and a 403 is a live key without permission', async () => {
    const refused = await openFile('found-refused.js', `const UPPZY_API_KEY = '${freshUppzyKey()}';\n`);
    await check(refused.document, refused.diagnostic, sendToLocalServer(true));
    const [diagnostic] = await diagnosticsWhere(refused.document.uri, 'the refused verdict', (diagnostics) => /refused/.test(diagnostics[0]?.message ?? ''));
    assert.ok(
      diagnostic!.message.startsWith('Uppzy M2M API refused this key (HTTP 401): it no longer works there; remove it from the file anyway.'),
      diagnostic!.message,
    );
    assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Warning);

    server.force = 'forbidden';
    const forbidden = await openFile('found-forbidden.js', `const UPPZY_API_KEY = '${freshUppzyKey()}';\n`);
    await check(forbidden.document, forbidden.diagnostic, sendToLocalServer(true));
    const [live] = await diagnosticsWhere(
      forbidden.document.uri,
      'the 403 verdict',
      (diagnostics) => diagnostics[0]?.severity === vscode.DiagnosticSeverity.Error,
    );
    assert.ok(live!.message.startsWith('This key works against Uppzy M2M API, though it may not make this request (HTTP 403): rotate it'), live!.message);
  });

  it('says it could not tell when the server cannot be reached, and keeps the finding', async () => {
    const unreachable = `${await closedPortOrigin()}/api/v1`;
    const record = await api.store.add(
      { providerId: 'uppzy', name: 'gone', environment: 'staging', baseUrl: unreachable, params: { tenantId: TENANT } },
      freshUppzyKey(),
    );
    try {
      const { document, diagnostic } = await openFile('found-unreachable.js', `const UPPZY_API_KEY = '${freshUppzyKey()}';\n`);
      await check(document, diagnostic, sendToLocalServer(true, unreachable));
      const [unknown] = await diagnosticsWhere(document.uri, 'the unknown verdict', (diagnostics) => /^Could not tell/.test(diagnostics[0]?.message ?? ''));
      assert.match(unknown!.message, /^Could not tell whether this key works against Uppzy M2M API: .+ A key for Uppzy M2M API is hardcoded/);
      assert.equal(unknown!.severity, vscode.DiagnosticSeverity.Warning, 'the finding stays at its severity');
    } finally {
      await api.store.remove(record.id);
    }
  });

  it("checks a custom provider's key found under its own variable, and names the generic rotation steps", async () => {
    const key = ['Ac7mQx2Lp9', 'Kv4Wr8Tz3H', 'c6Bj1Ys5Ua'].join('');
    const acme = await useAcmeProvider(key);
    try {
      const { document, diagnostic } = await openFile('found-custom.js', `const ACME_API_KEY = '${key}';\n`);
      assert.equal((diagnostic.code as { value: string }).value, 'acme-key', "the provider's own variable rule found it");
      // No parameters, and no key of it on another server: the modal is the only question.
      const prompts = new PromptsWatchingServer([{ confirm: true }], server);
      api.usePrompts(prompts);
      try {
        await vscode.commands.executeCommand(COMMAND, argumentFor(document, diagnostic));
      } finally {
        api.usePrompts(undefined);
      }
      assert.deepEqual(
        prompts.confirmations.map((asked) => asked.message),
        [`Send this key to ${new URL(acme.origin).host} to check it?`],
      );
      const [live] = await diagnosticsWhere(document.uri, 'the live verdict', (diagnostics) => diagnostics[0]?.severity === vscode.DiagnosticSeverity.Error);
      assert.ok(
        live!.message.startsWith(
          'This key works against Acme API: rotate it, then remove it from the file. Create a new key with the provider, move your programs to it, then revoke this one.',
        ),
        live!.message,
      );
      assert.equal(acme.requests.length, 1);
      assert.equal(acme.requests[0]!.url, '/v1/me');
    } finally {
      await acme.close();
    }
  });

  it('checks automatically only for the providers the user named, never for a workspace that names them', async () => {
    const settingsFile = path.join(WORKSPACE.fsPath, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    // `lint.testPaths` at its default value shows when VS Code has read the file.
    fs.writeFileSync(settingsFile, JSON.stringify({ 'apiKeyGuard.checkFoundKeys': ['uppzy'], 'apiKeyGuard.lint.testPaths': 'lower' }));
    try {
      await eventually(() => vscode.workspace.getConfiguration().inspect('apiKeyGuard.lint.testPaths')?.workspaceValue === 'lower', 'the workspace settings');
      const { document } = await openFile('found-automatic.js', `const UPPZY_API_KEY = '${freshUppzyKey()}';\n`);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(server.requests.length, 0, "the workspace's value sent nothing");
      assert.ok(!/refused|works|Could not tell/.test(keyDiagnostics(document.uri)[0]?.message ?? ''), 'and gave no verdict');

      await vscode.workspace.getConfiguration().update('apiKeyGuard.checkFoundKeys', ['uppzy'], vscode.ConfigurationTarget.Global);
      const [checked] = await diagnosticsWhere(document.uri, 'the automatic verdict', (diagnostics) => /refused this key/.test(diagnostics[0]?.message ?? ''));
      assert.ok(checked, "the user's value checked the key shown, without asking");
      assert.equal(server.requests.length, 1, 'once');
    } finally {
      await vscode.workspace.getConfiguration().update('apiKeyGuard.checkFoundKeys', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(path.dirname(settingsFile), { recursive: true, force: true });
      await eventually(() => vscode.workspace.getConfiguration().inspect('apiKeyGuard.lint.testPaths')?.workspaceValue === undefined, 'the settings gone');
    }
  });

  it("shows a verdict on Scan Workspace's findings of the key in files that are not open, checked from such a finding's quick fix", async () => {
    const key = freshAcmeKey();
    const acme = await useAcmeProvider(key);
    try {
      const [checked, copy] = await scanClosedFiles({
        'found-scanned-live.js': `// orders\nconst ACME_API_KEY = '${key}';\n`,
        'found-scanned-live-copy.js': `const ACME_API_KEY = '${key}';\n`,
      });
      assert.equal(checked!.diagnostic.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(checked!.diagnostic.message, /^A key for Acme API is hardcoded in ACME_API_KEY/, 'no verdict before the check');
      // The Problems panel asks for a marker's quick fixes once its file has a model (it waits for one): here a
      // model without an editor, which the linter leaves to Scan Workspace.
      const model = await vscode.workspace.openTextDocument(checked!.uri);
      const offered = await codeActionsOffering(model, checked!.diagnostic, new RegExp(`^${TITLE}$`), vscode.CodeActionKind.QuickFix);
      assert.deepEqual(
        offered.map((action) => action.title),
        [TITLE],
        'of the quick fixes, the check only',
      );
      const place = { uri: checked!.uri.toString(), line: 1, character: checked!.diagnostic.range.start.character };
      assert.deepEqual(offered[0]!.command?.arguments, [place], 'the action names the place, never the key');
      const prompts = new PromptsWatchingServer([{ confirm: true }], server);
      api.usePrompts(prompts);
      try {
        await vscode.commands.executeCommand(COMMAND, ...offered[0]!.command.arguments);
      } finally {
        api.usePrompts(undefined);
      }
      assert.deepEqual(
        prompts.confirmations.map((asked) => asked.message),
        [`Send this key to ${new URL(acme.origin).host} to check it?`],
      );
      assert.match(prompts.confirmations[0]!.detail, /found at found-scanned-live\.js:2 \(\*\*\*\*\w{4}\) once/);
      assert.equal(acme.requests.length, 1, 'one request');
      assert.equal(acme.requests[0]!.headers['x-acme-key'], key, 'the key in the file');
      for (const { uri } of [checked!, copy!]) {
        const [live] = await diagnosticsWhere(
          uri,
          'the live verdict',
          (diagnostics) => diagnostics.length === 1 && diagnostics[0]!.severity === vscode.DiagnosticSeverity.Error,
        );
        assert.ok(
          live!.message.startsWith(
            'This key works against Acme API: rotate it, then remove it from the file. Create a new key with the provider, move your programs to it, then revoke this one. A key for Acme API is hardcoded in ACME_API_KEY',
          ),
          live!.message,
        );
        assert.ok(!live!.message.includes(key.slice(-8)), 'the message shows no more than the last 4 characters');
      }

      // Opened, the file is the linter's: one diagnostic, which follows an edit (Scan Workspace's would stay on line 2).
      const document = await vscode.workspace.openTextDocument(checked!.uri);
      const editor = await vscode.window.showTextDocument(document);
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '// billing\n'));
      const [moved] = await diagnosticsWhere(
        checked!.uri,
        "the linter's diagnostic alone, after an edit",
        (diagnostics) => diagnostics.length === 1 && diagnostics[0]!.range.start.line === 2,
      );
      assert.equal(moved!.severity, vscode.DiagnosticSeverity.Error, 'still an error');
      assert.equal(acme.requests.length, 1, 'the verdict is remembered, not checked again');
    } finally {
      await acme.close();
    }
  });

  it("says a refused key no longer works on Scan Workspace's findings of it in files that are not open, checked from an open copy", async () => {
    const key = freshUppzyKey();
    const [closed] = await scanClosedFiles({ 'found-scanned-refused.js': `const UPPZY_API_KEY = '${key}';\n` });
    assert.equal(closed!.diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    const { document, diagnostic } = await openFile('found-scanned-refused-open.js', `// a copy\nconst UPPZY_API_KEY = '${key}';\n`);
    await check(document, diagnostic, sendToLocalServer(true));
    const refused = 'Uppzy M2M API refused this key (HTTP 401): it no longer works there; remove it from the file anyway.';
    const [verdict] = await diagnosticsWhere(closed!.uri, 'the refused verdict', (diagnostics) => diagnostics[0]?.message.startsWith(refused) === true);
    assert.equal(verdict!.severity, vscode.DiagnosticSeverity.Warning, 'the finding stays at its severity');
    assert.equal(keyDiagnostics(closed!.uri).length, 1);

    // A later scan shows the verdict at once.
    const [later] = await scanClosedFiles({ 'found-scanned-refused-later.js': `const UPPZY_API_KEY = '${key}';\n` });
    assert.ok(later!.diagnostic.message.startsWith(refused), later!.diagnostic.message);
    assert.equal(server.requests.length, 1, 'checked once');
  });

  it('does nothing for an argument that is not the place of a finding shown, whatever the answers', async () => {
    const key = freshUppzyKey();
    const { document, diagnostic } = await openFile('found-crafted.js', `// crafted\nconst UPPZY_API_KEY = '${key}';\n`);
    const other = await vscode.workspace.openTextDocument({ language: 'javascript', content: '// nothing here\n\n' });
    const place = argumentFor(document, diagnostic);
    const asked: string[] = [];
    api.usePrompts(yesToEverything(asked));
    try {
      for (const argument of [
        key,
        { key },
        { uri: document.uri.toString(), line: 0, character: 3 },
        { ...place, uri: other.uri.toString() },
        { ...place, uri: vscode.Uri.joinPath(WORKSPACE, 'found-crafted-elsewhere.js').toString() },
        { ...place, line: String(place.line) },
        { ...place, line: -1 },
        [place],
      ]) {
        const result = await vscode.commands.executeCommand(COMMAND, argument);
        assert.equal(result, undefined, `nothing comes back for ${JSON.stringify(argument)}`);
      }
    } finally {
      api.usePrompts(undefined);
    }
    assert.deepEqual(asked, [], 'nothing was asked');
    assert.equal(server.requests.length, 0, 'nothing was sent');
  });
});
