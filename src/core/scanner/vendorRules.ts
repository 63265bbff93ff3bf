/**
 * The vendor catalogue as pattern rules, in priority order: where two match the same characters,
 * a webhook URL reports rather than the key inside it, and a format that proves itself rather than
 * a bare value that needed context.
 */
import { CHECKSUMS } from './checksums';
import { VENDOR_FORMATS, VendorFormat } from './catalogue';
import type { PatternRule, ValueCheck } from './types';

/** A distinctive format: its pattern proves it, so only fillers are refused. */
export const FORMAT: ValueCheck = { minLength: 16, maxLength: 1024, minEntropy: 2.5, filter: 'format' };
/** A bare value found next to the vendor's name: held to the placeholder, word and identifier filters as well. */
const CONTEXTUAL: ValueCheck = { ...FORMAT, filter: 'strict' };

/** Characters that would continue a token: a match must not be part of a longer one. */
const BEFORE = '(?<![A-Za-z0-9_-])';
const AFTER = '(?![A-Za-z0-9_-])';
/** A bare value must not be a piece of a longer base64 text, path or dotted name either. */
const BARE_BEFORE = '(?<![A-Za-z0-9_+/.-])';
const BARE_AFTER = '(?![A-Za-z0-9_+/-])';

/** The name of the credential without the parenthesised format: "deploy token". */
function kind(format: VendorFormat): string {
  const open = format.description.indexOf(' (');
  return open === -1 ? format.description : format.description.slice(0, open);
}

export function vendorRule(format: VendorFormat): PatternRule {
  const bare = format.context !== undefined;
  const check = CHECKSUMS[format.checksum as keyof typeof CHECKSUMS] as ((token: string) => boolean) | undefined;
  return {
    kind: 'pattern',
    id: format.id,
    description: `${format.vendor}: ${format.description}.`,
    message: `${format.vendor} ${kind(format)} hardcoded here; revoke it if it was ever pushed, and read it from a secret store at run time.`,
    severity: format.severity ?? 'error',
    keywords: format.keywords,
    pattern: new RegExp(`${bare ? BARE_BEFORE : BEFORE}(?<secret>${format.pattern})${bare ? BARE_AFTER : AFTER}`, 'dg'),
    value: { ...(bare ? CONTEXTUAL : FORMAT), ...format.value },
    ...(bare ? { contextLines: format.context } : {}),
    ...(check ? { verify: check } : {}),
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
