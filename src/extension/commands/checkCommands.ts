import * as vscode from 'vscode';
import type { CheckResult, NotCheckableReason } from '../../core/checkOutcome';
import type { KeyRecord } from '../../core/keyRecord';
import { describeHeadroom, isNearlyOut, NEARLY_OUT_SHARE } from '../../core/rateLimit';
import { resolveKey, resolveProvider, type KeyArgument, type ProviderArgument } from './questions';
import type { CommandTable } from './registry';
import type { CommandServices } from './services';

/** Check Key, Check All Keys, Check Provider's Keys. */
export function checkCommands(services: CommandServices): CommandTable {
  const { store, providers } = services;
  return {
    'apiKeyGuard.checkKey': async (argument?: KeyArgument) => {
      // A key whose provider is gone is not offered: nothing could be sent (Check All still reports it).
      const record = await resolveKey(
        argument,
        store,
        providers,
        services.prompts(),
        'Check Key',
        (candidate) => providers.find(candidate.providerId) !== undefined,
      );
      return record && checkOne(services, record);
    },
    'apiKeyGuard.checkAllKeys': async () => checkSeveral(services, store.list(), 'all keys'),
    'apiKeyGuard.checkProviderKeys': async (argument?: ProviderArgument) => {
      const withKeys = new Set(store.list().map((record) => record.providerId));
      const provider = await resolveProvider(argument, providers, services.prompts(), "Check Provider's Keys", (candidate) => withKeys.has(candidate.id));
      return (
        provider &&
        checkSeveral(
          services,
          store.list().filter((record) => record.providerId === provider.id),
          `${provider.displayName} keys`,
        )
      );
    },
  };
}

async function checkOne(services: CommandServices, record: KeyRecord): Promise<CheckResult | undefined> {
  const providerName = services.providers.find(record.providerId)?.displayName ?? record.providerId;
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking ${providerName} key '${record.name}'…` },
    () => services.checks.check([record]),
  );
  const result = results.get(record.id);
  if (result) {
    void reportResult(services, record, result);
  }
  return result;
}

async function checkSeveral(services: CommandServices, records: readonly KeyRecord[], what: string): Promise<Map<string, CheckResult>> {
  if (records.length === 0) {
    void services.prompts().notify('info', 'There are no keys to check yet. Use "API Key Guard: Add Key…" to add one.');
    return new Map();
  }
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking ${what}`, cancellable: true },
    (progress, token) => {
      let done = 0;
      return services.checks.check(records, token, () => {
        done += 1;
        progress.report({ increment: 100 / records.length, message: `${done} of ${records.length}` });
      });
    },
  );
  // A key that could not be checked was never sent, so it is not counted as failing.
  const checked = records.filter((record) => results.has(record.id));
  warnNearlyOut(services, checked, results);
  const notCheckable = checked.filter((record) => results.get(record.id)!.outcome === 'not-checkable');
  const failing = checked.filter((record) => !['ok', 'not-checkable'].includes(results.get(record.id)!.outcome));
  const needingAttention = [...failing, ...notCheckable];
  if (needingAttention.length === 1) {
    void reportResult(services, needingAttention[0]!, results.get(needingAttention[0]!.id)!);
    return results;
  }
  const working = checked.length - needingAttention.length;
  const skipped = records.length - checked.length;
  const names = (keys: readonly KeyRecord[]) => keys.map((record) => `'${record.name}'`).join(', ');
  const summary = [
    `Checked ${checked.length} key${checked.length === 1 ? '' : 's'}: ${working} working, ${failing.length} failing${notCheckable.length ? `, ${notCheckable.length} could not be checked` : ''}${skipped ? `, ${skipped} not checked (cancelled)` : ''}.`,
    ...(failing.length ? [`Failing: ${names(failing)}.`] : []),
    ...(notCheckable.length ? [`Could not be checked: ${names(notCheckable)}.`] : []),
  ].join(' ');
  void services
    .prompts()
    .notify(needingAttention.length > 0 ? 'warning' : 'info', summary, ...(failing.length ? ['Show Log'] : []))
    .then((action) => {
      if (action === 'Show Log') {
        services.log.show();
      }
    });
  return results;
}

/**
 * One warning for every key the check found nearly out of requests (see `isNearlyOut`), beside the
 * summary; a key already rate limited is reported as failing there.
 */
function warnNearlyOut(services: CommandServices, checked: readonly KeyRecord[], results: ReadonlyMap<string, CheckResult>): void {
  const now = Date.now();
  const nearlyOut = checked.flatMap((record) => {
    const { outcome, rateLimit } = results.get(record.id)!;
    return rateLimit && outcome !== 'rate-limited' && isNearlyOut(rateLimit) ? [`'${record.name}' (${describeHeadroom(rateLimit, now)})`] : [];
  });
  if (nearlyOut.length > 0) {
    const keys = nearlyOut.length === 1 ? '1 key is' : `${nearlyOut.length} keys are`;
    void services
      .prompts()
      .notify('warning', `${keys} nearly out of requests (${NEARLY_OUT_SHARE * 100}% of the limit or less left): ${nearlyOut.join(', ')}.`);
  }
}

