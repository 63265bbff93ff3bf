import * as vscode from 'vscode';
import {
  networkSettingsResult,
  providerRemovedResult,
  secretMissingResult,
  storageUnreadableResult,
  unusableSettingsResult,
  type CheckResult,
} from '../core/checkOutcome';
import { forEachConcurrently } from '../core/concurrency';
import { toLastCheck, type KeyRecord } from '../core/keyRecord';
import { SecretStorageError, type KeyStore, type NewKeyRecord } from './keyStore';
import type { Log } from './log';
import { readNetworkSettings } from './networkSettings';
import type { ProviderRegistry } from './providerRegistry';
import { numberSetting } from './settings';

type CheckEngine = typeof import('../core/checkEngine');
type CheckOptions = Parameters<CheckEngine['checkKey']>[1];
/** What a check request is built from, stored or not yet stored. */
type CheckedKey = Pick<NewKeyRecord, 'providerId' | 'name' | 'params' | 'baseUrl' | 'checkId'>;

/**
 * Runs connectivity checks for stored keys and records their results. The engine (and undici with it)
 * loads on the first check, so activation stays light. One `CheckMemory` per window: a key is never
 * checked twice at once, and a rate-limited key rests until the provider said it may try again.
 */
export class CheckService {
  private engine: Promise<CheckEngine> | undefined;
  private memory: InstanceType<CheckEngine['CheckMemory']> | undefined;

  constructor(
    private readonly store: KeyStore,
    private readonly providers: ProviderRegistry,
    private readonly log: Log,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Checks the keys, at most `apiKeyGuard.checkConcurrency` at a time, and records each result as it
   * comes. Cancelling aborts the requests in flight; a key whose check was cancelled has no result.
   * A key that cannot be read or recorded is a result of its own, never the end of the others.
   */
  async check(
    records: readonly KeyRecord[],
    token?: vscode.CancellationToken,
    onResult?: (record: KeyRecord, result: CheckResult) => void,
  ): Promise<Map<string, CheckResult>> {
    const engine = await this.loadEngine();
    const cancel = new AbortController();
    const cancelling = token?.onCancellationRequested(() => cancel.abort());
    if (token?.isCancellationRequested) {
      cancel.abort();
    }
    const options = this.options(cancel.signal);
    const results = new Map<string, CheckResult>();
    try {
      await forEachConcurrently(
        records,
        numberSetting('checkConcurrency'),
        async (record) => {
          const result = await this.checkOne(engine, record, () => this.store.readSecret(record.id), { ...options, keyId: record.id });
          if (!result) {
            return;
          }
          results.set(record.id, result);
          try {
            await this.store.update(record.id, (current) => ({ ...current, lastCheck: toLastCheck(result, this.now()) }));
          } catch (error) {
            this.log.error(error instanceof Error ? error : String(error));
          }
          onResult?.(record, result);
        },
        cancel.signal,
      );
    } finally {
      cancelling?.dispose();
    }
    return results;
  }

  /** Checks a key that is not stored (yet): Rotate checks the new key before it keeps it. Records nothing. */
  async checkNewSecret(key: CheckedKey, secret: string): Promise<CheckResult> {
    const engine = await this.loadEngine();
    return (await this.checkOne(engine, key, () => Promise.resolve(secret), this.options()))!;
  }

  private options(signal?: AbortSignal): CheckOptions & { proxySource: string } {
    const network = readNetworkSettings();
    return {
      timeoutMs: numberSetting('checkTimeoutMs'),
      memory: this.memory!,
      clock: () => this.now().getTime(),
      ...network.options,
      proxySource: network.proxySource,
      ...(signal ? { signal } : {}),
    };
  }

  /** One key's result; undefined when the check was cancelled. */
  private async checkOne(
    engine: CheckEngine,
    key: CheckedKey,
    readSecret: () => Promise<string | undefined>,
    options: CheckOptions & { proxySource: string; keyId?: string },
  ): Promise<CheckResult | undefined> {
    const provider = this.providers.find(key.providerId);
    if (!provider) {
      return providerRemovedResult(key.providerId);
    }
    let secret: string | undefined;
    try {
      secret = await readSecret();
    } catch (error) {
      if (error instanceof SecretStorageError) {
        this.log.error(error);
        return storageUnreadableResult(error.reason);
      }
      throw error;
    }
    if (secret === undefined) {
      return secretMissingResult();
    }
    const { keyId, proxySource, ...checkOptions } = options;
    try {
      const result = await engine.checkKey(
        {
          provider,
          key: secret,
          params: key.params,
          ...(keyId ? { keyId } : {}),
          ...(key.baseUrl ? { baseUrl: key.baseUrl } : {}),
          ...(key.checkId ? { checkId: key.checkId } : {}),
        },
        checkOptions,
      );
      this.log.info(
        `check ${provider.displayName} '${key.name}'${result.request === undefined ? '' : ` (${result.request})`}: ${result.outcome}${result.httpStatus ? ` (HTTP ${result.httpStatus})` : ''}, ${Math.round(result.latencyMs)} ms: ${result.message}`,
        [secret],
      );
      return result;
    } catch (error) {
      if (error instanceof engine.CheckCancelledError) {
        return undefined;
      }
      if (error instanceof engine.ProxyConfigurationError) {
        return networkSettingsResult(error.message, proxySource);
      }
      if (error instanceof engine.CheckConfigurationError) {
        return unusableSettingsResult(error.message);
      }
      throw error;
    }
  }

  private loadEngine(): Promise<CheckEngine> {
    // `require`, not `import()`: the bundler maps it to dist/checkEngine.js, loaded only now.
    this.engine ??= Promise.resolve(require('../core/checkEngine') as CheckEngine).then((engine) => {
      this.memory = new engine.CheckMemory();
      return engine;
    });
    return this.engine;
  }
}
