import * as vscode from 'vscode';
import { planName } from '../core/checkOutcome';
import { describeDaysUntil, keyStatus, secondsUntilRetry, type KeyRecord, type KeyStatus } from '../core/keyRecord';
import { BUILT_IN_PROVIDERS } from '../core/providers/builtIn';
import { describeAuth, describeKeyCheck } from '../core/providers/presentation';
import type { ProviderDefinition } from '../core/providers/types';
import { describeHeadroom, describePlan, type RateLimit } from '../core/rateLimit';
import { maskSecret } from '../core/redaction';
import { SecretStorageError, type KeyStore } from './keyStore';
import type { ProviderRegistry } from './providerRegistry';
import { escapeMarkdown } from './markdown';
import { numberSetting } from './settings';

export class ProviderNode extends vscode.TreeItem {
  constructor(
    readonly provider: ProviderDefinition,
    keyCount: number,
  ) {
    const isBuiltIn = BUILT_IN_PROVIDERS.includes(provider);
    super(provider.displayName, keyCount > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    // The id changes when the first key arrives: VS Code keeps an item's old collapsible state by id,
    // and a provider row that had no children would otherwise never show its new key.
    this.id = `provider:${provider.id}:${keyCount > 0 ? 'keys' : 'empty'}`;
    this.description = describeAuth(provider.auth);
    this.iconPath = new vscode.ThemeIcon('plug');
    this.contextValue = 'provider';
    this.tooltip = new vscode.MarkdownString(
      [
        `**${provider.displayName}**${isBuiltIn ? '' : ' (custom)'}`,
        `Key sent as: ${describeAuth(provider.auth)}`,
        `Base URL: \`${provider.baseUrl}\``,
        keyCount === 0 ? 'No keys yet: use **+** to add one.' : `${keyCount} key${keyCount === 1 ? '' : 's'}`,
      ].join('\n\n'),
    );
  }
}

/** How a key's provider is named once its definition is gone. */
export function unknownProviderName(providerId: string): string {
  return `Unknown provider '${providerId}'`;
}

/** The keys of a provider that is no longer defined, kept in sight so they can be copied, edited or removed. */
export class UnknownProviderNode extends vscode.TreeItem {
  constructor(
    readonly providerId: string,
    keyCount: number,
  ) {
    super(unknownProviderName(providerId), vscode.TreeItemCollapsibleState.Expanded);
    this.id = `unknownProvider:${providerId}`;
    this.description = 'no longer defined';
    // No context value: no menu applies to a provider that is not defined.
    this.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    this.tooltip = new vscode.MarkdownString(
      [
        `**${escapeMarkdown(unknownProviderName(providerId))}**`,
        `No provider '${escapeMarkdown(providerId)}' is defined any more: it was removed from your settings (\`apiKeyGuard.customProviders\`), or its definition there has an error. Its ${keyCount} key${keyCount === 1 ? '' : 's'} cannot be checked or rotated.`,
        'Add the definition back to use them again, or remove the keys you no longer need.',
      ].join('\n\n'),
    );
  }
}

const STATUS_LOOK: Record<KeyStatus, { icon: string; color?: string; words: string }> = {
  working: { icon: 'pass-filled', color: 'testing.iconPassed', words: 'working' },
  failing: { icon: 'error', color: 'testing.iconFailed', words: 'failing' },
  'not-checkable': { icon: 'settings-gear', color: 'errorForeground', words: 'cannot be checked' },
  'rate-limited': { icon: 'watch', color: 'list.warningForeground', words: 'rate limited' },
  unchecked: { icon: 'circle-large-outline', words: 'not checked yet' },
  expiring: { icon: 'warning', color: 'list.warningForeground', words: 'expiring soon' },
  expired: { icon: 'history', color: 'errorForeground', words: 'expired' },
  'to-revoke': { icon: 'trash', color: 'list.warningForeground', words: 'replaced: revoke it at the provider' },
  'missing-secret': { icon: 'question', color: 'errorForeground', words: 'secret missing from storage' },
  'storage-unreadable': { icon: 'lock', color: 'errorForeground', words: 'secret storage could not be read' },
};

/** What reading a key's secret for its row gave: its masked tail, none stored, or why the storage could not be read. */
type SecretReading = { readonly masked: string } | { readonly missing: true } | { readonly unreadable: string };

export class KeyNode extends vscode.TreeItem {
  constructor(
    readonly record: KeyRecord,
    readonly status: KeyStatus,
    readonly provider: ProviderDefinition | undefined,
    secret: SecretReading,
    now: Date,
  ) {
    super(record.name, vscode.TreeItemCollapsibleState.None);
    const look = STATUS_LOOK[status];
    const maskedKey = 'masked' in secret ? secret.masked : 'missing' in secret ? 'missing' : 'unreadable';
    this.id = `key:${record.id}`;
    // The masked tail first: it is what tells two keys apart, and a narrow sidebar cuts the end of a description.
    this.description = `${maskedKey} · ${record.environment}${status === 'to-revoke' ? ' · old, to revoke' : ''}`;
    this.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
    // Menus read the segments: no Check, Rotate or docs without a provider; a terminal variable to stop.
    this.contextValue = `key.${status}${provider ? '' : '.unknownProvider'}${record.terminalVariable ? '.terminal' : ''}`;
    this.tooltip = keyTooltip(record, look.words, provider, maskedKey, now, 'unreadable' in secret ? secret.unreadable : undefined);
    this.accessibilityInformation = { label: `${record.name}, ${record.environment}, ${look.words}` };
  }
}

function keyTooltip(
  record: KeyRecord,
  statusWords: string,
  provider: ProviderDefinition | undefined,
  maskedKey: string,
  now: Date,
  storageProblem: string | undefined,
): vscode.MarkdownString {
  const lines = [
    `**${escapeMarkdown(record.name)}** · ${escapeMarkdown(provider?.displayName ?? unknownProviderName(record.providerId))} · ${escapeMarkdown(record.environment)} · \`${maskedKey}\``,
    `Status: **${statusWords}**`,
  ];
  if (storageProblem !== undefined) {
    lines.push(
      `VS Code's secret storage could not be read (${escapeMarkdown(storageProblem)}): the key is probably still there. Unlock your keyring, or start one, then use **Refresh**.`,
    );
  }
  if (!provider) {
    lines.push(
      `Its provider '${escapeMarkdown(record.providerId)}' is no longer defined, so it cannot be checked: add the provider back in settings, or remove this key.`,
    );
  }
  if (provider && record.checkId) {
    lines.push(`Check: ${escapeMarkdown(describeKeyCheck(provider, record.checkId))}`);
  }
  const check = record.lastCheck;
  if (check) {
    const when = new Date(check.at).toLocaleString();
    const status = check.httpStatus ? `HTTP ${check.httpStatus}, ` : '';
    lines.push(`Last check (${when}, ${status}${check.latencyMs} ms): ${escapeMarkdown(check.message)}`);
    const wait = secondsUntilRetry(check, now);
    if (check.outcome === 'rate-limited' && wait > 0) {
      lines.push(`Retry in ${wait} s.`);
    }
    // Stored metadata is read as it is: a record of an older version has no plan, a damaged one no usable one.
    const namedPlan = planName(check.plan);
    if (namedPlan !== undefined) {
      lines.push(`Plan: ${escapeMarkdown(namedPlan)}`);
    }
    if (check.rateLimit) {
      lines.push(rateLimitLine(check.rateLimit, namedPlan === undefined ? provider : undefined, now));
    }
  } else if (provider) {
    lines.push('Never checked: use **Check Key** to prove it works.');
  }
  const dated = (label: string, date: string | undefined) => {
    if (date) {
      lines.push(`${label}: ${date} (${describeDaysUntil(date, now)})`);
    }
  };
  dated('Expires', record.expiresOn);
  dated('Rotate by', record.rotateBy);
  if (record.owner) {
    lines.push(`Owner: ${escapeMarkdown(record.owner)}`);
  }
  if (record.terminalVariable) {
    lines.push(`New terminals get it as \`$${record.terminalVariable}\`.`);
  }
  const markdown = new vscode.MarkdownString(lines.join('\n\n'));
  markdown.supportThemeIcons = false;
  return markdown;
}

/**
 * "Rate limit: 87 of 100 requests left, resets 14:05 · Standard plan (100 requests a minute)", the time in
 * the user's format; the plan the limit implies only with `planProvider`, when the answer named none.
 */
function rateLimitLine(rateLimit: RateLimit, planProvider: ProviderDefinition | undefined, now: Date): string {
  const plan = planProvider && describePlan(planProvider, rateLimit);
  return escapeMarkdown(`Rate limit: ${describeHeadroom(rateLimit, now.getTime())}${plan ? ` · ${plan}` : ''}`);
}

export type TreeNode = ProviderNode | UnknownProviderNode | KeyNode;

function countKeys(records: readonly KeyRecord[], providerId: string): number {
  return records.filter((record) => record.providerId === providerId).length;
}

/** Statuses that need the user: counted in the view's badge. */
const NEEDS_ATTENTION: ReadonlySet<KeyStatus> = new Set([
  'failing',
  'not-checkable',
  'expired',
  'expiring',
  'to-revoke',
  'missing-secret',
  'storage-unreadable',
]);

/** Providers, then their keys, with each key's status; the badge counts keys that are failing or due. */
export class KeyTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private view: vscode.TreeView<TreeNode> | undefined;
  /** Which badge count is the newest (see `updateBadge`). */
  private badgeGeneration = 0;

