import * as vscode from 'vscode';
import { BUILT_IN_PROVIDERS, SEED_PROVIDERS } from '../core/providers/builtIn';
import { describeDefinitionError, parseProviderDefinitions } from '../core/providers/definitions';
import type { ProviderDefinition } from '../core/providers/types';

export const CUSTOM_PROVIDERS_SETTING = 'apiKeyGuard.customProviders';
const SHOWN_BUILT_INS_SETTING = 'apiKeyGuard.builtInProviders';

/**
 * The built-in providers plus the user's own from settings. A broken definition is reported with the
 * field at fault and skipped; the valid ones stay usable.
 */
export class ProviderRegistry implements vscode.Disposable {
  private providers: readonly ProviderDefinition[] = BUILT_IN_PROVIDERS;
  private shownBuiltIns: ReadonlySet<string> = new Set();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly reportProblems: (problems: readonly string[]) => void) {
    this.reload();
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(CUSTOM_PROVIDERS_SETTING) || event.affectsConfiguration(SHOWN_BUILT_INS_SETTING)) {
        this.reload();
        this.changed.fire();
      }
    });
  }

  all(): readonly ProviderDefinition[] {
    return this.providers;
  }

  /**
   * Whether the view lists the provider even when it has no keys: custom ones always, built-ins as the
   * user chose (by default the four seeds, so the catalogue stays out of a new user's tree).
   */
  isListed(provider: ProviderDefinition): boolean {
    return !BUILT_IN_PROVIDERS.includes(provider) || this.shownBuiltIns.has(provider.id);
  }

  find(id: string): ProviderDefinition | undefined {
    return this.providers.find((provider) => provider.id === id);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private reload(): void {
    // Only the user's own settings count: the setting has application scope, so a workspace cannot
    // define a provider that would send a key to a server of its choosing.
    const custom = vscode.workspace.getConfiguration().inspect<unknown>(CUSTOM_PROVIDERS_SETTING)?.globalValue ?? [];
    const { providers, errors } = parseProviderDefinitions(custom);
    this.providers = [...BUILT_IN_PROVIDERS, ...providers];
    const shown = vscode.workspace.getConfiguration().get<unknown>(SHOWN_BUILT_INS_SETTING);
    this.shownBuiltIns = new Set(
      Array.isArray(shown) ? shown.filter((id): id is string => typeof id === 'string') : SEED_PROVIDERS.map((provider) => provider.id),
    );
    if (errors.length > 0) {
      this.reportProblems(errors.map(describeDefinitionError));
    }
  }
}
