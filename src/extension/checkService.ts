import * as vscode from 'vscode';
import { providerRemovedResult, secretMissingResult, unusableSettingsResult, type CheckResult } from '../core/checkOutcome';
import { toLastCheck, type KeyRecord } from '../core/keyRecord';
import type { KeyStore } from './keyStore';
import type { Log } from './log';
import type { ProviderRegistry } from './providerRegistry';

type CheckEngine = typeof import('../core/checkEngine');

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

  /** Checks the keys, at most `apiKeyGuard.checkConcurrency` at a time, and records each result. */
  async check(
    records: readonly KeyRecord[],
    token?: vscode.CancellationToken,
    onResult?: (record: KeyRecord, result: CheckResult) => void,
  ): Promise<Map<string, CheckResult>> {
    const engine = await this.loadEngine();
    const settings = vscode.workspace.getConfiguration('apiKeyGuard');
    const options = {
      timeoutMs: settings.get<number>('checkTimeoutMs', 10000),
      memory: this.memory!,
      clock: () => this.now().getTime(),
      ...proxyOptions(),
    };
    const results = new Map<string, CheckResult>();
    const queue = [...records];
    const worker = async () => {
      for (let record = queue.shift(); record && !token?.isCancellationRequested; record = queue.shift()) {
        const result = await this.checkOne(engine, record, options);
        results.set(record.id, result);
        await this.store.update(record.id, (current) => ({ ...current, lastCheck: toLastCheck(result, this.now()) }));
        onResult?.(record, result);
      }
    };
    const concurrency = Math.max(1, Math.min(settings.get<number>('checkConcurrency', 4), records.length));
    await Promise.all(Array.from({ length: concurrency }, worker));
    return results;
  }

  private async checkOne(engine: CheckEngine, record: KeyRecord, options: Parameters<CheckEngine['checkKey']>[1]): Promise<CheckResult> {
    const provider = this.providers.find(record.providerId);
    if (!provider) {
      return providerRemovedResult(record.providerId);
    }
    const key = await this.store.readSecret(record.id);
    if (key === undefined) {
      return secretMissingResult();
    }
    try {
      const result = await engine.checkKey(
        {
          provider,
          key,
          keyId: record.id,
          params: record.params,
          ...(record.baseUrl ? { baseUrl: record.baseUrl } : {}),
          ...(record.checkId ? { checkId: record.checkId } : {}),
        },
        options,
      );
      this.log.info(
        `check ${provider.displayName} '${record.name}': ${result.outcome}${result.httpStatus ? ` (HTTP ${result.httpStatus})` : ''}, ${Math.round(result.latencyMs)} ms: ${result.message}`,
        [key],
      );
      return result;
    } catch (error) {
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

/** VS Code's own proxy settings (`http.proxy`, `http.noProxy`), falling back to the environment. */
function proxyOptions(): { proxyUrl?: string; noProxy?: string } {
  const http = vscode.workspace.getConfiguration('http');
  const proxyUrl = http.get<string>('proxy') || process.env.HTTPS_PROXY || process.env.https_proxy || undefined;
  const noProxy = (http.get<string[]>('noProxy') ?? []).join(',') || process.env.NO_PROXY || process.env.no_proxy || undefined;
  return { ...(proxyUrl ? { proxyUrl } : {}), ...(noProxy ? { noProxy } : {}) };
}