  constructor(
    private readonly store: KeyStore,
    private readonly providers: ProviderRegistry,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.subscriptions = [store.onDidChange(() => this.refresh()), providers.onDidChange(() => this.refresh())];
  }

  attach(view: vscode.TreeView<TreeNode>): void {
    this.view = view;
    void this.updateBadge();
  }

  refresh(): void {
    this.changed.fire(undefined);
    void this.updateBadge();
  }

  getTreeItem(element: TreeNode): vscode.TreeItem {
    return element;
  }

  async getChildren(element?: TreeNode): Promise<TreeNode[]> {
    const records = this.store.list();
    if (!element) {
      const defined = this.providers
        .all()
        .filter((provider) => countKeys(records, provider.id) > 0 || this.providers.isListed(provider))
        .map((provider) => new ProviderNode(provider, countKeys(records, provider.id)));
      const unknown = [...new Set(records.map((record) => record.providerId))]
        .filter((providerId) => !this.providers.find(providerId))
        .sort()
        .map((providerId) => new UnknownProviderNode(providerId, countKeys(records, providerId)));
      return [...defined, ...unknown];
    }
    if (element instanceof KeyNode) {
      return [];
    }
    const [provider, providerId] = element instanceof ProviderNode ? [element.provider, element.provider.id] : [undefined, element.providerId];
    const keys = records.filter((record) => record.providerId === providerId).sort((a, b) => a.name.localeCompare(b.name));
    return Promise.all(keys.map((record) => this.keyNode(record, provider)));
  }

