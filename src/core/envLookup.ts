/**
 * What the linter's quick fixes write in place of a hardcoded key, per language: an environment
 * lookup, the import it needs, a suppression comment, and the variable and provider to use.
 */
import type { ProviderDefinition } from './providers/types';
import type { Rule } from './scanner/types';

/** A lookup expression that replaces the whole string literal, quotes included. */
const CODE_LOOKUPS: Readonly<Record<string, (variable: string) => string>> = {
  javascript: (name) => `process.env.${name}`,
  javascriptreact: (name) => `process.env.${name}`,
  typescript: (name) => `process.env.${name}`,
  typescriptreact: (name) => `process.env.${name}`,
  vue: (name) => `process.env.${name}`,
  svelte: (name) => `process.env.${name}`,
  python: (name) => `os.environ["${name}"]`,
  go: (name) => `os.Getenv("${name}")`,
  java: (name) => `System.getenv("${name}")`,
  kotlin: (name) => `System.getenv("${name}")`,
  groovy: (name) => `System.getenv("${name}")`,
  scala: (name) => `sys.env("${name}")`,
  csharp: (name) => `Environment.GetEnvironmentVariable("${name}")`,
  fsharp: (name) => `System.Environment.GetEnvironmentVariable("${name}")`,
  php: (name) => `getenv('${name}')`,
  ruby: (name) => `ENV["${name}"]`,
  // Fails loudly at start-up when the variable is missing, rather than calling the API with an empty key.
  rust: (name) => `std::env::var("${name}").expect("${name} is not set")`,
  swift: (name) => `ProcessInfo.processInfo.environment["${name}"]`,
  dart: (name) => `Platform.environment['${name}']`,
  c: (name) => `getenv("${name}")`,
  cpp: (name) => `std::getenv("${name}")`,
  lua: (name) => `os.getenv("${name}")`,
  perl: (name) => `$ENV{${name}}`,
  r: (name) => `Sys.getenv("${name}")`,
  elixir: (name) => `System.get_env("${name}")`,
  powershell: (name) => `$env:${name}`,
};

/** Files that expand `${NAME}` themselves, or are read by tools that do (Compose, Spring, dotenv-expand). */
const INTERPOLATING = new Set(['shellscript', 'dotenv', 'yaml', 'dockercompose', 'dockerfile', 'properties', 'makefile']);

export interface LiteralReplacement {
  readonly text: string;
  /** True when `text` replaces the quotes around the secret too. */
  readonly withQuotes: boolean;
}

/**
 * The environment lookup for `variable` in the file's language. `quote` is the quote character that
 * wraps exactly the secret, if one does; undefined when no lookup fits (JSON, or a key inside a longer string in code).
 */
