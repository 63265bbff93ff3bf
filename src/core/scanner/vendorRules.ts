/**
 * The vendor catalogue as pattern rules, in priority order: where two match the same characters,
 * a webhook URL reports rather than the key inside it, and a format that proves itself rather than
 * a bare value that needed context.
 */
import { BUILT_IN_PROVIDERS } from '../providers/builtIn';
import { escapeRegExp } from '../regExp';
import { CHECKSUMS } from './checksums';
import { VENDOR_FORMATS, VendorFormat } from './catalogue';
import type { PatternRule, ValueCheck } from './types';

/** A distinctive format: its pattern proves it, so only fillers are refused. */
export const FORMAT: ValueCheck = { minLength: 16, maxLength: 1024, minEntropy: 2.5, filter: 'format' };
/** A bare value found next to the vendor's name: held to the placeholder, word and identifier filters as well. */
const CONTEXTUAL: ValueCheck = { ...FORMAT, filter: 'strict' };

/** Characters that would continue a token: a match must not be part of a longer one. */
const BEFORE = '(?<![A-Za-z0-9_.-])';
const AFTER = '(?![A-Za-z0-9_-])';
/** A bare value must not be a piece of a longer base64 text, path or dotted name either. */
const BARE_BEFORE = '(?<![A-Za-z0-9_+/.-])';
const BARE_AFTER = '(?![A-Za-z0-9_+/-])';

/**
 * The longest text a pattern can match, for the catalogue's patterns (literals, escapes, classes,
 * groups, alternatives, `?` and `{m,n}`; no unbounded repetition, which the catalogue never needs).
 * It bounds the value check and so how far past a keyword a long line's window reaches.
 */
