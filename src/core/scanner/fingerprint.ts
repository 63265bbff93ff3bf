/**
 * Fingerprints: what identifies a secret in SARIF `partialFingerprints`, in `.apikeyguardignore` and
 * in a baseline, the same on every machine and through edits and line moves, without giving the
 * secret away. A fast hash of the value alone does: a 9-character password was recovered from its
 * truncated SHA-256 in 10,000 guesses and 40 ms. So the fingerprint is scrypt, memory-hard and
 * deliberately slow (N = 2^14, r = 8, p = 1: 16 MiB and tens of milliseconds a guess), salted with a
 * version and the rule id, so no table computed for one rule or one tool serves another. It is
 * derived only when something asks for it (SARIF, the ignore file's entries, a quick fix), at most
 * once per distinct secret and rule in a scanner's life.
 */
import type { BinaryLike, ScryptOptions } from 'node:crypto';

/** Entries this scanner writes: `scrypt:` and 32 hex digits (128 bits). */
export const FINGERPRINT_PREFIX = 'scrypt:';
/** Entries older versions wrote: the first 64 bits of the value's SHA-256. Still honoured, with a warning. */
export const LEGACY_PREFIX = 'sha256:';
/** SARIF's name for the fingerprint, versioned as GitHub asks when the computation changes. */
export const SARIF_FINGERPRINT_KEY = 'secretFingerprint/v2';

const KEY_BYTES = 16;
const SCRYPT: ScryptOptions = { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** Loaded with the first fingerprint: node:crypto brings node:stream along, start-up time a clean scan never needs. */
let crypto: typeof import('node:crypto') | undefined;
function nodeCrypto(): typeof import('node:crypto') {
  crypto ??= require('node:crypto') as typeof import('node:crypto');
  return crypto;
}

function salt(ruleId: string): BinaryLike {
  return `api-key-guard fingerprint v2\0${ruleId}`;
}

/** The fingerprint of `secret` as `ruleId` reports it, derived now (tens of milliseconds). */
export function fingerprintOf(secret: string, ruleId: string): string {
  return FINGERPRINT_PREFIX + nodeCrypto().scryptSync(secret, salt(ruleId), KEY_BYTES, SCRYPT).toString('hex');
}

/** What older versions wrote for the value: only to recognise their ignore entries, never written again. */
export function legacyFingerprintOf(secret: string): string {
  return LEGACY_PREFIX + nodeCrypto().createHash('sha256').update(secret).digest('hex').slice(0, 16);
}

/** One secret's fingerprint, derived on first use. The secret is a private field: never enumerated, serialised or inspected. */
export class Fingerprint {
  readonly #secret: string;
  #value: string | undefined;

  constructor(
    secret: string,
    private readonly ruleId: string,
    private readonly onDerived: () => void,
  ) {
    this.#secret = secret;
  }

  get derived(): boolean {
    return this.#value !== undefined;
  }

  /** The fingerprint, derived now if it was not yet. */
  get value(): string {
    if (this.#value === undefined) this.settle(fingerprintOf(this.#secret, this.ruleId));
    return this.#value as string;
  }

  /** Derives it on Node's thread pool, so a caller on a busy thread (the extension host) does not wait. */
  async derive(): Promise<string> {
    if (this.#value === undefined) {
      const key = await new Promise<Buffer>((resolve, reject) =>
        nodeCrypto().scrypt(this.#secret, salt(this.ruleId), KEY_BYTES, SCRYPT, (error, derived) => (error ? reject(error) : resolve(derived))),
      );
      if (this.#value === undefined) this.settle(FINGERPRINT_PREFIX + key.toString('hex'));
    }
    return this.#value as string;
  }

  /** The secret itself, for `scan --verify` alone: sent to its provider's check when the user asked for it, never printed or kept. */
  secretForCheck(): string {
    return this.#secret;
  }

  /** The fingerprint older versions wrote for this secret. */
  legacy(): string {
    return legacyFingerprintOf(this.#secret);
  }

  private settle(value: string): void {
    this.#value = value;
    this.onDerived();
  }
}

/** Distinct secrets held at most: a long-lived scanner (the editor's) forgets them all past this, and derives again if asked. */
const MAX_CACHED = 10_000;

/** One Fingerprint per distinct secret and rule, for a scanner's life: each is derived at most once. */
export class FingerprintCache {
  private readonly byKey = new Map<string, Fingerprint>();
  /** How many fingerprints were derived: what tests count to prove a scan that needs none pays for none. */
  derivations = 0;

  of(ruleId: string, secret: string): Fingerprint {
    const key = `${ruleId}\n${secret}`;
    let fingerprint = this.byKey.get(key);
    if (fingerprint === undefined) {
      if (this.byKey.size >= MAX_CACHED) this.byKey.clear();
      fingerprint = new Fingerprint(secret, ruleId, () => this.derivations++);
      this.byKey.set(key, fingerprint);
    }
    return fingerprint;
  }
}
