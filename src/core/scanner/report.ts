/**
 * The CLI's three output formats. Lines and columns become 1-based here; `endColumn` stays
 * exclusive (the column just past the secret), as SARIF defines it.
 */
import type { CommitHeader } from '../git/patch';
import { escapeTerminalText } from '../terminalText';
import { SARIF_FINGERPRINT_KEY } from './fingerprint';
import { RULES, STORED_KEY_RULE } from './rules';
import { isTestPath } from './fileKinds';
import type { Finding, Rule, Severity } from './types';
import { describeVerification } from '../rotation';
import type { Verification } from '../verification';

export interface FileFinding {
  /** Relative to the current directory, forward slashes. */
  readonly file: string;
  readonly finding: Finding;
  /** The commit that added it, in a history scan. */
  readonly commit?: CommitHeader;
  /** Whether the key works, from `scan --verify`, for a finding whose rule has a provider to check against. */
  readonly verification?: Verification;
}

/** A verification as the JSON report and SARIF properties give it. */
export interface JsonVerification {
  readonly status: Verification['status'];
  readonly provider: string;
  readonly outcome: Verification['outcome'];
  readonly httpStatus?: number;
  readonly message: string;
  /** A live key's: how to replace it (see `Verification.rotationSteps`). */
  readonly rotationSteps?: string;
}

function verificationJson(verification: Verification): JsonVerification {
  const { status, providerId, outcome, httpStatus, sentence, rotationSteps } = verification;
  return {
    status,
    provider: providerId,
    outcome,
    ...(httpStatus === undefined ? {} : { httpStatus }),
    message: sentence,
    ...(rotationSteps === undefined ? {} : { rotationSteps }),
  };
}

/**
 * A finding as `--format json` prints it. The fingerprint is what `--baseline` and
 * `.apikeyguardignore` match (derived for the report: tens of milliseconds per distinct secret);
 * `variable` is the environment variable the message says to read the key from;
 * `testPath` marks a file in a test, fixture or example folder; a history scan adds the commit
 * that added the secret.
 */
export type JsonFinding = Omit<Finding, 'fingerprint'> & {
  readonly file: string;
  readonly fingerprint: string;
  readonly testPath?: true;
  readonly commit?: string;
  readonly author?: string;
  readonly date?: string;
  readonly verification?: JsonVerification;
};

/** The short commit id the text format prints before a history finding's file. */
export function shortCommit(sha: string): string {
  return sha.slice(0, 12);
}

export function toJson(findings: readonly FileFinding[]): JsonFinding[] {
  return findings.map(({ file, finding, commit, verification }) => ({
    file,
    line: finding.line + 1,
    column: finding.column + 1,
    endLine: finding.endLine + 1,
    endColumn: finding.endColumn + 1,
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    variable: finding.variable,
    preview: finding.preview,
    ...(finding.evidence === undefined ? {} : { evidence: finding.evidence }),
    fingerprint: finding.fingerprint.value,
    ...(isTestPath(file) ? { testPath: true as const } : {}),
    ...(commit === undefined ? {} : { commit: commit.sha, author: commit.author, date: commit.date }),
    ...(verification === undefined ? {} : { verification: verificationJson(verification) }),
  }));
}

/**
 * One line per finding, `file:line:column ruleId message`, after `<short commit>:` in a history
 * scan, and under it, indented, `live: …`, `refused: …` or `unknown: …` when it was verified; a file
 * name (or a custom provider's name in a message) cannot start a line of its own or move the cursor.
 */
export function formatText(findings: readonly FileFinding[]): string {
  return findings
    .map(
      ({ file, finding, commit, verification }) =>
        `${commit === undefined ? '' : `${shortCommit(commit.sha)}:`}${escapeTerminalText(file)}:${finding.line + 1}:${finding.column + 1} ${finding.ruleId} ${escapeTerminalText(finding.message)}\n` +
        (verification === undefined ? '' : `  ${verification.status}: ${escapeTerminalText(describeVerification(verification))}\n`),
    )
    .join('');
}

