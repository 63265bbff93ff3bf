/**
 * The vendor catalogue as pattern rules. Distinctive formats come first, so where a bare-value
 * format (one that needs context) matches the same characters, the one that proves its format reports.
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

export const VENDOR_RULES: readonly PatternRule[] = [
  ...VENDOR_FORMATS.filter((format) => format.context === undefined),
  ...VENDOR_FORMATS.filter((format) => format.context !== undefined),
].map(vendorRule);

/** The provider id a live check of each vendor rule's findings would use. */
export const PROVIDER_OF_RULE: ReadonlyMap<string, string> = new Map(
  VENDOR_FORMATS.flatMap((format) => (format.provider === undefined ? [] : [[format.id, format.provider] as const])),
);