  getParent(element: TreeNode): TreeNode | undefined {
    if (!(element instanceof KeyNode)) {
      return undefined;
    }
    const provider = this.providers.find(element.record.providerId);
    if (provider) {
      return new ProviderNode(provider, 1);
    }
    return new UnknownProviderNode(element.record.providerId, countKeys(this.store.list(), element.record.providerId));
  }

  /** Every key row, for commands and tests that need rows without a view. */
  async keyNodes(): Promise<KeyNode[]> {
    return Promise.all(this.store.list().map((record) => this.keyNode(record, this.providers.find(record.providerId))));
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }

  /** A row reads its key's secret through the store's cache, so redrawing every row on each check result reads nothing. */
  private async keyNode(record: KeyRecord, provider: ProviderDefinition | undefined): Promise<KeyNode> {
    let secret: SecretReading;
    try {
      const value = await this.store.readSecret(record.id);
      secret = value === undefined ? { missing: true } : { masked: maskSecret(value) };
    } catch (error) {
      secret = { unreadable: error instanceof SecretStorageError ? error.reason : String(error) };
    }
    const now = this.now();
    const status = keyStatus(record, now, numberSetting('reminderDays'), {
      secret: 'masked' in secret ? 'stored' : 'missing' in secret ? 'missing' : 'unreadable',
      providerDefined: provider !== undefined,
    });
    return new KeyNode(record, status, provider, secret, now);
  }

  private async updateBadge(): Promise<void> {
    if (!this.view) {
      return;
    }
    // Counts overlap when changes come quickly, and their secret reads may finish in any order: only the
    // newest may set the badge, or a count begun before a check result would hide that result.
    const generation = ++this.badgeGeneration;
    const count = (await this.keyNodes()).filter((node) => NEEDS_ATTENTION.has(node.status)).length;
    if (generation !== this.badgeGeneration) {
      return;
    }
    this.view.badge = count > 0 ? { value: count, tooltip: `${count} key${count === 1 ? '' : 's'} failing or due for attention` } : undefined;
  }
}
