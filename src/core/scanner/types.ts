import type { NameMeaning } from './names';

/**
 * The scanner's vocabulary. Positions are 0-based lines and UTF-16 columns (as VS Code counts them);
 * `endLine`/`endColumn` point just past the secret. The CLI adds 1 to lines and columns when it prints.
 */
import type { Fingerprint } from './fingerprint';

export type Severity = 'error' | 'warning';

export interface Finding {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly ruleId: string;
  readonly severity: Severity;
  /** One line: what was found, then where the key belongs instead, naming `variable`. */
  readonly message: string;
  /** The environment variable the key should be read from at run time: the quick fix's lookup reads it. */
  readonly variable: string;
  /** The secret masked: never more than its last 4 characters. */
  readonly preview: string;
  /** The secret's fingerprint (see fingerprint.ts): what SARIF and `.apikeyguardignore` list. Derived only when read. */
  readonly fingerprint: Fingerprint;
  /** What made it a finding besides the value: the name it was assigned to, the header, the decoded JWT header (never the secret). */
  readonly evidence?: string;
}

/** A key the user already keeps in SecretStorage: flagged verbatim wherever it is pasted. */
export interface ExtraSecret {
  readonly value: string;
  /** How the message names it, e.g. "production Uppzy key 'prod-order-bot'". */
  readonly label: string;
  /** The variable programs get it in (see `variableOfKey`). */
  readonly variable: string;
}

export interface ScanContext {
  /** Decides which syntaxes count as an assignment (unquoted values only in config-like files). */
  readonly fileName: string;
  readonly languageId?: string;
}

/** How a value is judged before it counts as a secret. */
export interface ValueCheck {
  readonly minLength: number;
  readonly maxLength: number;
  /** Shannon bits per character; short values are held to a proportionally lower bar. */
  readonly minEntropy: number;
  /**
   * `format`: the rule's pattern already proves the format, so only obvious fillers (xxxx, EXAMPLE, ...) are refused.
   * `named`: the name only ever holds a key, so any shape counts but placeholders, references, prose and identifiers.
   * `password`: what the value says decides, not how random it looks: placeholders, trivial words, labels and hashes are refused.
   * `strict`: a key-like name in general: the value must also look random, and UUIDs and other ids are refused.
   */
  readonly filter: 'format' | 'named' | 'password' | 'strict';
  /** Ids such as UUIDs are refused by `strict` unless the context already proves the value is a key. */
  readonly allowIds?: boolean;
  /** The value encodes binary data (an NTLM message, DER), where long runs (of zero bytes) are normal, not fillers. */
  readonly binary?: boolean;
}

interface RuleBase {
  readonly id: string;
  readonly description: string;
  /** One sentence saying what was found; `{name}` is the variable, field or header name as written. The scanner adds where the key belongs instead. */
  readonly message: string;
  readonly severity: Severity;
  /** Lowercase substrings of which at least one is on the line for the rule to run. */
  readonly keywords: readonly string[];
  /** The environment variable the vendor's own documentation keeps this key in: where a quick fix reads it from, unless the key's name says more. */
  readonly variable?: string;
  /** Its provider's documented variable (the provider's first `envVars`): where a quick fix reads it from, whatever the key's name. */
  readonly providerVariable?: string;
  /** The secret is the password of a `user:password` pair: the name before it is the user's, and its variable is named after that user. */
  readonly userPassword?: true;
  /** The provider (id) whose key the rule finds: its documented variable, its key format. */
  readonly provider?: string;
  /** The HTTP header (lowercase) the rule finds keys sent in: the providers that send their key in it are candidates. */
  readonly header?: string;
}

/** A linear-time regular expression (flags `gd`) whose `secret` group is the secret. */
export interface PatternRule extends RuleBase {
  readonly kind: 'pattern';
  readonly pattern: RegExp;
  readonly value: ValueCheck;
  /** The pattern may match this many lines around a keyword (Scaleflex keys near Filerobot context). */
  readonly contextLines?: number;
  /** With `contextLines`: the lines searched must hold this (a vendor's name as a word, not inside another word). */
  readonly contextWords?: RegExp;
  /** Refuses a match whose preceding 40 characters match this (e.g. `etag:` before a hex hash). */
  readonly notAfter?: RegExp;
  /** Text every match contains besides the keyword: a window without it is passed over before the pattern runs. */
  readonly mustContain?: string;
  /**
   * Decodes a match and says what it holds (the finding's evidence, never the secret), or undefined
   * when it is not what the rule looks for: a JWT's header, a Basic pair, a seed's length.
   */
  readonly decode?: (secret: string) => string | undefined;
}

/** A value assigned to, or sent under, a name: `NAME=value`, `"name": "value"`, `-H 'Name: value'`, `Set("Name", "value")`. */
export interface AssignmentRule extends RuleBase {
  readonly kind: 'assignment';
  /** The name as written matches any of these, or reads (see names.ts) as `meaning`... */
  readonly names: readonly RegExp[];
  readonly meaning?: NameMeaning;
  /** ...and none of these. */
  readonly notNames?: readonly RegExp[];
  readonly value: ValueCheck;
}

/** A PEM private key block, from BEGIN to END. */
export interface BlockRule extends RuleBase {
  readonly kind: 'block';
}

export type Rule = PatternRule | AssignmentRule | BlockRule;

/** The engine's own measure of work: characters read by the prefilter plus characters examined by matchers. */
export interface Meter {
  steps: number;
}
