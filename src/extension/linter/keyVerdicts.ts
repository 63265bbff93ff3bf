/**
 * What the checks of keys found in code said, for this session: a live key's finding stays an error
 * through re-lints and edits elsewhere in its file. A verdict is filed under an HMAC of the provider
 * and the key with a secret made for the session, so no map here holds a key, and nothing is stored.
 */
import { createHmac, randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ProviderDefinition } from '../../core/providers/types';
import type { Finding, Rule } from '../../core/scanner/types';
import type { Verification } from '../../core/verification';
import type { ProviderRegistry } from '../providerRegistry';
import type { ScannerModules } from './scanners';

/** A finding's key and the verdict its provider's check gave it. */
export interface FindingVerdict {
  readonly provider: ProviderDefinition;
  readonly verification: Verification;
}

/** Where a key's verdict is filed: its provider and the key's name here (see `idOf`), never the key. */
export interface VerdictFiling {
  readonly providerId: string;
  readonly id: string;
}

export class KeyVerdicts implements vscode.Disposable {
  private readonly sessionSecret = randomBytes(32);
  private readonly verdicts = new Map<string, Verification>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** A verdict was recorded: diagnostics show it. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly providers: ProviderRegistry) {}

  /** The provider a finding's key may be checked against (see `verifiableProviderFor`), if any. */
  providerFor(finding: Finding, rules: readonly Rule[], modules: ScannerModules): ProviderDefinition | undefined {
    return modules.verifiableProviderFor(finding.ruleId, finding.fingerprint.secretForCheck(), rules, this.providers.all());
  }

  /** What the last check of the finding's key said, if it was checked this session. */
  verdictOf(finding: Finding, rules: readonly Rule[], modules: ScannerModules): FindingVerdict | undefined {
    if (this.verdicts.size === 0) return undefined;
    const filed = this.filingOf(finding, rules, modules);
    return filed && this.verdictFiledAs(filed);
  }

  /** Where the finding's key's verdict is filed, if its provider can check it: what a finding may be kept by instead of its key. */
  filingOf(finding: Finding, rules: readonly Rule[], modules: ScannerModules): VerdictFiling | undefined {
    const provider = this.providerFor(finding, rules, modules);
    return provider && { providerId: provider.id, id: this.idOf(provider, finding.fingerprint.secretForCheck()) };
  }

  /** What the last check of the key filed there said, with its provider as it is defined now. */
  verdictFiledAs({ providerId, id }: VerdictFiling): FindingVerdict | undefined {
    const verification = this.verdicts.get(id);
    const provider = verification && this.providers.find(providerId);
    return provider && verification ? { provider, verification } : undefined;
  }

  has(provider: ProviderDefinition, key: string): boolean {
    return this.verdicts.has(this.idOf(provider, key));
  }

  record(provider: ProviderDefinition, key: string, verification: Verification): void {
    this.verdicts.set(this.idOf(provider, key), verification);
    this.changed.fire();
  }

  /** The name a key is known by here: never the key, and meaningless outside this session. */
  idOf(provider: ProviderDefinition, key: string): string {
    return createHmac('sha256', this.sessionSecret).update(provider.id).update('\0').update(key).digest('base64');
  }

  dispose(): void {
    this.changed.dispose();
  }
}