/**
 * JSON whose strings carry C1 controls, DEL and invisible format characters as `\u` escapes too
 * (JSON.stringify escapes only C0): the same data, safe to print in a terminal. Those characters
 * only occur inside strings, so the replacement never touches the JSON's own syntax.
 */
export function terminalSafeJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, unicodeEscape)}\n`;
}

/** C0 controls are left out: JSON.stringify escaped those in strings, and the rest are the layout's line breaks. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

/** `\uXXXX` for each UTF-16 unit: astral format characters become their surrogate pair, as JSON writes them. */
function unicodeEscape(char: string): string {
  let escaped = '';
  for (let i = 0; i < char.length; i++) escaped += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return escaped;
}

/** A relative path as a URI reference: each segment percent-encoded, so `#`, `?`, `%` and spaces stay part of the name. */
export function pathToUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning'> = { error: 'error', warning: 'warning' };

/** The repository and revision a run scanned: SARIF `versionControlProvenance`. */
export interface Provenance {
  /** Absolute, without credentials. */
  readonly repositoryUri: string;
  readonly revisionId?: string;
  readonly branch?: string;
}

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: rules with help links, relative URIs, fingerprints
 * of the secret; for a history scan, the repository and revision, and per result the commit that
 * added the secret (in its message and properties).
 */
export function formatSarif(
  findings: readonly FileFinding[],
  tool: { version: string; homepage: string; rules?: readonly Rule[]; provenance?: Provenance },
): object {
  const rules = [...(tool.rules ?? RULES), STORED_KEY_RULE].map((rule) => ({
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z0-9])/g, (_m, _dash, char: string) => char.toUpperCase()),
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.description },
    helpUri: `${tool.homepage.replace(/#.*$/, '')}#rule-${rule.id}`,
    help: { text: `${rule.description} See ${tool.homepage.replace(/#.*$/, '')}#rule-${rule.id}` },
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
    properties: { tags: ['security', 'secrets'], 'security-severity': rule.severity === 'error' ? '8.0' : '5.0', precision: 'high' },
  }));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'API Key Guard', semanticVersion: tool.version, informationUri: tool.homepage, rules } },
        ...(tool.provenance === undefined ? {} : { versionControlProvenance: [{ ...tool.provenance, mappedTo: { uriBaseId: '%SRCROOT%' } }] }),
        columnKind: 'utf16CodeUnits',
        results: findings.map(({ file, finding, commit, verification }) => ({
          ruleId: finding.ruleId,
          ruleIndex: ruleIndex.get(finding.ruleId),
          // A live key is an error wherever it is; else, in a test, fixture or example folder, the rule reports one level lower, as a note.
          level: verification?.status === 'live' ? 'error' : isTestPath(file) ? 'note' : SARIF_LEVEL[finding.severity],
          message: {
            text:
              `${finding.message} (${finding.preview})${commit === undefined ? '' : ` Added in commit ${shortCommit(commit.sha)} by ${commit.author} on ${commit.date}.`}` +
              (verification === undefined ? '' : ` ${verification.status}: ${describeVerification(verification)}`),
          },
          ...(finding.evidence === undefined && commit === undefined && verification === undefined
            ? {}
            : {
                properties: {
                  ...(finding.evidence === undefined ? {} : { evidence: finding.evidence }),
                  ...(commit === undefined ? {} : { commit: commit.sha, author: commit.author, date: commit.date }),
                  ...(verification === undefined ? {} : { verification: verificationJson(verification) }),
                },
              }),
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: pathToUri(file), uriBaseId: '%SRCROOT%' },
                region: { startLine: finding.line + 1, startColumn: finding.column + 1, endLine: finding.endLine + 1, endColumn: finding.endColumn + 1 },
              },
            },
          ],
          partialFingerprints: { [SARIF_FINGERPRINT_KEY]: finding.fingerprint.value },
        })),
      },
    ],
  };
}
