/**
 * Formats with public specifications that say a value is a credential wherever it stands, with no
 * name around it: JSON Web Tokens (RFC 7519), HTTP Basic credentials (RFC 7617) and other
 * Authorization schemes, NATS nkey seeds, private JSON Web Keys (RFC 7517), and one-time-password
 * secrets (the `otpauth://` Key Uri Format). Each rule is data in the shape of the other pattern
 * rules; `decode` checks what the match holds and says it as the finding's evidence.
 */
import type { PatternRule, ValueCheck } from './types';
import { refusalOf } from './valueFilters';

const FORMAT: ValueCheck = { minLength: 16, maxLength: 24000, minEntropy: 2.5, filter: 'format' };
const PASSWORD: ValueCheck = { minLength: 1, maxLength: 256, minEntropy: 0, filter: 'password' };

function base64Decode(value: string): string | undefined {
  const normal = value.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*=*$/.test(normal)) return undefined;
  return Buffer.from(normal, 'base64').toString('utf8');
}

/**
 * Claims of documented sample tokens: jwt.io's (`John Doe`), Microsoft identity platform's (`Abe
 * Lincoln`), and AWS's documentation examples, whose values say `EXAMPLE`.
 */
/** RFC 2606 example domains in a header or claim: a specification's or documentation's example (RFC 7520's `bilbo.baggins@hobbiton.example`). */
const EXAMPLE_DOMAIN = /\.example\b|example\.(?:com|org|net)\b/;

const SAMPLE_CLAIMS = /"name"\s*:\s*"(?:John Doe|Abe Lincoln)"|EXAMPLE/;

/**
 * The JWT's header decodes to a JSON object naming its algorithm, its claims to a JSON object, and it
 * is signed. Skipped: `alg: none` and unsigned tokens (they grant nothing a server should accept),
 * JWEs (encrypted by design, like sops values), and documented samples (SAMPLE_CLAIMS, example domains).
 */
