/**
 * "Check Whether This Key Works" on a key found in code: its provider's own connectivity check, sent
 * only after the user said yes in a modal dialog, or automatically for the providers the user named in
 * `apiKeyGuard.checkFoundKeys` (user settings only). The verdict goes to `KeyVerdicts`, which the
 * diagnostics show.
 */
import * as vscode from 'vscode';
import { checkOf, resolveCheckTarget } from '../../core/providers/checkTarget';
import type { ProviderDefinition } from '../../core/providers/types';
import type { Finding } from '../../core/scanner/types';
import type { Verification } from '../../core/verification';
import { askCheck, confirm, knownServerItems, parameterSteps } from '../commands/questions';
import type { CommandServices } from '../commands/services';
import { fieldStep, runSteps, type FlowStep } from '../prompts';
import { findingRange, type DocumentLinter, type PublishedFindings, type ShownFinding } from './diagnostics';
import { findingPlaceOf, positionOf } from './findingPlace';
import type { FindingVerdict, KeyVerdicts } from './keyVerdicts';
import { loadScanner, type ScannerModules, type ScannerPool } from './scanners';
import type { WorkspaceScan } from './workspaceScan';

export const CHECK_FOUND_KEY_COMMAND = 'apiKeyGuard.checkFoundKey';
export const CHECK_FOUND_KEY_TITLE = 'Check Whether This Key Works';
const AUTOMATIC_CHECKS_SETTING = 'apiKeyGuard.checkFoundKeys';

/** Where and how a found key is checked: what the user answered, or the provider's last stored key's settings. */
interface CheckSettings {
  readonly params: Readonly<Record<string, string>>;
  /** null: the provider's own. */
  readonly baseUrl: string | null;
  readonly checkId: string | null;
}

interface FoundKey {
  readonly document: vscode.TextDocument;
  readonly finding: Finding;
  readonly provider: ProviderDefinition;
}

