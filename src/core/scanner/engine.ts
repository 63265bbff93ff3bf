/**
 * The scanning engine, by stage: rules compiled once (compile.ts); per text or file, one prefilter
 * pass and the runs of lines around its hits (runs.ts); the hits grouped into windows (windows.ts);
 * the matchers each window's hits trigger (matchers.ts); and the findings pipeline over their
 * candidates (findings.ts). Every stage is linear in its input.
 */
import { CompiledRules } from './compile';
import { valueStyle } from './fileKinds';
import { report, type FindingsOptions } from './findings';
import { FingerprintCache } from './fingerprint';
import { matchWindow, type Candidate } from './matchers';
import { RULES } from './rules';
import { HitScan, scanContent, scanDecoded } from './runs';
import { IgnoredFingerprints } from './suppression';
import { TextReader } from './textReader';
import type { ExtraSecret, Finding, Meter, Rule, ScanContext } from './types';
import { forEachWindow } from './windows';

export interface ScannerOptions {
  readonly rules?: readonly Rule[];
  /** The user's own stored keys: found verbatim whatever their format. Held by reference, not copied. */
  readonly extraSecrets?: readonly ExtraSecret[];
  /** Fingerprints of values not to report, from `.apikeyguardignore`: `scrypt:` ones, and old `sha256:` ones (at least 12 hex digits). */
  readonly ignoredFingerprints?: readonly string[];
  /**
   * For a caller that must not wait on a slow derivation (the editor): a finding whose fingerprint
   * is not derived yet is compared with old entries only, and the caller hands the findings to
   * `withoutIgnored` when `ignored.derivesFingerprints`.
   */
  readonly deriveFingerprintsLater?: boolean;
}

export class SecretScanner {
  readonly rules: readonly Rule[];
  /** The ignore file's fingerprints, and which old entries hid what. */
  readonly ignored: IgnoredFingerprints;
  /** Every finding's fingerprint comes from here: derived at most once per secret and rule. */
  readonly fingerprints = new FingerprintCache();
  private readonly compiled: CompiledRules;
  private readonly meter: Meter = { steps: 0 };
  private readonly findingsOptions: FindingsOptions;

  constructor(options: ScannerOptions = {}) {
    this.compiled = new CompiledRules(options.rules ?? RULES, options.extraSecrets ?? []);
    this.rules = this.compiled.rules;
    this.ignored = new IgnoredFingerprints(options.ignoredFingerprints ?? []);
    this.findingsOptions = { fingerprints: this.fingerprints, ignored: this.ignored, deriveLater: options.deriveFingerprintsLater ?? false };
  }

  /** Characters read by the prefilter plus characters examined by matchers: the engine's own measure of work. */
  get steps(): number {
    return this.meter.steps;
  }

  /** Lines around a text position whose findings may depend on it, which an editor re-scans around an edit. */
  get contextLines(): number {
    return this.compiled.contextLines;
  }

  scanText(text: string, context: ScanContext): Finding[] {
    return scanDecoded(this.compiled, this.meter, text, this.hitScan(context));
  }

  /**
   * Scans UTF-8 content, with the same findings as `scanText` on the decoded text. The keyword
   * search runs on the bytes, so content without keywords is never decoded, ASCII is decoded
   * without a second search, and of other content only the lines around keywords are decoded.
   */
  scanBytes(content: Uint8Array, context: ScanContext): Finding[] {
    return scanContent(this.compiled, this.meter, content, false, this.hitScan(context));
  }

  /**
   * `scanBytes` for a file as read from disk, where binary content (see `isBinary`) has no
   * findings. It is judged only once the search finds a keyword, which few files have.
   */
  scanFile(content: Uint8Array, context: ScanContext): Finding[] {
    return scanContent(this.compiled, this.meter, content, true, this.hitScan(context));
  }

  /**
   * The findings the ignore file does not hide, deriving on the thread pool the fingerprints its
   * entries need: what a scanner that derives later shows once that is done. A fingerprint that
   * cannot be derived hides nothing: its finding is shown.
   */
  async withoutIgnored(findings: readonly Finding[]): Promise<Finding[]> {
    if (this.ignored.derivesFingerprints) await Promise.all(findings.map((finding) => finding.fingerprint.derive().catch(() => undefined)));
    return findings.filter((finding) => !this.ignored.hides(finding.fingerprint, true));
  }

  /** Windows, matchers and the findings pipeline, for the hits of each text of one file. */
  private hitScan(context: ScanContext): HitScan {
    const style = valueStyle(context.fileName, context.languageId);
    return (text, ends, states, offset) => {
      const candidates: Candidate[] = [];
      const reader = new TextReader(text, this.meter);
      forEachWindow(text, ends, states, offset, this.compiled.reach, (window) => matchWindow(this.compiled, reader, window, style, candidates));
      return report(reader, candidates, this.findingsOptions);
    };
  }
}

/** Built on first use: a module that only imports the engine (the CLI builds its own) pays nothing. */
let defaultScanner: SecretScanner | undefined;

/** Scans one text with the built-in rules; for the user's stored keys or an ignore list, build a `SecretScanner`. */
export function scanText(text: string, context: ScanContext): Finding[] {
  defaultScanner ??= new SecretScanner();
  return defaultScanner.scanText(text, context);
}
