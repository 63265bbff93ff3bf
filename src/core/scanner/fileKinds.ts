/**
 * Which assignment syntaxes a file can hold. In code an unquoted right-hand side is an expression
 * (`token = getToken()`), so only string literals count; in config files, `.env`, shell and docs
 * the bare value is the value.
 */

export interface ValueStyle {
  /** `NAME=value` / `name: value` without quotes is a literal. */
  readonly unquoted: boolean;
  /** Dockerfile `ENV NAME value` (space-separated). */
  readonly dockerfile: boolean;
  /**
   * A documentation example file by its own name (`*.examples.json`, `.env.example`, `config.sample.yml`,
   * `*.template`): values under names there are examples, so only formats that prove a key are reported.
   */
  readonly examples?: boolean;
}

const EXAMPLE_FILE = /(?:^|[._-])(?:examples?|samples?|templates?|dist|tmpl|tpl)(?:\.(?:json|ya?ml|env|ini|toml|properties|conf|cfg|xml|txt))?$/;

const CODE_EXTENSIONS = new Set([
  'js',
  'mjs',
  'cjs',
  'jsx',
  'ts',
  'mts',
  'cts',
  'tsx',
  'vue',
  'svelte',
  'py',
  'pyw',
  'ipynb',
  'go',
  'java',
  'kt',
  'kts',
  'scala',
  'groovy',
  'gradle',
  'cs',
  'fs',
  'vb',
  'php',
  'rb',
  'rs',
  'swift',
  'c',
  'h',
  'cc',
  'cpp',
  'hpp',
  'm',
  'mm',
  'dart',
  'lua',
  'r',
  'pl',
  'ex',
  'exs',
  'erl',
  'clj',
  'json',
  'jsonc',
  'json5',
  'tf',
  'hcl',
]);

const CODE_LANGUAGES = new Set([
  'javascript',
  'javascriptreact',
  'typescript',
  'typescriptreact',
  'vue',
  'svelte',
  'python',
  'jupyter',
  'go',
  'java',
  'kotlin',
  'scala',
  'groovy',
  'csharp',
  'fsharp',
  'vb',
  'php',
  'ruby',
  'rust',
  'swift',
  'c',
  'cpp',
  'objective-c',
  'objective-cpp',
  'dart',
  'lua',
  'r',
  'perl',
  'elixir',
  'erlang',
  'clojure',
  'json',
  'jsonc',
  'terraform',
]);

export function valueStyle(fileName: string, languageId?: string): ValueStyle {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1).toLowerCase();
  const dockerfile = languageId === 'dockerfile' || base === 'dockerfile' || base.startsWith('dockerfile.') || base.endsWith('.dockerfile');
  const examples = EXAMPLE_FILE.test(base);
  if (languageId !== undefined && CODE_LANGUAGES.has(languageId)) {
    return { unquoted: false, dockerfile, examples };
  }
  const dot = base.lastIndexOf('.');
  const extension = dot > 0 ? base.slice(dot + 1) : '';
  return { unquoted: !CODE_EXTENSIONS.has(extension), dockerfile, examples };
}

/** Folders that hold tests, fixtures and examples: `test/`, `spec/`, `__tests__/`, `fixtures/`, `testdata/`, `examples/`, `mocks/`. */
const TEST_FOLDER = /(?:^|[/\\])(?:tests?|specs?|__tests__|__mocks__|mocks?|fixtures?|testdata|test-data|examples?|samples?)[/\\]/i;

/**
 * Whether a file sits in a test, fixture or example folder. Secrets there are still reported (they
 * are real often enough: CredData finds most of its secrets there), at a lower level, so a user can
 * tell them apart or leave them out.
 */
export function isTestPath(fileName: string): boolean {
  return TEST_FOLDER.test(fileName);
}
