/** `api-key-guard scan`: the scanner over files and directories, the staged changes or the history, for CI and pre-commit hooks. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { homepage, version } from '../../package.json';
import { SEED_PROVIDERS } from '../core/providers/builtIn';
import { quoteIfName } from '../core/redaction';
import { SecretScanner } from '../core/scanner/engine';
import { isTestPath } from '../core/scanner/fileKinds';
import { FileReader, MAX_FILE_BYTES, toSlash, walkFiles } from '../core/scanner/files';
import { FileFinding, formatSarif, formatText, terminalSafeJson, toJson, type Provenance } from '../core/scanner/report';
import { buildRules } from '../core/scanner/rules';
import { IGNORE_FILE_NAME, IgnoredFingerprints, parseIgnoreFile, type IgnoreList } from '../core/scanner/suppression';
import { escapeTerminalText } from '../core/terminalText';
import { readBaseline } from './baseline';
import { scanGit } from './gitScan';
import { listSuppressions } from './listSuppressions';
import { describeParseError } from './options';
import { readProvidersFile } from './providersFile';
import { UnusedEntries } from './unusedEntries';
import { UsageError } from './usageError';
import type { Rule } from '../core/scanner/types';

const HELP = `Usage: api-key-guard scan [paths...] [options]
       api-key-guard scan --staged [options]
       api-key-guard scan --history [<revision range>...] [options]

Finds API keys, tokens, passwords and private keys hardcoded in files. Paths default to the
current directory; directories are walked, files named explicitly are always scanned.
Symbolic links, FIFOs and other files that are not regular files are skipped, and said so.

What to scan:
  --staged                   what the next commit would contain: the lines the staged changes
                             add, as they are in the index (not the work tree)
  --history [range]          the lines every commit in the range added (default: all of HEAD's
                             history, e.g. 'main..HEAD'), secrets removed since included; each
                             secret is reported once, at the first commit that added it

Options:
  --format text|json|sarif   output format (default text: file:line:column ruleId message;
                             a history scan puts <commit>: in front)
  --output <file>            write the report to a file instead of standard output
  --baseline <report>        do not report findings already in this earlier JSON report
                             (matched by the secret's fingerprint, so moves and rebases keep them)
  --no-gitignore             also scan files that .gitignore excludes
  --exclude-test-paths       leave out files in test, spec, fixture and example folders
                             (reported by default, as SARIF notes and with testPath in JSON)
  --exclude <glob>           skip paths matching a gitignore-style pattern (repeatable)
  --providers-file <file>    also find keys of custom providers (JSON, as for 'check'):
                             values of their environment variables and key headers
  --update-ignore-file       replace old sha256: entries of ${IGNORE_FILE_NAME} that hid a
                             finding in this scan by its scrypt: fingerprint
  --list-suppressions        print every suppression comment and ${IGNORE_FILE_NAME} entry with its
                             reason, file and line, for review (text or json), and scan nothing
  -h, --help                 show this help

Suppress a finding with an 'api-key-guard-ignore' comment on its line or
'api-key-guard-ignore-next-line' on the line above; rule ids after either limit it to
those rules ('api-key-guard-ignore generic-secret, url-password -- reason'). Or list its
fingerprint (in the JSON report, and SARIF partialFingerprints) in ${IGNORE_FILE_NAME} in the
current directory, with a reason after '#'; that file may also list paths to skip. A scan of the
whole current directory warns about entries that matched nothing. Files over
${MAX_FILE_BYTES / 1024 / 1024} MB and binary files are skipped.
Secrets are never printed: previews show at most the last 4 characters.

Exit codes: 0 nothing found, 1 findings, 2 errors (bad options, unreadable paths, not a git repository).
`;

const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

const OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  format: { type: 'string', default: 'text' },
  output: { type: 'string' },
  staged: { type: 'boolean', default: false },
  history: { type: 'boolean', default: false },
  baseline: { type: 'string' },
  'no-gitignore': { type: 'boolean', default: false },
  'exclude-test-paths': { type: 'boolean', default: false },
  exclude: { type: 'string', multiple: true, default: [] },
  'providers-file': { type: 'string' },
  'list-suppressions': { type: 'boolean', default: false },
  'update-ignore-file': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

export interface ScanValues {
  readonly format: string;
  readonly output?: string;
  readonly staged: boolean;
  readonly history: boolean;
  readonly baseline?: string;
  readonly 'no-gitignore': boolean;
  readonly 'exclude-test-paths': boolean;
  readonly exclude: string[];
  readonly 'providers-file'?: string;
  readonly 'list-suppressions': boolean;
  readonly 'update-ignore-file': boolean;
  readonly help: boolean;
}

/** Every message to stderr goes here: a path or value quoted in it cannot forge a line or drive the terminal. */
export function warn(message: string): void {
  process.stderr.write(`api-key-guard scan: ${escapeTerminalText(message)}\n`);
}

