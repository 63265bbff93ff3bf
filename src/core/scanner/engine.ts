/**
 * The scanning engine, by stage: rules compiled once (compile.ts); per text or file, one prefilter
 * pass and the runs of lines around its hits (runs.ts); the hits grouped into windows (windows.ts);
 * the matchers each window's hits trigger (matchers.ts); and the findings pipeline over their
 * candidates (findings.ts). Every stage is linear in its input.
 */
import { CompiledRules } from './compile';
import { valueStyle } from './fileKinds';
import { report } from './findings';
import { matchWindow, type Candidate } from './matchers';
import { RULES } from './rules';
import { HitScan, scanContent, scanDecoded } from './runs';
import type { ExtraSecret, Finding, Meter, Rule, ScanContext } from './types';
import { forEachWindow } from './windows';

export { fingerprintOf } from './findings';

export interface ScannerOptions {
  readonly rules?: readonly Rule[];
  /** The user's own stored keys: found verbatim whatever their format. Held by reference, not copied. */
  readonly extraSecrets?: readonly ExtraSecret[];
  /** Fingerprints (`sha256:` + at least 12 hex digits) of values not to report, from `.apikeyguardignore`. */
  readonly ignoredFingerprints?: readonly string[];
  /** Told the ignore entry that hid a finding: how a scan finds the entries that hide nothing. */
  readonly onIgnored?: (entry: string) => void;
}

export class SecretScanner {
  readonly rules: readonly Rule[];
  private readonly compiled: CompiledRules;
  private readonly ignored: readonly string[];
  private readonly onIgnored: ((entry: string) => void) | undefined;
  private readonly meter: Meter = { steps: 0 };

  constructor(options: ScannerOptions = {}) {
    this.compiled = new CompiledRules(options.rules ?? RULES, options.extraSecrets ?? []);
    this.rules = this.compiled.rules;
    this.ignored = (options.ignoredFingerprints ?? []).map((entry) => entry.trim().toLowerCase());
    this.onIgnored = options.onIgnored;
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

  /** Windows, matchers and the findings pipeline, for the hits of each text of one file. */
  private hitScan(context: ScanContext): HitScan {
    const style = valueStyle(context.fileName, context.languageId);
    return (text, ends, states, offset) => {
      const candidates: Candidate[] = [];
      forEachWindow(text, ends, states, offset, this.compiled.reach, (window) => matchWindow(this.compiled, this.meter, text, window, style, candidates));
      return report(text, candidates, this.ignored, this.onIgnored);
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
