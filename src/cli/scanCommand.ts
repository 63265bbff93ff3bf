/** `api-key-guard scan`: the scanner over files and directories, for CI and pre-commit hooks. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { homepage, version } from '../../package.json';
import { BUILT_IN_PROVIDERS } from '../core/providers/builtIn';
import { quoteIfName } from '../core/redaction';
import { SecretScanner } from '../core/scanner/engine';
import { isTestPath } from '../core/scanner/fileKinds';
import { FileReader, MAX_FILE_BYTES, toSlash, walkFiles } from '../core/scanner/files';
import { FileFinding, formatSarif, formatText, terminalSafeJson, toJson } from '../core/scanner/report';
import { buildRules } from '../core/scanner/rules';
import { IGNORE_FILE_NAME, IgnoredFingerprints, parseIgnoreFile } from '../core/scanner/suppression';
import { escapeTerminalText } from '../core/terminalText';
import { describeParseError } from './options';
import { readProvidersFile } from './providersFile';
import type { Rule } from '../core/scanner/types';

const HELP = `Usage: api-key-guard scan [paths...] [options]

Finds API keys, tokens, passwords and private keys hardcoded in files. Paths default to the
current directory; directories are walked, files named explicitly are always scanned.
Symbolic links, FIFOs and other files that are not regular files are skipped, and said so.

Options:
  --format text|json|sarif   output format (default text: file:line:column ruleId message)
  --output <file>            write the report to a file instead of standard output
  --no-gitignore             also scan files that .gitignore excludes
  --exclude-test-paths       leave out files in test, spec, fixture and example folders
                             (reported by default, as SARIF notes and with testPath in JSON)
  --exclude <glob>           skip paths matching a gitignore-style pattern (repeatable)
  --providers-file <file>    also find keys of custom providers (JSON, as for 'check'):
                             values of their environment variables and key headers
  --update-ignore-file       replace old sha256: entries of ${IGNORE_FILE_NAME} that hid a
                             finding in this scan by its scrypt: fingerprint
  -h, --help                 show this help

Suppress a finding with an 'api-key-guard-ignore' comment on its line or
'api-key-guard-ignore-next-line' on the line above; rule ids after either limit it to
those rules ('api-key-guard-ignore generic-secret, url-password -- reason'). Or list its
fingerprint (shown in SARIF partialFingerprints) in ${IGNORE_FILE_NAME} in the current
directory; that file may also list paths to skip. Files over ${MAX_FILE_BYTES / 1024 / 1024} MB and binary files are skipped.
Secrets are never printed: previews show at most the last 4 characters.

Exit codes: 0 nothing found, 1 findings, 2 errors (bad options, unreadable paths).
`;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

/** Every message to stderr goes here: a path or value quoted in it cannot forge a line or drive the terminal. */
function warn(message: string): void {
  process.stderr.write(`api-key-guard scan: ${escapeTerminalText(message)}\n`);
}

function fail(message: string): number {
  warn(message);
  return 2;
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        output: { type: 'string' },
        'no-gitignore': { type: 'boolean', default: false },
        'exclude-test-paths': { type: 'boolean', default: false },
        exclude: { type: 'string', multiple: true, default: [] },
        'providers-file': { type: 'string' },
        'update-ignore-file': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return fail(`${describeParseError(error, 'scan takes paths and options')}. Run 'api-key-guard scan --help'.`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const format = values.format as Format;
  if (!FORMATS.includes(format)) return fail(`unknown format ${quoteIfName(format) ?? 'given with --format'}; use text, json or sarif.`);

  const cwd = process.cwd();
  const ignoreFile = path.join(cwd, IGNORE_FILE_NAME);
  const ignoreList = readIgnoreFile(ignoreFile);
  let rules: readonly Rule[] | undefined;
  let scanner: SecretScanner;
  try {
    rules = values['providers-file'] === undefined ? undefined : rulesWithProviders(values['providers-file']);
    scanner = new SecretScanner({ rules, ignoredFingerprints: ignoreList.fingerprints });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const options = {
    gitignore: !values['no-gitignore'],
    excludes: [...ignoreList.paths, ...values.exclude],
    base: cwd,
    onSkipped: (where: string, why: string) => warn(`${where}: ${why}`),
  };
  const reader = new FileReader();
  const findings: FileFinding[] = [];
  let errors = 0;
  let oversized = 0;
  for (const root of positionals.length > 0 ? positionals : ['.']) {
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
      if (values['exclude-test-paths'] && isTestPath(relative)) continue;
      for (const finding of found) findings.push({ file: relative, finding });
    }
  }
  if (oversized > 0) warn(`skipped ${oversized} file(s) over ${MAX_FILE_BYTES / 1024 / 1024} MB`);
  if (values['update-ignore-file']) {
    const problem = updateIgnoreFile(ignoreFile, scanner.ignored);
    if (problem !== undefined) return fail(problem);
  } else {
    warnOfLegacyEntries(scanner.ignored);
  }

  const report =
    format === 'json'
      ? terminalSafeJson(toJson(findings))
      : format === 'sarif'
        ? terminalSafeJson(formatSarif(findings, { version, homepage, rules }))
        : formatText(findings);
  if (values.output !== undefined) {
    try {
      fs.writeFileSync(path.resolve(cwd, values.output), report);
    } catch (error) {
      return fail(`cannot write ${values.output}: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    process.stdout.write(report);
  }
  if (errors > 0) return 2;
  return findings.length > 0 ? 1 : 0;
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

function readIgnoreFile(file: string): ReturnType<typeof parseIgnoreFile> {
  try {
    return parseIgnoreFile(fs.readFileSync(file, 'utf8'));
  } catch {
    return { fingerprints: [], paths: [] };
  }
}

/** The built-in rules plus those of the custom providers in `file`; a broken definition is skipped with a warning. */
function rulesWithProviders(file: string): readonly Rule[] {
  return buildRules([...BUILT_IN_PROVIDERS, ...readProvidersFile(file, 'scan')]);
}