export function environmentLookup(languageId: string, variable: string, quote: string | undefined, textBefore = ''): LiteralReplacement | undefined {
  const lookup = CODE_LOOKUPS[languageId];
  if (lookup) {
    return quote === undefined ? undefined : { text: lookup(variable), withQuotes: true };
  }
  // `KEY=${KEY}` in a .env file or a script defines a variable by itself (Compose's `KEY: ${KEY}` does pass it through).
  const shellLike = languageId === 'dotenv' || languageId === 'shellscript';
  if (!INTERPOLATING.has(languageId) || (shellLike && assignedName(textBefore) === variable)) {
    return undefined;
  }
  // Inside a longer single-quoted shell string nothing would expand.
  if (languageId === 'shellscript' && quote === undefined && (textBefore.match(/'/g)?.length ?? 0) % 2 === 1) {
    return undefined;
  }
  // Shell expands nothing inside single quotes.
  if (languageId === 'shellscript' && quote === "'") {
    return { text: `"\${${variable}}"`, withQuotes: true };
  }
  return { text: languageId === 'makefile' ? `$(${variable})` : `\${${variable}}`, withQuotes: false };
}

/** A line to insert so the lookup compiles, or undefined when the file already has it or needs none. */
export function importFor(languageId: string, text: string): { readonly line: number; readonly text: string } | undefined {
  const lines = text.split('\n');
  if (languageId === 'python') {
    if (/^\s*import\s+(?:[\w.]+\s*,\s*)*os\b|^\s*from\s+os\s+import\s+environ/m.test(text)) return undefined;
    // After the shebang, encoding and other header comments and `from __future__` imports, which must come first.
    let line = 0;
    while (line < lines.length && /^\s*(?:#|from\s+__future__\s+import)/.test(lines[line] as string)) line++;
    return { line, text: 'import os\n' };
  }
  if (languageId === 'go') {
    if (/^\s*(?:import\s+)?(?:\w+\s+)?"os"\s*$/m.test(text)) return undefined;
    const block = lines.findIndex((line) => /^import\s*\(\s*$/.test(line));
    const blockEnd = block === -1 ? -1 : lines.findIndex((line, index) => index > block && /^\)/.test(line));
    // Last in the block, where gofmt's alphabetical order most often puts it.
    if (blockEnd !== -1) return { line: blockEnd, text: '\t"os"\n' };
    const packageLine = lines.findIndex((line) => /^package\s+\w+/.test(line));
    return packageLine === -1 ? undefined : { line: packageLine + 1, text: '\nimport "os"\n' };
  }
  return undefined;
}

/** `end`: append to the line; `above`: a line of its own before it (for files where a trailing comment would become part of the value). */
export interface SuppressionComment {
  readonly placement: 'end' | 'above';
  readonly text: string;
}

const SLASH_COMMENTS = new Set([
  'javascript',
  'javascriptreact',
  'typescript',
  'typescriptreact',
  'vue',
  'svelte',
  'go',
  'java',
  'kotlin',
  'groovy',
  'scala',
  'csharp',
  'fsharp',
  'php',
  'rust',
  'swift',
  'dart',
  'c',
  'cpp',
  'objective-c',
  'objective-cpp',
  'jsonc',
  'json5',
]);
const HASH_COMMENTS = new Set([
  'python',
  'ruby',
  'shellscript',
  'yaml',
  'dockercompose',
  'toml',
  'perl',
  'r',
  'elixir',
  'powershell',
  'terraform',
  'makefile',
  'coffeescript',
]);
/** Only whole-line comments: a trailing `#` would end up inside the value. */
const HASH_LINE_COMMENTS = new Set(['dotenv', 'properties', 'ini', 'dockerfile', 'plaintext']);
const DASH_COMMENTS = new Set(['sql', 'lua', 'haskell']);
const MARKUP_COMMENTS = new Set(['html', 'xml', 'markdown', 'svg']);

/** The comment that suppresses a finding of `ruleId` (and no other rule) on a line, or undefined for files without comments (JSON). */
export function suppressionComment(languageId: string, multiLineFinding: boolean, ruleId: string): SuppressionComment | undefined {
  const [open, close] = SLASH_COMMENTS.has(languageId)
    ? ['//', '']
    : HASH_COMMENTS.has(languageId) || HASH_LINE_COMMENTS.has(languageId)
      ? ['#', '']
      : DASH_COMMENTS.has(languageId)
        ? ['--', '']
        : MARKUP_COMMENTS.has(languageId)
          ? ['<!--', ' -->']
          : languageId === 'css' || languageId === 'scss' || languageId === 'less'
            ? ['/*', ' */']
            : [undefined, ''];
  if (open === undefined) {
    return undefined;
  }
  // A multi-line finding (a private key block) may sit inside a string, where a trailing comment would be text.
  return multiLineFinding || HASH_LINE_COMMENTS.has(languageId)
    ? { placement: 'above', text: `${open} api-key-guard-ignore-next-line ${ruleId}${close}` }
    : { placement: 'end', text: ` ${open} api-key-guard-ignore ${ruleId}${close}` };
}

/** `prod-order-bot` → `PROD_ORDER_BOT`, `stripeKey` → `STRIPE_KEY`: a name every shell accepts. */
export function toVariableName(text: string): string {
  const snake = text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return snake === '' ? 'API_KEY' : /^[0-9]/.test(snake) ? `_${snake}` : snake;
}

/** The name a literal is assigned to, from the text before it on its line: `const stripeKey = "`, `key: &str = "`, `"api_key": "`, `API_KEY=`. */
export function assignedName(textBefore: string): string | undefined {
  const typed = /([A-Za-z_]\w*)\s*:\s*[A-Za-z_&][\w.<>[\]|&?, ]*=\s*["'`]?$/.exec(textBefore);
  return (typed ?? /([A-Za-z_][\w-]*)["'\]]?\s*(?::=|=>|=|:)\s*["'`]?$/.exec(textBefore))?.[1];
}

/** Names that say nothing about which service the key is for. */
const VAGUE_NAMES = /^(?:api_?key|key|token|secret|secret_?key|password|passwd|pwd|auth_?token|access_?token|credentials?|value|default)$/i;

/** The scanner's rules, loaded on first use as the linter loads them: only a finding asks. */
function scannerRules(): typeof import('./scanner/rules') {
  return require('./scanner/rules') as typeof import('./scanner/rules');
}

function ruleWithId(ruleId: string): Rule | undefined {
  return scannerRules().RULES.find((rule) => rule.id === ruleId);
}

/** What a rule knows of the variable its key belongs in (see `Rule`). */
export interface VariableSources {
  /** Its provider's documented variable: wins over the name the key was assigned to. */
  readonly providerVariable?: string;
  /** The vendor's usual variable: used when the assigned name says nothing. */
  readonly variable?: string;
  /** A `user:password` pair's password (see `Rule.userPassword`). */
  readonly userPassword?: true;
}

/** The user name right before a pair's password: `deployer:` in `-u deployer:…`, `app:` in `postgres://app:…@`. */
const USER_BEFORE_PASSWORD = /([A-Za-z_][\w.-]{0,63}):$/;

/**
 * The variable a hardcoded key should come from: the provider's documented one, else the name it was
 * assigned to, else the vendor's. The scanner names it in every finding, and the quick fix reads the key from it.
 */
export function chooseVariable(sources: VariableSources, textBefore: string): string {
  if (sources.providerVariable !== undefined) {
    return sources.providerVariable;
  }
  if (sources.userPassword) return toVariableName(`${USER_BEFORE_PASSWORD.exec(textBefore)?.[1] ?? ''}_password`);
  const assigned = assignedName(textBefore);
  if (assigned !== undefined && !VAGUE_NAMES.test(assigned)) {
    // A public prefix would inline the key into browser code again: the fix moves it out of them.
    return toVariableName(assigned).replace(scannerRules().PUBLIC_ENV_PREFIX, '');
  }
  return sources.variable ?? toVariableName(assigned ?? 'API_KEY');
}

/** `chooseVariable` for a built-in rule, with the provider a caller guessed (from the document) first. */
export function variableFor(ruleId: string, provider: ProviderDefinition | undefined, textBefore: string): string {
  const rule = ruleWithId(ruleId);
  return chooseVariable(
    { providerVariable: provider?.envVars[0] ?? rule?.providerVariable, variable: rule?.variable, ...(rule?.userPassword ? { userPassword: true } : {}) },
    textBefore,
  );
}

/** The variable a stored key is given to programs as: its terminal variable, else its provider's, else one named after it. */
export function variableOfKey(record: { readonly name: string; readonly terminalVariable?: string }, provider: ProviderDefinition | undefined): string {
  return record.terminalVariable ?? provider?.envVars[0] ?? toVariableName(record.name);
}

/**
 * The provider a finding's key is most likely for: the one its rule names (`uppzy-key`), else among
 * the rule's candidates (the providers that send keys in its header, or all) the one the document
 * mentions, else the only provider that uses its header (every API uses Authorization, so not that).
 */
export function guessProvider(ruleId: string, documentText: string, providers: readonly ProviderDefinition[]): ProviderDefinition | undefined {
  const rule = ruleWithId(ruleId);
  const named = rule?.provider === undefined ? undefined : providers.find((provider) => provider.id === rule.provider);
  if (named) {
    return named;
  }
  const header = rule?.header;
  const candidates =
    header === undefined ? providers : providers.filter((provider) => provider.auth.in === 'header' && provider.auth.name.toLowerCase() === header);
  const text = documentText.toLowerCase();
  const mentioned = candidates.filter((provider) => mentions(text, provider));
  if (mentioned.length === 1) {
    return mentioned[0];
  }
  return header !== undefined && header !== 'authorization' && candidates.length === 1 ? candidates[0] : undefined;
}

function mentions(lowerText: string, provider: ProviderDefinition): boolean {
  const host = /^https?:\/\/([^/:]+)/.exec(provider.baseUrl)?.[1]?.toLowerCase();
  return (
    lowerText.includes(provider.id.toLowerCase()) || lowerText.includes(provider.displayName.toLowerCase()) || (host !== undefined && lowerText.includes(host))
  );
}
