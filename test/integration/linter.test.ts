import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, eventually, removeAllKeys } from './activate';
import { base62, crc32 } from '../../src/core/scanner/checksums';
import { closeAllEditors, codeActionsOffering, diagnosticsWhere, keyDiagnostics, openUntitled } from './lintedDocuments';
import { ScriptedPrompts } from './scriptedPrompts';

/** Fake keys, assembled so that no scanner reading this file takes them for real ones. */
const STRIPE_KEY = ['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dcVx'].join('_');
const UPPZY_HEADER_KEY = ['Qm7vN2pL9x', 'K4mW8rT5yH3'].join('');
const STORED_SECRET = ['Zq7vN2pL', '9xK4mW8r'].join('');

const WORKSPACE = vscode.workspace.workspaceFolders?.[0]?.uri as vscode.Uri;
const LEGACY_CLIENT = vscode.Uri.joinPath(WORKSPACE, 'legacy-client.js');
const IGNORE_FILE = vscode.Uri.joinPath(WORKSPACE, '.apikeyguardignore');

async function quickFix(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, title: RegExp): Promise<vscode.CodeAction> {
  const actions = await codeActionsOffering(document, diagnostic, title, vscode.CodeActionKind.QuickFix);
  return actions.find((candidate) => title.test(candidate.title))!;
}

async function applyQuickFix(document: vscode.TextDocument, title: RegExp): Promise<vscode.CodeAction> {
  const [diagnostic] = await diagnosticsWhere(document.uri, 'a finding', (diagnostics) => diagnostics.length === 1);
  const action = await quickFix(document, diagnostic as vscode.Diagnostic, title);
  if (action.edit) {
    assert.ok(await vscode.workspace.applyEdit(action.edit), 'the edit applies');
  }
  if (action.command) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
  return action;
}

