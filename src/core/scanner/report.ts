/**
 * The CLI's three output formats. Lines and columns become 1-based here; `endColumn` stays
 * exclusive (the column just past the secret), as SARIF defines it.
 */
import { RULES, STORED_KEY_RULE } from './rules';
import { isTestPath } from './fileKinds';
import type { Finding, Rule, Severity } from './types';

export interface FileFinding {
  /** Relative to the current directory, forward slashes. */
  readonly file: string;
  readonly finding: Finding;
}

/** A finding as `--format json` prints it: the fingerprint stays internal; `testPath` marks a file in a test, fixture or example folder. */
export type JsonFinding = Omit<Finding, 'fingerprint'> & { readonly file: string; readonly testPath?: true };

export function toJson(findings: readonly FileFinding[]): JsonFinding[] {
  return findings.map(({ file, finding }) => ({
    file,
    line: finding.line + 1,
    column: finding.column + 1,
    endLine: finding.endLine + 1,
    endColumn: finding.endColumn + 1,
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    preview: finding.preview,
    ...(finding.evidence === undefined ? {} : { evidence: finding.evidence }),
    ...(isTestPath(file) ? { testPath: true as const } : {}),
  }));
}

export function formatText(findings: readonly FileFinding[]): string {
  return toJson(findings)
    .map((item) => `${item.file}:${item.line}:${item.column} ${item.ruleId} ${item.message}\n`)
    .join('');
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning'> = { error: 'error', warning: 'warning' };

/** SARIF 2.1.0 as GitHub code scanning reads it: rules with help links, relative URIs, fingerprints of the secret. */
export function formatSarif(findings: readonly FileFinding[], tool: { version: string; homepage: string; rules?: readonly Rule[] }): object {
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
        columnKind: 'utf16CodeUnits',
        results: findings.map(({ file, finding }) => ({
          ruleId: finding.ruleId,
          ruleIndex: ruleIndex.get(finding.ruleId),
          // In a test, fixture or example folder the same rule reports one level lower, as a note.
          level: isTestPath(file) ? 'note' : SARIF_LEVEL[finding.severity],
          message: { text: `${finding.message} (${finding.preview})` },
          ...(finding.evidence === undefined ? {} : { properties: { evidence: finding.evidence } }),
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(file), uriBaseId: '%SRCROOT%' },
                region: { startLine: finding.line + 1, startColumn: finding.column + 1, endLine: finding.endLine + 1, endColumn: finding.endColumn + 1 },
              },
            },
          ],
          partialFingerprints: { 'secretFingerprint/v1': finding.fingerprint },
        })),
      },
    ],
  };
}