function fail(message: string): number {
  warn(message);
  return 2;
}

/** The options of `scan`, also read by `pre-commit`; a UsageError names what is wrong. */
export function parseScanArgs(argv: string[]): { values: ScanValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
    return { values: values as unknown as ScanValues, positionals };
  } catch (error) {
    throw new UsageError(`${describeParseError(error, 'scan takes paths and options')}. Run 'api-key-guard scan --help'.`, { cause: error });
  }
}

export interface Scanned {
  readonly findings: FileFinding[];
  /** Paths that could not be read, a git that failed: the scan is incomplete. */
  readonly errors: number;
  readonly rules: readonly Rule[] | undefined;
  readonly provenance?: Provenance;
  /** The ignore file's fingerprints, and which old entries hid what. */
  readonly ignored: IgnoredFingerprints;
}

/** Derives the findings' fingerprints on Node's thread pool, side by side, each distinct secret once: a report or a baseline that needs them waits once. */
export async function deriveFingerprints(findings: readonly FileFinding[]): Promise<void> {
  await Promise.all([...new Set(findings.map(({ finding }) => finding.fingerprint))].map((fingerprint) => fingerprint.derive()));
}

/** Runs the scan the options ask for (tree, staged or history) with every suppression applied; throws a UsageError for bad options. */
export async function collectFindings(values: ScanValues, positionals: readonly string[]): Promise<Scanned> {
  if (values.staged && values.history) throw new UsageError('--staged and --history scan different things; give one.');
  if (values.staged && positionals.length > 0) throw new UsageError('--staged takes no paths: it scans what is staged.');
  const cwd = process.cwd();
  const ignoreList = readIgnoreFile(path.join(cwd, IGNORE_FILE_NAME));
  const baseline = values.baseline === undefined ? undefined : readBaseline(path.resolve(cwd, values.baseline));
  const wholeTree = !values.staged && !values.history && (positionals.length === 0 || positionals.every((root) => path.resolve(cwd, root) === cwd));
  const unused = wholeTree ? new UnusedEntries(ignoreList.entries) : undefined;
  let rules: readonly Rule[] | undefined;
  let scanner: SecretScanner;
  try {
    rules = values['providers-file'] === undefined ? undefined : rulesWithProviders(values['providers-file']);
    scanner = new SecretScanner({ rules, ignoredFingerprints: ignoreList.fingerprints });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const excludes = [...ignoreList.paths, ...values.exclude];
  const scanned =
    values.staged || values.history
      ? await scanGit(scanner, { cwd, excludes, history: values.history ? positionals : undefined })
      : scanTree(
          scanner,
          { gitignore: !values['no-gitignore'], excludes, base: cwd, onExcluded: unused?.pathExcluded, onSkipped: (where, why) => warn(`${where}: ${why}`) },
          positionals,
        );
  scanner.ignored.used.forEach((entry) => unused?.fingerprintUsed(entry));
  unused?.report((entry) => warn(`${IGNORE_FILE_NAME}:${entry.line}: '${entry.value}' matched nothing in this scan; remove it if it is no longer needed.`));
  let findings = scanned.findings.filter(({ file }) => !(values['exclude-test-paths'] && isTestPath(file)));
  if (baseline !== undefined) {
    await deriveFingerprints(findings);
    findings = findings.filter(({ finding }) => !baseline.has(finding.fingerprint.value));
  }
  return { ...scanned, findings, rules, ignored: scanner.ignored };
}

export async function run(argv: string[]): Promise<number> {
  let values: ScanValues;
  let positionals: string[];
  try {
    ({ values, positionals } = parseScanArgs(argv));
  } catch (error) {
    return fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const format = values.format as Format;
  if (!FORMATS.includes(format)) return fail(`unknown format ${quoteIfName(format) ?? 'given with --format'}; use text, json or sarif.`);
  if (values['list-suppressions']) return listSuppressions(values, positionals, format);

  let scanned: Scanned;
  try {
    scanned = await collectFindings(values, positionals);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const { findings, rules, provenance } = scanned;
  if (values['update-ignore-file']) {
    const problem = updateIgnoreFile(path.join(process.cwd(), IGNORE_FILE_NAME), scanned.ignored);
    if (problem !== undefined) return fail(problem);
  } else {
    warnOfLegacyEntries(scanned.ignored);
  }
  if (format !== 'text') await deriveFingerprints(findings);
  const report =
    format === 'json'
      ? terminalSafeJson(toJson(findings))
      : format === 'sarif'
        ? terminalSafeJson(formatSarif(findings, { version, homepage, rules, provenance }))
        : formatText(findings);
  if (values.output !== undefined) {
    try {
      fs.writeFileSync(path.resolve(values.output), report);
    } catch (error) {
      return fail(`cannot write ${values.output}: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    process.stdout.write(report);
  }
  if (scanned.errors > 0) return 2;
  return findings.length > 0 ? 1 : 0;
}

/** What a tree or git scan found, before the scan-wide suppressions. */
export type ScanResult = Omit<Scanned, 'ignored'>;

function scanTree(scanner: SecretScanner, options: Parameters<typeof walkFiles>[1], roots: readonly string[]): ScanResult {
  const cwd = options.base;
  const reader = new FileReader();
  const findings: FileFinding[] = [];
  let errors = 0;
  let oversized = 0;
  for (const root of roots.length > 0 ? roots : ['.']) {
    const absolute = path.resolve(cwd, root);
    try {
      fs.lstatSync(absolute);
    } catch (error) {
      errors++;
      const code = (error as NodeJS.ErrnoException).code;
      warn(code === 'ENOENT' ? `no such file or directory: ${root}` : `cannot read ${root}: ${code ?? String(error)}`);
      continue;
    }
    for (const file of walkFiles(absolute, options)) {
      let content: Buffer | undefined;
      try {
        content = reader.read(file);
      } catch (error) {
        errors++;
        warn(`cannot read ${path.relative(cwd, file)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        continue;
      }
      if (content === undefined) {
        oversized++;
        continue;
      }
      const found = scanner.scanFile(content, { fileName: file });
      if (found.length === 0) continue;
      const relative = toSlash(path.relative(cwd, file));
      for (const finding of found) findings.push({ file: relative, finding });
    }
  }
  if (oversized > 0) warn(`skipped ${oversized} file(s) over ${MAX_FILE_BYTES / 1024 / 1024} MB`);
  return { findings, errors, rules: undefined };
}

/** Once a run: old entries still work, but a weak secret can be recovered from them. */
function warnOfLegacyEntries(ignored: IgnoredFingerprints): void {
  const count = ignored.legacyEntries.length;
  if (count === 0) return;
  const matched = ignored.legacyMatches.size;
  warn(
    `${IGNORE_FILE_NAME} has ${count} old sha256: fingerprint(s), from which a short or common secret can be guessed in seconds. ` +
      `They still hide what they hid; run 'api-key-guard scan --update-ignore-file' over the same paths to replace ` +
      `the ${matched} that hid a finding in this scan by scrypt: fingerprints` +
      (matched < count ? `, and delete the ${count - matched} that hid nothing, if their secrets are gone.` : '.'),
  );
}

/**
 * Rewrites the ignore file: each old entry that hid a finding becomes the scrypt: fingerprint of
 * each secret it hid, keeping its note. Entries that hid nothing are left as they are, and counted.
 */
function updateIgnoreFile(file: string, ignored: IgnoredFingerprints): string | undefined {
  if (ignored.legacyEntries.length === 0) {
    warn(`${IGNORE_FILE_NAME} has no old sha256: entries; nothing to update.`);
    return undefined;
  }
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return `cannot read ${IGNORE_FILE_NAME}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
  let replaced = 0;
  const lines = content.split(/(?<=\n)/).flatMap((line) => {
    const [entry] = parseIgnoreFile(line).fingerprints;
    const hidden = entry === undefined ? undefined : ignored.legacyMatches.get(entry);
    if (entry === undefined || hidden === undefined) return [line];
    replaced++;
    // The entry's own text gives way to each fingerprint; indentation and note stay.
    const at = line.toLowerCase().indexOf(entry);
    const after = line.slice(at + entry.length).replace(/\n?$/, '\n');
    return [...hidden].map((fingerprint) => `${line.slice(0, at)}${fingerprint.value}${after}`);
  });
  try {
    fs.writeFileSync(file, lines.join(''));
  } catch (error) {
    return `cannot write ${IGNORE_FILE_NAME}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
  const left = ignored.legacyEntries.length - replaced;
  warn(
    `updated ${IGNORE_FILE_NAME}: replaced ${replaced} old sha256: entr${replaced === 1 ? 'y' : 'ies'} by scrypt: fingerprints` +
      (left > 0 ? `; ${left} hid nothing in this scan and were left as they are.` : '.'),
  );
  return undefined;
}

export function readIgnoreFile(file: string): IgnoreList {
  try {
    return parseIgnoreFile(fs.readFileSync(file, 'utf8'));
  } catch {
    return { fingerprints: [], paths: [], entries: [] };
  }
}

/** The built-in rules plus those of the custom providers in `file`; a broken definition is skipped with a warning. */
function rulesWithProviders(file: string): readonly Rule[] {
  return buildRules([...SEED_PROVIDERS, ...readProvidersFile(file, 'scan')]);
}