// Untitled documents stay open until the end: VS Code reuses a closed one's name, and a new document
// under a reused name can show the old one's text for a while.
describe('linter: inline warnings while coding', () => {
  after(async function () {
    // One command per dirty editor, and this suite leaves its untitled documents open to the end.
    this.timeout(60_000);
    await closeAllEditors();
  });

  it('flags a hardcoded key in an opened file, with its range, a one-line message, the rule and its README anchor', async () => {
    await activateExtension();
    const document = await vscode.workspace.openTextDocument(LEGACY_CLIENT);
    await vscode.window.showTextDocument(document);
    const [diagnostic] = await diagnosticsWhere(document.uri, 'the Uppzy key in legacy-client.js', (diagnostics) => diagnostics.length === 1);
    assert.ok(diagnostic);
    assert.deepEqual(diagnostic.range, new vscode.Range(1, 23, 1, 64));
    assert.equal(document.getText(diagnostic.range), 'upz_live_7Hq2Lm9Xv4Rt8Kw1Zp6Nc3Bd5Fg0Js2Y');
    assert.equal(
      diagnostic.message,
      'A key for Uppzy M2M API is hardcoded in UPPZY_API_KEY. Read it from the environment variable UPPZY_API_KEY or a secret manager at run time. (****Js2Y)',
    );
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    const code = diagnostic.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, 'uppzy-key');
    assert.equal(code.target.toString(true), 'https://example.com/api-key-guard/api-key-guard#rule-uppzy-key');
    assert.ok(!diagnostic.message.includes('Fg0Js2Y'), 'the message shows no more than the last 4 characters');
  });

  it('flags a key typed into an untitled document after the pause, and follows the edits', async () => {
    const document = await openUntitled('javascript', 'const client = createClient({\n});\n');
    const editor = vscode.window.activeTextEditor as vscode.TextEditor;
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), `  apiKey: "${STRIPE_KEY}",\n`));
    const [diagnostic] = await diagnosticsWhere(document.uri, 'the typed Stripe key', (diagnostics) => diagnostics.length === 1);
    assert.deepEqual(diagnostic?.range, new vscode.Range(1, 11, 1, 11 + STRIPE_KEY.length));
    assert.equal(
      diagnostic?.message,
      'A Stripe secret or restricted key is hardcoded here. Read it from the environment variable STRIPE_SECRET_KEY or a secret manager at run time. (****dcVx)',
    );
    // An edit elsewhere keeps the finding; an edit that removes the key removes it.
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '// payments\n'));
    await diagnosticsWhere(document.uri, 'the finding moved down a line', (diagnostics) => diagnostics[0]?.range.start.line === 2);
    await editor.edit((edit) => edit.delete(new vscode.Range(2, 0, 3, 0)));
    await diagnosticsWhere(document.uri, 'no finding once the key is deleted', (diagnostics) => diagnostics.length === 0);
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), `  apiKey: "${STRIPE_KEY}",\n`));
    await diagnosticsWhere(document.uri, 'the key again', (diagnostics) => diagnostics.length === 1);
  });

  describe('the environment-variable quick fix, per language', () => {
    const cases: Array<{ language: string; before: string; after: string }> = [
      { language: 'javascript', before: `const apiKey = "${STRIPE_KEY}";\n`, after: 'const apiKey = process.env.STRIPE_SECRET_KEY;\n' },
      // The provider's documented variable wins over the local name, for the catalogue's providers as for the seeds.
      {
        language: 'typescript',
        before: `const paymentsKey: string = '${STRIPE_KEY}';\n`,
        after: 'const paymentsKey: string = process.env.STRIPE_SECRET_KEY;\n',
      },
      {
        language: 'python',
        before: `import requests\n\nAPI_KEY = "${STRIPE_KEY}"\n`,
        after: 'import os\nimport requests\n\nAPI_KEY = os.environ["STRIPE_SECRET_KEY"]\n',
      },
      {
        language: 'go',
        before: `package main\n\nimport (\n\t"fmt"\n)\n\nvar apiKey = "${STRIPE_KEY}"\n`,
        after: 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nvar apiKey = os.Getenv("STRIPE_SECRET_KEY")\n',
      },
      {
        language: 'java',
        before: `class Payments { String apiKey = "${STRIPE_KEY}"; }\n`,
        after: 'class Payments { String apiKey = System.getenv("STRIPE_SECRET_KEY"); }\n',
      },
      { language: 'csharp', before: `var apiKey = "${STRIPE_KEY}";\n`, after: 'var apiKey = Environment.GetEnvironmentVariable("STRIPE_SECRET_KEY");\n' },
      { language: 'php', before: `<?php\n$apiKey = '${STRIPE_KEY}';\n`, after: "<?php\n$apiKey = getenv('STRIPE_SECRET_KEY');\n" },
      { language: 'ruby', before: `api_key = "${STRIPE_KEY}"\n`, after: 'api_key = ENV["STRIPE_SECRET_KEY"]\n' },
      {
        language: 'rust',
        before: `let api_key = "${STRIPE_KEY}";\n`,
        after: 'let api_key = std::env::var("STRIPE_SECRET_KEY").expect("STRIPE_SECRET_KEY is not set");\n',
      },
      { language: 'yaml', before: `stripe:\n  secret: ${STRIPE_KEY}\n`, after: 'stripe:\n  secret: ${STRIPE_SECRET_KEY}\n' },
      { language: 'dotenv', before: `API_KEY=${STRIPE_KEY}\n`, after: 'API_KEY=${STRIPE_SECRET_KEY}\n' },
      // What VS Code 1.105, which has no dotenv language, opens a .env file as.
      { language: 'properties', before: `API_KEY=${STRIPE_KEY}\n`, after: 'API_KEY=${STRIPE_SECRET_KEY}\n' },
      {
        language: 'shellscript',
        before: `curl -u "${STRIPE_KEY}:" https://api.stripe.com/v1/charges\n`,
        after: 'curl -u "${STRIPE_SECRET_KEY}:" https://api.stripe.com/v1/charges\n',
      },
    ];
    for (const { language, before, after } of cases) {
      it(`${language}: replaces the literal by the lookup, and the warning goes`, async function () {
        if (!(await vscode.languages.getLanguages()).includes(language)) {
          // An unknown language id opens as plain text, which has no lookup syntax.
          this.skip();
        }
        const document = await openUntitled(language, before);
        const [diagnostic] = await diagnosticsWhere(document.uri, 'a finding', (diagnostics) => diagnostics.length === 1);
        assert.match(
          diagnostic!.message,
          /Read it from the environment variable STRIPE_SECRET_KEY or a secret manager/,
          'the message names the variable of the fix',
        );
        const action = await applyQuickFix(document, /^Replace with /);
        assert.equal(action.isPreferred, true);
        assert.equal(document.getText(), after);
        await diagnosticsWhere(document.uri, 'no finding after the fix', (diagnostics) => diagnostics.length === 0);
      });
    }

    it('json: offers no lookup and no comment, only storing the key', async () => {
      const document = await openUntitled('json', `{ "stripe": { "apiKey": "${STRIPE_KEY}" } }\n`);
      const [diagnostic] = await diagnosticsWhere(document.uri, 'a finding', (diagnostics) => diagnostics.length === 1);
      const actions = await codeActionsOffering(document, diagnostic!, /^Store as a managed key in API Key Guard$/);
      const titles = actions.map((action) => action.title);
      assert.ok(!titles.some((title) => /^(?:Replace with|Suppress on this line|Add fingerprint)/.test(title)), titles.join(' | '));
    });
  });

  describe('suppression', () => {
    it('adds the suppression comment in the file comment syntax, and the warning goes', async () => {
      const python = await openUntitled('python', `API_KEY = "${STRIPE_KEY}"\n`);
      await applyQuickFix(python, /^Suppress on this line/);
      assert.equal(python.getText(), `API_KEY = "${STRIPE_KEY}" # api-key-guard-ignore stripe-secret-key\n`);
      await diagnosticsWhere(python.uri, 'no finding after suppressing', (diagnostics) => diagnostics.length === 0);

      const dotenv = await openUntitled('dotenv', `STRIPE_SECRET_KEY=${STRIPE_KEY}\n`);
      await applyQuickFix(dotenv, /^Suppress on this line/);
      assert.equal(dotenv.getText(), `# api-key-guard-ignore-next-line stripe-secret-key\nSTRIPE_SECRET_KEY=${STRIPE_KEY}\n`);
      await diagnosticsWhere(dotenv.uri, 'no finding after suppressing', (diagnostics) => diagnostics.length === 0);
    });

    it('makes no fix for an argument that is not the place of a finding shown and a fix', async () => {
      const text = `API_KEY = "${STRIPE_KEY}"\n`;
      const python = await openUntitled('python', text);
      const [diagnostic] = await diagnosticsWhere(python.uri, 'a finding', (diagnostics) => diagnostics.length === 1);
      const action = await quickFix(python, diagnostic!, /^Suppress on this line/);
      assert.ok(action.edit && !action.command, 'the suppression is an edit');
      const place = { uri: python.uri.toString(), line: diagnostic!.range.start.line, character: diagnostic!.range.start.character };
      const api = await activateExtension();
      const prompts = new ScriptedPrompts([]);
      api.usePrompts(prompts);
      try {
        for (const argument of [
          { ...place, fix: 'suppress', line: -1 },
          { ...place, fix: 'suppress', character: '10' },
          { ...place, fix: 'unknown' },
          { ...place, line: 1, fix: 'suppress' },
          [{ ...place, fix: 'suppress' }],
          'suppress',
        ]) {
          await vscode.commands.executeCommand('apiKeyGuard.lint.fix', argument);
        }
      } finally {
        api.usePrompts(undefined);
      }
      assert.deepEqual(prompts.notifications, [], 'no error either');
      assert.equal(python.getText(), text, 'nothing was changed');
      await vscode.commands.executeCommand('apiKeyGuard.lint.fix', { ...place, fix: 'suppress' });
      assert.equal(python.getText(), `API_KEY = "${STRIPE_KEY}" # api-key-guard-ignore stripe-secret-key\n`, 'the very place is fixed');
    });

    it('honours a suppression comment already in the file', async () => {
      const document = await openUntitled('javascript', `const a = "${STRIPE_KEY}"; // api-key-guard-ignore\nconst b = "${STRIPE_KEY}";\n`);
      await diagnosticsWhere(document.uri, 'only the unsuppressed line', (diagnostics) => diagnostics.length === 1 && diagnostics[0]?.range.start.line === 1);
    });

    it('adds the fingerprint to .apikeyguardignore, which hides the finding until the entry goes', async () => {
      const document = await vscode.workspace.openTextDocument(LEGACY_CLIENT);
      await vscode.window.showTextDocument(document);
      try {
        await applyQuickFix(document, /^Add fingerprint to \.apikeyguardignore$/);
        const content = new TextDecoder().decode(await vscode.workspace.fs.readFile(IGNORE_FILE));
        assert.match(content, /^scrypt:d16df6959aa1e922799b21eb10fc574c # legacy-client\.js:2 uppzy-key$/m);
        assert.ok(!content.includes('7Hq2Lm9X'), 'the ignore file holds no part of the key');
        await diagnosticsWhere(document.uri, 'the finding hidden by the ignore file', (diagnostics) => diagnostics.length === 0);
      } finally {
        await vscode.workspace.fs.delete(IGNORE_FILE);
      }
      await diagnosticsWhere(document.uri, 'the finding back once the ignore file is gone', (diagnostics) => diagnostics.length === 1);
    });

    it('skips files listed by path in .apikeyguardignore', async () => {
      const document = await vscode.workspace.openTextDocument(LEGACY_CLIENT);
      await vscode.window.showTextDocument(document);
      await diagnosticsWhere(document.uri, 'the finding before the ignore file', (diagnostics) => diagnostics.length === 1);
      await vscode.workspace.fs.writeFile(IGNORE_FILE, new TextEncoder().encode('# generated clients\nlegacy-*.js\n'));
      try {
        await diagnosticsWhere(document.uri, 'no finding in an ignored path', (diagnostics) => diagnostics.length === 0);
      } finally {
        await vscode.workspace.fs.delete(IGNORE_FILE);
      }
      await diagnosticsWhere(document.uri, 'the finding back once the ignore file is gone', (diagnostics) => diagnostics.length === 1);
    });
  });

  it('flags a stored key pasted anywhere by its name, and stops once the key is removed', async () => {
    const api = await activateExtension();
    await removeAllKeys(api);
    const record = await api.store.add(
      { providerId: 'uppzy', name: 'prod-order-bot', environment: 'production', params: { tenantId: 'tenant-42' } },
      STORED_SECRET,
    );
    try {
      const document = await openUntitled('plaintext', `Support ticket 4711: the bot fails with ${STORED_SECRET} since Monday.\n`);
      const [diagnostic] = await diagnosticsWhere(document.uri, 'the stored key', (diagnostics) => diagnostics.length === 1);
      assert.equal((diagnostic?.code as { value: string }).value, 'stored-key');
      assert.match(
        diagnostic?.message ?? '',
        /^Your production Uppzy M2M API key 'prod-order-bot' is pasted here\. Read it from the environment variable UPPZY_API_KEY or a secret manager at run time\./,
      );
      assert.ok(!diagnostic?.message.includes(STORED_SECRET));
      assert.equal(document.getText(diagnostic?.range), STORED_SECRET);
    } finally {
      await api.store.remove(record.id);
    }
    const document = vscode.window.activeTextEditor?.document as vscode.TextDocument;
    await diagnosticsWhere(document.uri, 'no finding once the key is removed', (diagnostics) => diagnostics.length === 0);
  });

  it('stores a literal as a managed key with the provider guessed from the file, then replaces it', async () => {
    const api = await activateExtension();
    await removeAllKeys(api);
    const document = await openUntitled('javascript', `fetch('https://api.uppzy.com/api/v1/m2m', { headers: { 'X-API-Key': '${UPPZY_HEADER_KEY}' } });\n`);
    const prompts = new ScriptedPrompts([
      { input: 'order-sync' },
      { pick: 'production' },
      { input: UPPZY_HEADER_KEY },
      { input: 'tenant-42' },
      { pick: 'Default: https://api.uppzy.com/api/v1' },
      { input: '' },
    ]);
    api.usePrompts(prompts);
    try {
      await applyQuickFix(document, /^Store as a managed key/);
      assert.equal(prompts.remaining, 0, `every question was asked (${prompts.asked.join('; ')})`);
      const [record] = api.store.list();
      assert.equal(record?.providerId, 'uppzy');
      assert.equal(record?.name, 'order-sync');
      assert.equal(await api.store.readSecret(record?.id ?? ''), UPPZY_HEADER_KEY);
      assert.equal(document.getText(), "fetch('https://api.uppzy.com/api/v1/m2m', { headers: { 'X-API-Key': process.env.UPPZY_API_KEY } });\n");
    } finally {
      api.usePrompts(undefined);
      await removeAllKeys(api);
    }
  });

  it('offers the fixes in a hover on the flagged key', async () => {
    const document = await openUntitled('javascript', `const apiKey = "${STRIPE_KEY}";\n`);
    await diagnosticsWhere(document.uri, 'a finding', (diagnostics) => diagnostics.length === 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(0, 20));
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(text, /A Stripe secret or restricted key/);
    assert.match(text, /command:apiKeyGuard\.lint\.fix\?/);
    assert.match(text, /Replace with process\\\.env\\\.STRIPE\\_SECRET\\_KEY/);
    assert.ok(!text.includes(STRIPE_KEY.slice(8)), 'the hover never carries the key');
  });

  describe('once editors close', () => {
    it('clears the diagnostics of a closed file', async () => {
      const document = await vscode.workspace.openTextDocument(LEGACY_CLIENT);
      await vscode.window.showTextDocument(document);
      await diagnosticsWhere(document.uri, 'the finding while open', (diagnostics) => diagnostics.length === 1);
      // Only this file's tabs: closing every editor one by one outlasts the wait on a loaded machine.
      const tabs = vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === document.uri.toString());
      assert.ok(await vscode.window.tabGroups.close(tabs), 'the tabs close');
      await diagnosticsWhere(document.uri, 'no diagnostics after closing', (diagnostics) => diagnostics.length === 0);
    });

    it('scans the workspace into Problems, skipping what .gitignore and .apikeyguardignore exclude', async () => {
      const count = await vscode.commands.executeCommand<number>('apiKeyGuard.scanWorkspace');
      assert.ok(count >= 1, `found ${count}`);
      const diagnostics = keyDiagnostics(LEGACY_CLIENT);
      assert.deepEqual(
        diagnostics.map((diagnostic) => [diagnostic.range.start.line, (diagnostic.code as { value: string }).value]),
        [[1, 'uppzy-key']],
      );
      assert.deepEqual(keyDiagnostics(vscode.Uri.joinPath(WORKSPACE, 'orders.js')), [], 'orders.js reads its key from the environment');
      for (const ignoreFile of [vscode.Uri.joinPath(WORKSPACE, '.gitignore'), IGNORE_FILE]) {
        await vscode.workspace.fs.writeFile(ignoreFile, new TextEncoder().encode('legacy-client.js\n'));
        try {
          await eventually(
            async () => (await vscode.commands.executeCommand<number>('apiKeyGuard.scanWorkspace')) === count - 1,
            `a scan that skips what ${ignoreFile.path} lists`,
          );
          assert.deepEqual(keyDiagnostics(LEGACY_CLIENT), []);
        } finally {
          await vscode.workspace.fs.delete(ignoreFile);
        }
      }
    });

    it('leaves out of the scan the files in a language the linter is turned off for, by the language VS Code gives them', async () => {
      const scan = () => vscode.commands.executeCommand<number>('apiKeyGuard.scanWorkspace');
      const lint = vscode.workspace.getConfiguration('apiKeyGuard.lint');
      const files = vscode.workspace.getConfiguration('files');
      // The ignore files of the test before may still be in effect for a moment.
      const count = await eventually(async () => {
        const found = await scan();
        return keyDiagnostics(LEGACY_CLIENT).length === 1 ? found : undefined;
      }, 'a scan that finds the key in legacy-client.js');
      try {
        await lint.update('disabledLanguages', ['markdown'], vscode.ConfigurationTarget.Global);
        await eventually(
          async () => (await scan()) === count && vscode.workspace.getConfiguration('apiKeyGuard.lint').get<string[]>('disabledLanguages')!.length === 1,
          'a scan with markdown turned off',
        );
        assert.equal(keyDiagnostics(LEGACY_CLIENT).length, 1, 'a JavaScript file is still scanned');
        await lint.update('disabledLanguages', ['javascript'], vscode.ConfigurationTarget.Global);
        await eventually(async () => (await scan()) === count - 1, 'a scan that skips JavaScript files');
        assert.deepEqual(keyDiagnostics(LEGACY_CLIENT), []);
        await files.update('associations', { 'legacy-client.js': 'plaintext' }, vscode.ConfigurationTarget.Global);
        await eventually(async () => (await scan()) === count, 'a scan that takes the file for plain text, as its association says');
        assert.equal(keyDiagnostics(LEGACY_CLIENT).length, 1);
      } finally {
        await lint.update('disabledLanguages', undefined, vscode.ConfigurationTarget.Global);
        await files.update('associations', undefined, vscode.ConfigurationTarget.Global);
      }
    });
  });
});