const openProxySettings = () => vscode.commands.executeCommand('workbench.action.openSettings', 'http.proxy');

/** The action that makes a key checkable again: on the key, or, where no edit of the key helps, on what surrounds it. */
const NEXT_STEP_WHEN_NOT_CHECKABLE: Record<NotCheckableReason, [action: string, run: (record: KeyRecord) => Thenable<unknown>]> = {
  'provider-removed': ['Remove Key', (record) => vscode.commands.executeCommand('apiKeyGuard.removeKey', record.id)],
  'unusable-settings': ['Edit Key Details', (record) => vscode.commands.executeCommand('apiKeyGuard.editKey', record.id)],
  'secret-missing': ['Re-enter Key', (record) => vscode.commands.executeCommand('apiKeyGuard.reenterKey', record.id)],
  'storage-unreadable': ['Check Again', (record) => vscode.commands.executeCommand('apiKeyGuard.checkKey', record.id)],
  'network-settings': ['Open Proxy Settings', openProxySettings],
};

/** What a check found, in one sentence: "Key 'orders' (production) works: …", "… failed its check: …". */
export function checkSentence(record: KeyRecord, result: CheckResult): string {
  const verdict = result.outcome === 'ok' ? 'works' : result.outcome === 'not-checkable' ? 'could not be checked' : 'failed its check';
  return `Key '${record.name}' (${record.environment}) ${verdict}: ${result.message}`;
}

/** Whether the key itself was refused: as stored, it is not what the provider issued, so entering it again is the likeliest fix. */
function isRefused(result: CheckResult): boolean {
  return result.outcome === 'unauthorized' || result.outcome === 'invalid-key';
}

/**
 * The notification's words: for a refused key, one sentence read at a glance (the provider's words and
 * what they mean stay in the tooltip and the log); otherwise the check's own sentence, which is the guidance.
 */
function noticeSentence(services: CommandServices, record: KeyRecord, result: CheckResult): string {
  const key = `Key '${record.name}' (${record.environment})`;
  const providerName = services.providers.find(record.providerId)?.displayName ?? record.providerId;
  if (result.outcome === 'unauthorized') {
    return `${key} was refused: ${providerName} says it is not valid.`;
  }
  if (result.outcome === 'invalid-key') {
    return `${key} was not sent: as stored, it cannot be a ${providerName} key.`;
  }
  return checkSentence(record, result);
}

/** A notification that says what happened and offers the next steps for that outcome, the likeliest fix first. */
async function reportResult(services: CommandServices, record: KeyRecord, result: CheckResult): Promise<void> {
  const prompts = services.prompts();
  if (result.outcome === 'ok') {
    await prompts.notify('info', checkSentence(record, result));
    return;
  }
  const command = (id: string, argument: string) => () => vscode.commands.executeCommand(id, argument);
  // In the order shown.
  const actions = new Map<string, () => unknown>();
  if (result.outcome === 'rate-limited') {
    actions.set(result.retryAfterSeconds ? `Retry in ${result.retryAfterSeconds} s` : 'Retry', async () => {
      await new Promise((resolve) => setTimeout(resolve, (result.retryAfterSeconds ?? 0) * 1000));
      await vscode.commands.executeCommand('apiKeyGuard.checkKey', record.id);
    });
  } else if (isRefused(result)) {
    actions.set('Re-enter Key', command('apiKeyGuard.reenterKey', record.id));
    actions.set('Rotate Key', command('apiKeyGuard.rotateKey', record.id));
    actions.set('Open Provider Docs', command('apiKeyGuard.openProviderDocs', record.providerId));
  } else if (result.notCheckableReason) {
    const [action, run] = NEXT_STEP_WHEN_NOT_CHECKABLE[result.notCheckableReason];
    actions.set(action, () => run(record));
  } else if (result.proxyFailed) {
    actions.set('Open Proxy Settings', openProxySettings);
  } else if (
    ['not-found', 'bad-request', 'insecure-url', 'redirect-blocked'].includes(result.outcome) ||
    // Another of the provider's checks may prove a key this one may not use (a Catalog-only Sales Layer key).
    (result.outcome === 'forbidden' && services.providers.find(record.providerId)?.alternativeChecks?.length)
  ) {
    actions.set('Edit Key Details', command('apiKeyGuard.editKey', record.id));
  }
  actions.set('Show Log', () => services.log.show());
  const chosen = await prompts.notify('warning', noticeSentence(services, record, result), ...actions.keys());
  if (chosen) {
    await actions.get(chosen)?.();
  }
}
