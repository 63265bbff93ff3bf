/**
 * `api-key-guard pre-commit`: what the hook runs. The staged scan, reported for a person at a
 * commit: in a terminal, and in VS Code's commit error dialog, which shows the first line of
 * what the hook wrote. So that line says it all in short (what, where, how to skip), and the
 * lines after it give one finding each, how to suppress a false positive, and the bypass. No
 * colour codes; nothing at all when the commit is clean.
 */
import { IGNORE_FILE_NAME } from '../core/scanner/suppression';
import { escapeTerminalText } from '../core/terminalText';
import { collectFindings, deriveFingerprints, parseScanArgs, type Scanned } from './scanCommand';
import { formatText } from '../core/scanner/report';

const HELP = `Usage: api-key-guard pre-commit [--baseline <report>] [--exclude <glob>]... [--providers-file <file>]

The staged scan as a pre-commit hook runs it ('api-key-guard install-hook' writes one; husky,
lefthook and the pre-commit framework can call it too): silent and exit 0 when the commit adds
no secret; otherwise exit 1 with each finding, how to suppress it, and how to skip the check.
`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  let scanned: Scanned;
  try {
    const { values, positionals } = parseScanArgs(argv);
    if (positionals.length > 0 || values.history || values['list-suppressions'] || values.verify)
      throw new Error('pre-commit scans what is staged; it takes no paths, --history, --list-suppressions or --verify');
    scanned = await collectFindings({ ...values, staged: true }, []);
  } catch (error) {
    process.stderr.write(
      `API Key Guard could not scan the staged changes: ${escapeTerminalText(error instanceof Error ? error.message : String(error))}. Commit with --no-verify to skip the check.\n`,
    );
    return 2;
  }
  if (scanned.findings.length === 0) return 0;
  await deriveFingerprints(scanned.findings);
  process.stderr.write(hookReport(scanned));
  return 1;
}

/** The report of a commit stopped: the findings' fingerprints must be derived (`deriveFingerprints`). */
export function hookReport({ findings }: Pick<Scanned, 'findings'>): string {
  const count = findings.length === 1 ? 'a secret' : `${findings.length} secrets`;
  const places = findings.slice(0, 3).map(({ file, finding }) => `${file}:${finding.line + 1}`);
  const more = findings.length > 3 ? ` and ${findings.length - 3} more` : '';
  const lines = formatText(findings)
    .split('\n')
    .filter((line) => line !== '')
    .map((line, index) => `  ${line} (${findings[index]?.finding.preview ?? ''})`);
  const fingerprints = findings.map(({ file, finding }) => `  ${finding.fingerprint.value}  # ${file}:${finding.line + 1} <why this is no secret>`);
  return [
    escapeTerminalText(
      `API Key Guard stopped this commit: it adds ${count} (${places.join(', ')}${more}). Remove it, or commit with --no-verify to skip the check.`,
    ),
    ...lines.map(escapeTerminalText),
    `Not a secret? Put "api-key-guard-ignore <rule id> -- <reason>" in a comment on its line, or add its fingerprint to ${IGNORE_FILE_NAME}:`,
    ...fingerprints.map(escapeTerminalText),
    'To commit anyway: git commit --no-verify',
    '',
  ].join('\n');
}
