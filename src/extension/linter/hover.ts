/** A hover on a flagged key: what the rule found, why it matters, what a check of it said, and the light bulb's actions, as links. */
import * as vscode from 'vscode';
import { findingRange, type DocumentLinter } from './diagnostics';
import { FIX_COMMAND, type Fixes, type FixArguments } from './fixes';
import { findingPlace, type FindingPlace } from './findingPlace';
import { CHECK_FOUND_KEY_COMMAND, CHECK_FOUND_KEY_TITLE, type FoundKeyChecks } from './foundKeyChecks';
import { describeVerification } from '../../core/rotation';
import { escapeMarkdown } from '../markdown';
import { loadScanner } from './scanners';

const RISK =
  'A key in a source file travels with every copy of it: commits (and the repository history for good), forks, ' +
  'CI logs, pasted snippets and backups. Anyone who reads it can call the API as you. Load it from the environment ' +
  'or a secret manager at run time, and rotate it if it was ever committed.';

export class KeyHover implements vscode.HoverProvider {
  constructor(
    private readonly linter: DocumentLinter,
    private readonly fixes: Fixes,
    private readonly checks: FoundKeyChecks,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const finding = this.linter.findingAt(document.uri, position);
    if (!finding) return undefined;
    const { RULES, STORED_KEY_RULE } = await loadScanner();
    const rule = [...RULES, STORED_KEY_RULE].find((candidate) => candidate.id === finding.ruleId);
    const link = (title: string, command: string, argument: FixArguments | FindingPlace) =>
      `[${escapeMarkdown(title)}](command:${command}?${encodeURIComponent(JSON.stringify([argument]))})`;
    const place = findingPlace(document.uri, finding);
    const links = (await this.fixes.fixesFor(document, finding)).map((fix) => link(fix.title, FIX_COMMAND, { ...place, fix: fix.kind }));
    if (await this.checks.providerFor(document, finding)) links.push(link(CHECK_FOUND_KEY_TITLE, CHECK_FOUND_KEY_COMMAND, place));
    const verdict = await this.checks.verdictOf(document, finding);
    // Fix titles and the preview are plain text; rule descriptions are Markdown already.
    const markdown = new vscode.MarkdownString(
      [
        `**API Key Guard: ${rule?.description ?? finding.ruleId}** (${escapeMarkdown(finding.preview)})`,
        // Why it was reported, in one line: the rule and what besides the value made it a finding.
        `Reported by \`${finding.ruleId}\`${finding.evidence === undefined ? '' : `: ${escapeMarkdown(finding.evidence)}`}.`,
        ...(verdict ? [`**${escapeMarkdown(describeVerification(verdict.verification))}**`] : []),
        RISK,
        links.join(' · '),
      ].join('\n\n'),
    );
    markdown.isTrusted = { enabledCommands: [FIX_COMMAND, CHECK_FOUND_KEY_COMMAND] };
    return new vscode.Hover(markdown, findingRange(finding));
  }
}