describe('linter: a token typed one character at a time', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const ruleIds = (uri: vscode.Uri) =>
    keyDiagnostics(uri).map(({ code }) => (typeof code === 'object' ? String(code.value) : `${String(code)} (not a rule's code object)`));

  /**
   * Types `text` into the document's first line at `column`, a character per edit with the cursor after it, as a
   * keystroke leaves it, pausing past the linter's debounce after every sixth. Returns every diagnostic set published meanwhile.
   */
  async function typeSlowly(document: vscode.TextDocument, column: number, text: string): Promise<string[][]> {
    const editor = await vscode.window.showTextDocument(document);
    const published: string[][] = [];
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((uri) => uri.toString() === document.uri.toString())) published.push(ruleIds(document.uri));
    });
    try {
      for (const [index, char] of [...text].entries()) {
        assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, column + index), char)));
        editor.selection = new vscode.Selection(0, column + index + 1, 0, column + index + 1);
        // A person copying a token by hand pauses now and then: each pause is linted.
        if (index % 6 === 5) await sleep(450);
      }
    } finally {
      listener.dispose();
    }
    return published;
  }

  after(async function () {
    this.timeout(60_000);
    await closeAllEditors();
  });

  it('never shows the generic finding while a GitHub token grows, only the GitHub one once it is whole', async function () {
    this.timeout(120_000);
    await activateExtension();
    const entropy = ['Zq8vL2mN4pR7tX1', 'yB5cD9fG3hJ6kAb'].join('');
    const token = `ghp_${entropy}${base62(crc32(entropy), 6)}`;
    const document = await openUntitled('javascript', 'const token = "";\n');
    const published = await typeSlowly(document, 15, token);
    await diagnosticsWhere(document.uri, 'the GitHub token finding', () => ruleIds(document.uri).join() === 'github-token');
    const withOtherRules = published.filter((ids) => ids.some((id) => id !== 'github-token'));
    assert.deepEqual(withOtherRules, [], `every diagnostic set published while typing: ${JSON.stringify(published)}`);
  });

  it('still reports a generic secret, and a token prefix left as it is once the cursor leaves it', async function () {
    this.timeout(120_000);
    const generic = await openUntitled('javascript', 'const token = "";\n');
    await typeSlowly(generic, 15, ['Zq8vL2mN4p', 'R7tX1yB5cD'].join(''));
    await diagnosticsWhere(generic.uri, 'the generic finding', () => ruleIds(generic.uri).join() === 'generic-secret');

    const truncated = await openUntitled('javascript', 'const token = "";\n');
    await typeSlowly(truncated, 15, ['ghp_Zq8vL2m', 'N4pR7tX1yB5'].join(''));
    vscode.window.activeTextEditor!.selection = new vscode.Selection(1, 0, 1, 0);
    await diagnosticsWhere(truncated.uri, 'the generic finding after the pause', () => ruleIds(truncated.uri).join() === 'generic-secret');
  });
});