export function longestMatch(source: string): number {
  let at = 0;
  const alternatives = (): number => {
    let longest = sequence();
    while (source[at] === '|') {
      at++;
      longest = Math.max(longest, sequence());
    }
    return longest;
  };
  const sequence = (): number => {
    let total = 0;
    while (at < source.length && source[at] !== '|' && source[at] !== ')') {
      let item: number;
      const char = source[at] as string;
      if (char === '(') {
        at += source.startsWith('(?:', at) ? 3 : source.startsWith('(?<', at) && !/^\(\?<[=!]/.test(source.slice(at)) ? source.indexOf('>', at) + 1 - at : 1;
        item = /^\(\?<?[=!]/.test(source.slice(at - 1)) ? 0 : alternatives();
        at++;
      } else if (char === '[') {
        at = source.indexOf(']', at + 2) + 1;
        item = 1;
      } else if (char === '\\') {
        at += 2;
        item = 1;
      } else if ('*+'.includes(char)) {
        throw new Error(`unbounded repetition in /${source}/`);
      } else {
        at++;
        item = char === '^' || char === '$' ? 0 : 1;
      }
      const quantifier = /^(?:\?|\{(\d+)(?:,(\d*))?\})/.exec(source.slice(at));
      if (quantifier !== null) {
        if (quantifier[2] === '') throw new Error(`unbounded repetition in /${source}/`);
        at += quantifier[0].length;
        item *= quantifier[0] === '?' ? 1 : Number(quantifier[2] ?? quantifier[1]);
      }
      total += item;
    }
    return total;
  };
  return alternatives();
}

/**
 * A context keyword as a word of its own: not inside another word (`ably` in `probably`, `okta` in
 * `rookTable`), but at a camel-case hump (`myTwilioKey`) or after `_`, `.`, `-` (`MY_TWILIO_TOKEN`).
 */
function contextWords(keywords: readonly string[]): RegExp {
  const anyCase = (keyword: string): string =>
    Array.from(keyword, (char) => (/[a-z]/.test(char) ? `[${char}${char.toUpperCase()}]` : escapeRegExp(char))).join('');
  const capitalised = (keyword: string): string => escapeRegExp(keyword.charAt(0).toUpperCase()) + anyCase(keyword.slice(1));
  const word = (keyword: string): string => {
    const before = /^[a-z]/.test(keyword) ? `(?:(?<![A-Za-z])${anyCase(keyword)}|(?<=[a-z])${capitalised(keyword)})` : anyCase(keyword);
    return /[a-z]$/.test(keyword) ? `${before}(?![a-z])` : before;
  };
  return new RegExp(keywords.map(word).join('|'));
}

/** Counting runs no generator makes (`abcdef`, `123456`, `ABCDEF`): a made-up sample's, not a key's (about 4e-8 per 40 random base62 characters). */
const COUNTING_RUN = 6;

export function hasCountingRun(value: string): boolean {
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    const code = value.charCodeAt(i);
    run = code === value.charCodeAt(i - 1) + 1 && /[A-Za-z0-9]/.test(value.charAt(i)) ? run + 1 : 1;
    if (run >= COUNTING_RUN) return true;
  }
  return false;
}

/** "An" before a vowel sound: An Anthropic, an npm, an xAI key; a 1Password, a Stripe key. */
function article(vendor: string): string {
  return /^(?:[AEIOU]|npm|ngrok|xAI)/i.test(vendor) && !/^(?:Uni|Use)/i.test(vendor) ? 'An' : 'A';
}

/** The name of the credential without the parenthesised format: "deploy token". */
function kind(format: VendorFormat): string {
  const open = format.description.indexOf(' (');
  return open === -1 ? format.description : format.description.slice(0, open);
}

/** The variable a built-in provider documents its key in, as a rule's `providerVariable`. */
export function builtInProviderVariable(providerId: string | undefined): { providerVariable?: string } {
  const variable = BUILT_IN_PROVIDERS.find((provider) => provider.id === providerId)?.envVars[0];
  return variable === undefined ? {} : { providerVariable: variable };
}

export function vendorRule(format: VendorFormat): PatternRule {
  const bare = format.context !== undefined;
  const check = CHECKSUMS[format.checksum as keyof typeof CHECKSUMS] as ((token: string) => boolean) | undefined;
  const evidence = [`${format.vendor} format`, format.checksum && `${format.checksum} verified`, bare && `near ${format.keywords.join('/')}`]
    .filter(Boolean)
    .join(', ');
  return {
    kind: 'pattern',
    id: format.id,
    description: `${article(format.vendor)} ${format.vendor} ${format.description}.`,
    message: `${article(format.vendor)} ${format.vendor} ${kind(format)} is hardcoded here.`,
    severity: format.severity ?? 'error',
    keywords: format.keywords,
    ...(format.variable === undefined ? {} : { variable: format.variable }),
    ...(format.provider === undefined ? {} : { provider: format.provider, ...builtInProviderVariable(format.provider) }),
    pattern: new RegExp(`${bare ? BARE_BEFORE : BEFORE}(?<secret>${format.pattern})${bare ? BARE_AFTER : AFTER}`, 'dg'),
    value: { ...(bare ? CONTEXTUAL : FORMAT), maxLength: longestMatch(format.pattern), ...format.value },
    ...(bare ? { contextLines: format.context, contextWords: contextWords(format.keywords) } : {}),
    // The finding's evidence: the format, what was verified, and the context it needed.
    decode: (secret) => (hasCountingRun(secret) || check?.(secret) === false ? undefined : evidence),
  };
}

/** URLs first (a webhook URL holds a key of its own), then formats that prove themselves, then those that need context. */
function rank(format: VendorFormat): number {
  return format.pattern.startsWith('https://') ? 0 : format.context === undefined ? 1 : 2;
}

export const VENDOR_RULES: readonly PatternRule[] = [...VENDOR_FORMATS].sort((a, b) => rank(a) - rank(b)).map(vendorRule);

/** The provider id a live check of each vendor rule's findings would use. */
export const PROVIDER_OF_RULE: ReadonlyMap<string, string> = new Map(
  VENDOR_FORMATS.flatMap((format) => (format.provider === undefined ? [] : [[format.id, format.provider] as const])),
);
