/** `api-key-guard scan`: the scanner over files and directories, for CI and pre-commit hooks. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { homepage, version } from '../../package.json';
import { BUILT_IN_PROVIDERS } from '../core/providers';
import { quoteIfName } from '../core/redaction';
import { SecretScanner } from '../core/scanner/engine';
import { isTestPath } from '../core/scanner/fileKinds';
import { FileReader, MAX_FILE_BYTES, walkFiles } from '../core/scanner/files';
import { FileFinding, formatSarif, formatText, toJson } from '../core/scanner/report';
import { buildRules } from '../core/scanner/rules';
import { IGNORE_FILE_NAME, parseIgnoreFile } from '../core/scanner/suppression';
import { describeParseError } from './options';
import { readProvidersFile } from './providersFile';
import type { Rule } from '../core/scanner/types';

const HELP = `Usage: api-key-guard scan [paths...] [options]

Finds API keys, tokens, passwords and private keys hardcoded in files. Paths default to the
current directory; directories are walked, files named explicitly are always scanned.

Options:
  --format text|json|sarif   output format (default text: file:line:column ruleId message)
  --output <file>            write the report to a file instead of standard output
  --no-gitignore             also scan files that .gitignore excludes
  --exclude-test-paths       leave out files in test, spec, fixture and example folders
                             (reported by default, as SARIF notes and with testPath in JSON)
  --exclude <glob>           skip paths matching a gitignore-style pattern (repeatable)
  --providers-file <file>    also find keys of custom providers (JSON, as for 'check'):
                             values of their environment variables and key headers
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

function fail(message: string): number {
  process.stderr.write(`api-key-guard scan: ${message}\n`);
  return 2;
}

function toSlash(relative: string): string {
  return relative.split(path.sep).join('/');
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
  const ignoreList = readIgnoreFile(path.join(cwd, IGNORE_FILE_NAME));
  let rules: readonly Rule[] | undefined;
  let scanner: SecretScanner;
  try {
    rules = values['providers-file'] === undefined ? undefined : rulesWithProviders(values['providers-file']);
    scanner = new SecretScanner({ rules, ignoredFingerprints: ignoreList.fingerprints });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const options = { gitignore: !values['no-gitignore'], excludes: [...ignoreList.paths, ...values.exclude], base: cwd };
  const reader = new FileReader();
  const findings: FileFinding[] = [];
  let errors = 0;
  let oversized = 0;
  for (const root of positionals.length > 0 ? positionals : ['.']) {
    const absolute = path.resolve(cwd, root);
    if (!fs.existsSync(absolute)) {
      errors++;
      process.stderr.write(`api-key-guard scan: no such file or directory: ${root}\n`);
      continue;
    }
    for (const file of walkFiles(absolute, options)) {
      let content: Buffer | undefined;
      try {
        content = reader.read(file);
      } catch (error) {
        errors++;
        process.stderr.write(`api-key-guard scan: cannot read ${path.relative(cwd, file)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
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
  if (oversized > 0) process.stderr.write(`api-key-guard scan: skipped ${oversized} file(s) over ${MAX_FILE_BYTES / 1024 / 1024} MB\n`);

  const report =
    format === 'json'
      ? `${JSON.stringify(toJson(findings), null, 2)}\n`
      : format === 'sarif'
        ? `${JSON.stringify(formatSarif(findings, { version, homepage, rules }), null, 2)}\n`
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