// Last in this file, and closed at once: a 6 MB document slows every editor operation of the tests after it, and the
// untitled documents opened after it would take its name.
describe('linter: a document too large to lint whole', function () {
  this.timeout(120_000);

  it('is linted up to its limit, a slice at a time, with a notice where it stopped', async () => {
    const filler = 'nothing to see here, just a long generated file\n'.repeat(20_000);
    const document = await openUntitled('plaintext', `const first = "${STRIPE_KEY}";\n${filler.repeat(6)}const last = "${STRIPE_KEY}";\n`);
    try {
      const diagnostics = await eventually(
        () => {
          const found = keyDiagnostics(document.uri);
          return found.length === 2 ? found : undefined;
        },
        'the first key and the notice',
        90_000,
      );
      assert.equal(diagnostics[0]?.range.start.line, 0);
      assert.equal(diagnostics[1]?.code, 'partial-scan');
      assert.equal(diagnostics[1]?.severity, vscode.DiagnosticSeverity.Information);
      assert.match(diagnostics[1]?.message ?? '', /first 5 MB of a file .* the rest of this file was not checked/);
      assert.ok((diagnostics[1]?.range.start.line ?? 0) < document.lineCount - 1);
    } finally {
      await closeAllEditors();
      // Until the extension host lets go of it, a new untitled document may be handed this one under its reused name.
      await eventually(() => document.isClosed || undefined, 'the 6 MB document closed', 60_000);
    }
  });
});
