/** `api-key-guard scan`: the scanner over files and directories, the staged changes or the history, for CI and pre-commit hooks. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { homepage, version } from '../../package.json';
import { BUILT_IN_PROVIDERS, SEED_PROVIDERS } from '../core/providers/builtIn';
import type { ProviderDefinition } from '../core/providers/types';
import { quoteIfName } from '../core/redaction';
import { SecretScanner } from '../core/scanner/engine';
import { isTestPath } from '../core/scanner/fileKinds';
import { FileReader, MAX_FILE_BYTES, toSlash, walkFiles } from '../core/scanner/files';
import { FileFinding, formatSarif, formatText, terminalSafeJson, toJson, type Provenance } from '../core/scanner/report';
import { buildRules, RULES } from '../core/scanner/rules';
import { IGNORE_FILE_NAME, IgnoredFingerprints, parseIgnoreFile, type IgnoreList } from '../core/scanner/suppression';
import { escapeTerminalText } from '../core/terminalText';
import { readBaseline } from './baseline';
import { scanGit } from './gitScan';
import { listSuppressions } from './listSuppressions';
import { describeParseError } from './options';
import { readProvidersFile } from './providersFile';
import { UnusedEntries } from './unusedEntries';
import { UsageError } from './usageError';
import type { VerifyOptions } from './verifyFindings';
import type { Rule } from '../core/scanner/types';

const DEFAULT_VERIFY_CONCURRENCY = 4;
const MAX_VERIFY_CONCURRENCY = 16;
const MAX_TIMEOUT_MS = 600_000;
/** How long, in all, `--verify` waits on a provider that rate limits it before it gives up on that provider's remaining keys. */
const MAX_RATE_LIMIT_WAIT_MS = 30_000;

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

Whether found keys work (off unless asked: without --verify nothing is sent):
  --verify                   check each distinct key whose rule belongs to a provider, once, with
                             that provider's own connectivity check, sent only to its base URL;
                             reports live, refused or unknown (could not tell) with each finding
  --param <p>.<name>=<value> a parameter a provider's check needs (e.g. uppzy.tenantId=acme);
                             without it, that provider's keys are unknown (repeatable)
  --base-url <p>=<url>       check provider p at another base URL on its own origins (a regional
                             host) or a local server, instead of its default (repeatable)
  --verify-concurrency <n>   checks at once (default ${DEFAULT_VERIFY_CONCURRENCY}, at most ${MAX_VERIFY_CONCURRENCY})
  --timeout-ms <n>           give up on one check after n milliseconds (default 10000, as for 'check')
  -h, --help                 show this help

Suppress a finding with an 'api-key-guard-ignore' comment on its line or
'api-key-guard-ignore-next-line' on the line above; rule ids after either limit it to
those rules ('api-key-guard-ignore generic-secret, url-password -- reason'). Or list its
fingerprint (in the JSON report, and SARIF partialFingerprints) in ${IGNORE_FILE_NAME} in the
current directory, with a reason after '#'; that file may also list paths to skip. A scan of the
whole current directory warns about entries that matched nothing. Files over
${MAX_FILE_BYTES / 1024 / 1024} MB and binary files are skipped.
Secrets are never printed: previews show at most the last 4 characters.