function decodeJwt(token: string): string | undefined {
  const [header, payload] = token.split('.');
  const text = header === undefined ? undefined : base64Decode(header);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { alg?: unknown }).alg !== 'string') return undefined;
  const alg = (parsed as { alg: string }).alg;
  if (alg.toLowerCase() === 'none' || 'enc' in parsed) return undefined;
  // A token's claims are a JSON object; a JWS over other content, or one without its signature, grants nothing.
  const claims = payload === undefined ? undefined : base64Decode(payload);
  if (claims === undefined || !claims.startsWith('{') || (token.split('.')[2] ?? '') === '') return undefined;
  if (SAMPLE_CLAIMS.test(claims) || EXAMPLE_DOMAIN.test(text) || EXAMPLE_DOMAIN.test(claims)) return undefined;
  return `JWT header ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}

/** `user:password` in base64, both parts printable and the password no placeholder or trivial word. */
function decodeBasic(value: string): string | undefined {
  const text = base64Decode(value);
  if (text === undefined) return undefined;
  const colon = text.indexOf(':');
  if (colon < 1 || !/^[\x20-\x7e]+$/.test(text)) return undefined;
  if (refusalOf(text.slice(colon + 1), PASSWORD) !== undefined) return undefined;
  return 'Authorization Basic, decodes to user:password';
}

export const FORMAT_RULES: readonly PatternRule[] = [
  {
    kind: 'pattern',
    id: 'jwt',
    description: 'A JSON Web Token anywhere: three base64url segments whose first decodes to a JSON header with `alg`.',
    message: 'A JSON Web Token is hardcoded here; it grants access until it expires.',
    severity: 'error',
    keywords: ['eyj'],
    pattern: /(?<![\w-])(?<secret>eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{2,16000}\.[A-Za-z0-9_-]{0,4000})(?![\w-])/dg,
    value: FORMAT,
    decode: decodeJwt,
    mustContain: '.',
  },
  {
    kind: 'pattern',
    id: 'basic-auth',
    description: 'HTTP Basic credentials (`Basic <base64 of user:password>`), decoded.',
    message: 'HTTP Basic credentials are hardcoded here; they decode to a user name and password.',
    severity: 'error',
    keywords: ['basic '],
    pattern: /(?<![A-Za-z])(?:Basic|basic|BASIC)[ \t]{1,4}(?<secret>[A-Za-z0-9+/]{6,1000}={0,2})(?![A-Za-z0-9+/=])/dg,
    value: { ...FORMAT, minLength: 6 },
    decode: decodeBasic,
  },
  {
    kind: 'pattern',
    id: 'authorization-token',
    description: 'A token in an Authorization header under another scheme (`ApiKey`, `Token`, `NTLM`, `Negotiate`, `SSWS`, `Key`).',
    message: 'A credential is hardcoded in an Authorization header.',
    severity: 'error',
    keywords: ['authorization'],
    pattern:
      /(?:authorization|Authorization|AUTHORIZATION)["'\]]?[ \t]{0,4}[:=,][ \t]{0,4}["'`]?(?:ApiKey|Apikey|APIKey|Api-Key|Token|token|NTLM|Negotiate|SSWS|Key|GenieKey)[ \t]{1,4}(?<secret>[A-Za-z0-9._~+/-]{8,4000}={0,2})(?![A-Za-z0-9._~+/=-])/dg,
    value: { minLength: 8, maxLength: 4096, minEntropy: 0, filter: 'named', allowIds: true },
    decode: () => 'Authorization header with a token scheme',
  },
  {
    kind: 'pattern',
    id: 'ntlm-token',
    description: 'An NTLM authentication message (`NTLM TlRMTVNTUAAD…`, base64 of `NTLMSSP`).',
    message: 'An NTLM authentication message is hardcoded here; it carries a response derived from the password.',
    severity: 'error',
    keywords: ['tlrmtvnt'],
    pattern: /(?<![A-Za-z0-9+/])(?<secret>TlRMTVNTUAAD[A-Za-z0-9+/]{20,4000}={0,2})(?![A-Za-z0-9+/=])/dg,
    value: { ...FORMAT, binary: true },
    decode: () => 'NTLM authenticate message (NTLMSSP type 3)',
  },
  {
    kind: 'pattern',
    id: 'nkey-seed',
    description: 'A NATS nkey seed (`SU…`, `SA…`, `SO…`: 58 base32 characters) within three lines of NATS context.',
    message: 'A NATS nkey seed is hardcoded here; it signs as its user, account or operator.',
    severity: 'error',
    keywords: ['nkey', 'seed', 'nats', 'creds'],
    pattern: /(?<![A-Za-z0-9])(?<secret>S[ACNOPUX][A-Z2-7]{56})(?![A-Za-z0-9])/dg,
    value: FORMAT,
    contextLines: 3,
  },
  {
    kind: 'pattern',
    id: 'jwk-private-key',
    description: 'The private member (`d`, `k`, `p`, `q`, `dp`, `dq`, `qi`) of a JSON Web Key, within six lines of its `kty`.',
    message: 'A private JSON Web Key is hardcoded here.',
    severity: 'error',
    keywords: ['kty'],
    pattern: /(?<![\w$.-])["']?(?:d|k|p|q|dp|dq|qi)["']?[ \t]{0,4}:[ \t]{0,4}["'](?<secret>[A-Za-z0-9_-]{22,8000})["']/dg,
    value: { ...FORMAT, minLength: 22 },
    contextLines: 6,
  },
  {
    kind: 'pattern',
    id: 'otp-secret',
    description: 'A one-time-password secret: the `secret=` of an `otpauth://` URI, or a base32 secret passed to a TOTP or HOTP constructor.',
    message: 'A one-time-password secret is hardcoded here; whoever reads it can generate the codes.',
    severity: 'error',
    keywords: ['otpauth://', 'totp', 'hotp'],
    pattern:
      /(?:otpauth:\/\/[th]otp\/[^\s"'?]{0,256}\?(?:[^\s"'#&]{0,256}&){0,8}secret=|(?<![A-Za-z])(?:TOTP|HOTP)(?:\.new)?\([ \t]{0,4}["'])(?<secret>[A-Za-z2-7]{16,128}=*)(?![A-Za-z0-9])/dg,
    value: FORMAT,
  },
];