export class FoundKeyChecks implements vscode.Disposable {
  /** Verdict ids (never keys) of the automatic checks under way, so a re-lint does not send a key twice. */
  private readonly checking = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly linter: DocumentLinter,
    private readonly workspaceScan: WorkspaceScan,
    private readonly scanners: ScannerPool,
    private readonly verdicts: KeyVerdicts,
    private readonly services: CommandServices,
  ) {
    this.subscriptions = [
      linter.onDidPublish((published) => this.checkAutomatically(published)),
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration(AUTOMATIC_CHECKS_SETTING) && void this.checkShownAutomatically()),
    ];
  }

  /** The provider the finding's key may be checked against: the light bulb and the hover offer the check only then. */
  async providerFor(document: vscode.TextDocument, finding: Finding): Promise<ProviderDefinition | undefined> {
    const [folder, modules] = await Promise.all([this.scanners.forDocument(document.uri), loadScanner()]);
    return this.verdicts.providerFor(finding, folder.scanner.rules, modules);
  }

  /** What the last check of the finding's key said, for the hover. */
  async verdictOf(document: vscode.TextDocument, finding: Finding): Promise<FindingVerdict | undefined> {
    const [folder, modules] = await Promise.all([this.scanners.forDocument(document.uri), loadScanner()]);
    return this.verdicts.verdictOf(finding, folder.scanner.rules, modules);
  }

  /**
   * The command: the finding shown at a position of a linted document (the cursor's, from the palette) or
   * of a file Scan Workspace found it in, found again in the document as it is now, checked once the user
   * gave what the check needs and said yes.
   */
  async run(argument?: unknown): Promise<void> {
    const found = await this.findKey(argument);
    if (!found) return;
    const { document, finding, provider } = found;
    const where = `${vscode.workspace.asRelativePath(document.uri, false)}:${finding.line + 1}`;
    const settings = await this.askSettings(provider, where);
    if (!settings) return;
    const target = resolveCheckTarget(provider, targetOf(settings));
    if (!target.ok) {
      void this.services.prompts().notify('warning', `Nothing was sent: ${target.problem}`);
      return;
    }
    const elsewhere =
      target.url.origin === new URL(provider.baseUrl).origin
        ? ''
        : ` That is not ${provider.displayName}'s own server but one your other ${provider.displayName} keys use: whoever runs it receives the key.`;
    const agreed = await confirm(
      this.services,
      `Send this key to ${target.url.host} to check it?`,
      `API Key Guard sends the ${provider.displayName} key found at ${where} (${finding.preview}) once, in a GET to ${target.url.origin}${target.url.pathname}, and shows in the file whether it works.${elsewhere} The key is not stored.`,
      'Send and Check',
    );
    if (!agreed) return;
    const verification = await this.check(provider, finding, settings, where);
    const level = verification.status === 'live' ? 'warning' : 'info';
    void this.services.prompts().notify(level, verification.sentence);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  /**
   * The finding a Scan Workspace diagnostic shows over exactly this range of a document the linter does not
   * show it in, if its key may be checked: the light bulb offers only the check there.
   */
  async scanFindingToCheck(document: vscode.TextDocument, range: vscode.Range): Promise<ShownFinding | undefined> {
    const scanned = this.workspaceScan.findingAt(document.uri.toString(), range.start);
    if (!scanned || !findingRange(scanned.finding).isEqual(range)) return undefined;
    return (await this.foundAgain(document, scanned.finding)) ? scanned.finding : undefined;
  }

  /** The checkable finding the argument points at, found again in the document's current text; undefined for anything else. */
  private async findKey(argument: unknown): Promise<FoundKey | undefined> {
    const place = placeOf(argument);
    const shown = place && (await this.shownAt(place.uri, place.position));
    if (!shown) {
      if (argument === undefined) void this.services.prompts().notify('info', 'The cursor is on no key API Key Guard found.');
      return undefined;
    }
    const found = await this.foundAgain(shown.document, shown.finding);
    if (!found) {
      void this.services.prompts().notify('info', 'API Key Guard cannot check this key: its rule belongs to no provider it may send the key to.');
      return undefined;
    }
    return found;
  }

  /**
   * The finding a diagnostic shows at a position, and its document: the linter's in a document it shows, else
   * Scan Workspace's, whose file is read as it is now (opened without an editor when it is not open).
   */
  private async shownAt(uri: string, position: vscode.Position): Promise<{ document: vscode.TextDocument; finding: ShownFinding } | undefined> {
    const open = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri);
    const linted = open && this.linter.isLinting(open.uri) ? this.linter.findingAt(open.uri, position) : undefined;
    if (open && linted) return { document: open, finding: linted };
    const scanned = this.workspaceScan.findingAt(uri, position);
    if (!scanned) return undefined;
    try {
      return { document: open ?? (await vscode.workspace.openTextDocument(scanned.uri)), finding: scanned.finding };
    } catch {
      // The file is gone since the scan.
      return undefined;
    }
  }

  /**
   * The shown finding, scanned again in the lines around it as they are now, if it is still there and its
   * provider can check it: the key checked is the one in the file, never an older one.
   */
  private async foundAgain(document: vscode.TextDocument, shown: ShownFinding): Promise<FoundKey | undefined> {
    const [folder, modules] = await Promise.all([this.scanners.forDocument(document.uri), loadScanner()]);
    const from = Math.max(0, shown.line - folder.scanner.contextLines);
    const to = shown.endLine + folder.scanner.contextLines + 1;
    const finding = folder.scanner
      .scanText(document.getText(new vscode.Range(from, 0, to, 0)), { fileName: document.fileName, languageId: document.languageId })
      .map((candidate) => ({ ...candidate, line: candidate.line + from, endLine: candidate.endLine + from }))
      .find((candidate) => candidate.ruleId === shown.ruleId && findingRange(candidate).isEqual(findingRange(shown)));
    const provider = finding && this.verdicts.providerFor(finding, folder.scanner.rules, modules);
    return finding && provider && { document, finding, provider };
  }

  /** What the check needs: the provider's parameters, its check and its server where it has a choice, the last stored key's answers first. */
  private askSettings(provider: ProviderDefinition, where: string): Promise<CheckSettings | undefined> {
    const otherServers = this.services.store.list().some((record) => record.providerId === provider.id && record.baseUrl);
    // The check first: it decides which parameters are asked.
    const steps = (checkId: string | null): FlowStep<CheckSettings>[] => [
      ...(provider.alternativeChecks?.length
        ? [fieldStep<CheckSettings, 'checkId'>('Check', 'checkId', (state, place) => askCheck(this.services, place, provider, state.checkId ?? undefined))]
        : []),
      ...parameterSteps<CheckSettings>(this.services, provider, checkOf(provider, checkId ?? undefined)),
      // Only where the user keeps keys of this provider on other servers (staging, a regional host), and only
      // those: a found key goes to the provider's own server or to one the user already sends its keys to.
      ...(otherServers
        ? [
            fieldStep<CheckSettings, 'baseUrl'>('Base URL', 'baseUrl', async (state, place) => {
              const picked = await this.services
                .prompts()
                .pickStep(knownServerItems(this.services, provider, state.baseUrl, checkOf(provider, state.checkId ?? undefined)), {
                  place,
                  placeHolder: `Which ${provider.displayName} server is this key for?`,
                });
              return typeof picked === 'object' ? picked.url : picked;
            }),
          ]
        : []),
    ];
    return runSteps<CheckSettings>(
      () => `Check the ${provider.displayName} key found at ${where}`,
      ({ checkId }) => steps(checkId),
      this.lastSettings(provider),
    );
  }

  /** The settings of the provider's most recently added key: a found key most often belongs to the same tenant and server. */
  private lastSettings(provider: ProviderDefinition): CheckSettings {
    const last = this.services.store
      .list()
      .filter((record) => record.providerId === provider.id)
      .at(-1);
    return { params: { ...last?.params }, baseUrl: last?.baseUrl ?? null, checkId: last?.checkId ?? null };
  }

  private async check(provider: ProviderDefinition, finding: Finding, settings: CheckSettings, where: string): Promise<Verification> {
    const modules = await loadScanner();
    const key = finding.fingerprint.secretForCheck();
    const result = await this.services.checks.checkNewSecret({ providerId: provider.id, name: `found at ${where}`, ...targetOf(settings) }, key);
    const verification = modules.verificationOf(provider, result);
    this.verdicts.record(provider, key, verification);
    return verification;
  }

  /** The automatic checks: each shown finding of a provider the user named, not yet checked this session, checked once. */
  private checkAutomatically({ document, findings, rules, modules }: PublishedFindings): void {
    const automatic = automaticProviders();
    if (automatic.size === 0) return;
    for (const finding of findings) {
      const provider = this.verdicts.providerFor(finding, rules, modules);
      if (!provider || !automatic.has(provider.id)) continue;
      const key = finding.fingerprint.secretForCheck();
      const id = this.verdicts.idOf(provider, key);
      if (this.checking.has(id) || this.verdicts.has(provider, key)) continue;
      this.checking.add(id);
      void this.checkWithoutAsking(provider, finding, document, modules).finally(() => this.checking.delete(id));
    }
  }

  private async checkWithoutAsking(provider: ProviderDefinition, finding: Finding, document: vscode.TextDocument, modules: ScannerModules): Promise<void> {
    const settings = this.lastSettings(provider);
    const target = resolveCheckTarget(provider, targetOf(settings));
    if (!target.ok) {
      const reason = `nothing was sent, because ${target.problem.replace(/\.$/, '')}: use "${CHECK_FOUND_KEY_TITLE}" to give it.`;
      this.verdicts.record(provider, finding.fingerprint.secretForCheck(), modules.notVerified(provider, reason));
      return;
    }
    try {
      await this.check(provider, finding, settings, `${vscode.workspace.asRelativePath(document.uri, false)}:${finding.line + 1}`);
    } catch (error) {
      this.services.log.error(error instanceof Error ? error : String(error));
    }
  }

  /** After the setting changed: the findings already shown get their automatic checks too. */
  private async checkShownAutomatically(): Promise<void> {
    const modules = await loadScanner();
    for (const document of vscode.workspace.textDocuments) {
      const findings = this.linter.findings(document.uri);
      if (findings.length === 0) continue;
      const folder = await this.scanners.forDocument(document.uri);
      this.checkAutomatically({ document, findings, rules: folder.scanner.rules, modules });
    }
  }
}

/** The providers whose found keys are checked without asking: the user's own setting only, never a workspace's. */
function automaticProviders(): ReadonlySet<string> {
  const value = vscode.workspace.getConfiguration().inspect<unknown>(AUTOMATIC_CHECKS_SETTING)?.globalValue;
  return new Set(Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : []);
}

function targetOf(settings: CheckSettings) {
  return { params: settings.params, ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}), ...(settings.checkId ? { checkId: settings.checkId } : {}) };
}

/** Where the argument points: a finding's place, or the cursor when there is no argument; undefined for anything else. */
function placeOf(argument: unknown): { uri: string; position: vscode.Position } | undefined {
  if (argument === undefined) {
    const editor = vscode.window.activeTextEditor;
    return editor && { uri: editor.document.uri.toString(), position: editor.selection.active };
  }
  const place = findingPlaceOf(argument);
  return place && { uri: place.uri, position: positionOf(place) };
}