Exit codes: 0 nothing found, 1 findings (whatever --verify says of them), 2 errors (bad options,
unreadable paths, not a git repository).
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
  verify: { type: 'boolean', default: false },
  param: { type: 'string', multiple: true, default: [] },
  'base-url': { type: 'string', multiple: true, default: [] },
  'verify-concurrency': { type: 'string' },
  'timeout-ms': { type: 'string' },
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
  readonly verify: boolean;
  readonly param: string[];
  readonly 'base-url': string[];
  readonly 'verify-concurrency'?: string;
  readonly 'timeout-ms'?: string;
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
  /** The custom providers of `--providers-file`. */
  readonly providers: readonly ProviderDefinition[];
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
  let providers: readonly ProviderDefinition[];
  let scanner: SecretScanner;
  try {
    providers = values['providers-file'] === undefined ? [] : readProvidersFile(values['providers-file'], 'scan');
    rules = values['providers-file'] === undefined ? undefined : buildRules([...SEED_PROVIDERS, ...providers]);
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
  return { ...scanned, findings, rules, providers, ignored: scanner.ignored };
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
  let verify: Omit<VerifyOptions, 'rules' | 'providers'> | undefined;
  try {
    verify = readVerifyOptions(values);
    scanned = await collectFindings(values, positionals);
    if (verify) checkVerifyTargets(verify, scanned.providers);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const { rules, provenance } = scanned;
  let { findings } = scanned;
  if (verify) {
    // Loaded only now: a scan without --verify never loads the HTTP client.
    const { verifyFindings } = require('./verifyFindings') as typeof import('./verifyFindings');
    findings = await verifyFindings(findings, { ...verify, rules: rules ?? RULES, providers: scanned.providers });
  }
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
export type ScanResult = Omit<Scanned, 'ignored' | 'providers'>;

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

/** What `--verify` and its options ask for, before the scan; undefined without `--verify`. Provider ids are checked once the providers file is read. */
function readVerifyOptions(values: ScanValues): Omit<VerifyOptions, 'rules' | 'providers'> | undefined {
  if (!values.verify) {
    const stray = (['param', 'base-url', 'verify-concurrency', 'timeout-ms'] as const).find((name) => values[name] !== undefined && values[name].length > 0);
    if (stray !== undefined) throw new UsageError(`--${stray} is used only with --verify.`);
    return undefined;
  }
  const params = new Map<string, Record<string, string>>();
  for (const pair of values.param) {
    const [, providerId, name, value] = /^([a-z0-9-]+)\.(\w+)=(.*)$/s.exec(pair) ?? [];
    if (providerId === undefined || name === undefined || value === undefined)
      throw new UsageError('--param expects provider.name=value (e.g. uppzy.tenantId=acme).');
    const given = params.get(providerId) ?? {};
    if (name in given) throw new UsageError(`--param ${providerId}.${name} is given twice.`);
    params.set(providerId, { ...given, [name]: value });
  }
  const baseUrls = new Map<string, string>();
  for (const pair of values['base-url']) {
    const [, providerId, url] = /^([a-z0-9-]+)=(.+)$/s.exec(pair) ?? [];
    if (providerId === undefined || url === undefined) throw new UsageError('--base-url expects provider=url (e.g. mailgun=https://api.eu.mailgun.net).');
    if (baseUrls.has(providerId)) throw new UsageError(`--base-url ${providerId} is given twice.`);
    baseUrls.set(providerId, url);
  }
  return {
    params,
    baseUrls,
    concurrency:
      values['verify-concurrency'] === undefined
        ? DEFAULT_VERIFY_CONCURRENCY
        : readWholeNumber(values['verify-concurrency'], '--verify-concurrency', MAX_VERIFY_CONCURRENCY),
    ...(values['timeout-ms'] === undefined ? {} : { timeoutMs: readWholeNumber(values['timeout-ms'], '--timeout-ms', MAX_TIMEOUT_MS) }),
    maxRateLimitWaitMs: MAX_RATE_LIMIT_WAIT_MS,
  };
}

/** Every provider `--param` and `--base-url` name is known, and so is every parameter name. */
function checkVerifyTargets(verify: Omit<VerifyOptions, 'rules' | 'providers'>, custom: readonly ProviderDefinition[]): void {
  const known = [...BUILT_IN_PROVIDERS, ...custom];
  const find = (id: string, option: string): ProviderDefinition => {
    const provider = known.find((candidate) => candidate.id === id);
    if (!provider) throw new UsageError(`${option} names the unknown provider ${quoteIfName(id) ?? ''} (known: ${known.map(({ id }) => id).join(', ')}).`);
    return provider;
  };
  for (const [id, params] of verify.params) {
    const provider = find(id, '--param');
    for (const name of Object.keys(params)) {
      if (!provider.parameters.some((parameter) => parameter.name === name)) {
        const names = provider.parameters.map((parameter) => parameter.name).join(', ') || 'none';
        throw new UsageError(`--param ${id}.${name}: ${provider.displayName} has no parameter ${name} (known: ${names}).`);
      }
    }
  }
  for (const id of verify.baseUrls.keys()) find(id, '--base-url');
}

function readWholeNumber(text: string, option: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max) throw new UsageError(`${option} must be a whole number from 1 to ${max}.`);
  return value;
}
