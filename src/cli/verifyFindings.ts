/**
 * `scan --verify`: each distinct key found, whose rule has a provider to check against, checked once
 * with the check engine, a few at a time, pausing a provider that rate limits. Loaded only with
 * `--verify`, so a scan without it never loads the HTTP client.
 */
import { checkKey, CheckConfigurationError } from '../core/checkEngine';
import { forEachConcurrently } from '../core/concurrency';
import { resolveCheckTarget } from '../core/providers/checkTarget';
import type { ProviderDefinition } from '../core/providers/types';
import type { FileFinding } from '../core/scanner/report';
import type { Rule } from '../core/scanner/types';
import { customProviderClaim, notVerified, verifiableProviderFor, verificationOf, type Verification } from '../core/verification';
import { proxyFromEnvironment } from './options';
import { warn } from './scanCommand';

export interface VerifyOptions {
  /** The rules the findings came from. */
  readonly rules: readonly Rule[];
  /** Custom providers (from `--providers-file`); built-in ones need not be listed. */
  readonly providers: readonly ProviderDefinition[];
  /** `--param provider.name=value`, by provider id. */
  readonly params: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** `--base-url provider=url`, by provider id. */
  readonly baseUrls: ReadonlyMap<string, string>;
  readonly concurrency: number;
  /** Default: the engine's. */
  readonly timeoutMs?: number;
  /** The longest a provider's checks wait, in all, after it rate limited them; past it, the rest are not sent. */
  readonly maxRateLimitWaitMs: number;
}

/** When a 429 gives no Retry-After: the pause before that provider's next check. */
const DEFAULT_RATE_LIMIT_PAUSE_MS = 5_000;

/** The findings, each verifiable one with its verification; a finding is never dropped. */
export async function verifyFindings(findings: readonly FileFinding[], options: VerifyOptions): Promise<FileFinding[]> {
  for (const provider of options.providers) {
    const claim = customProviderClaim(provider);
    if (claim !== undefined) warn(`${claim}.`);
  }
  const keys = new Map<string, { provider: ProviderDefinition; secret: string; verification?: Verification }>();
  const keyOf = findings.map(({ finding }) => {
    const secret = finding.fingerprint.secretForCheck();
    const provider = verifiableProviderFor(finding.ruleId, secret, options.rules, options.providers);
    if (provider === undefined) return undefined;
    // One check per provider and key, however many files and rules found it.
    const id = `${provider.id}\0${secret}`;
    if (!keys.has(id)) keys.set(id, { provider, secret });
    return id;
  });
  const pauses = new Map<string, ProviderPause>();
  await forEachConcurrently([...keys.values()], options.concurrency, async (key) => {
    let pause = pauses.get(key.provider.id);
    if (!pause) pauses.set(key.provider.id, (pause = new ProviderPause(options.maxRateLimitWaitMs)));
    key.verification = await verifyKey(key.provider, key.secret, options, pause);
  });
  return findings.map((found, index) => {
    const id = keyOf[index];
    const verification = id === undefined ? undefined : keys.get(id)?.verification;
    return verification === undefined ? found : { ...found, verification };
  });
}

async function verifyKey(provider: ProviderDefinition, key: string, options: VerifyOptions, pause: ProviderPause): Promise<Verification> {
  const params = options.params.get(provider.id) ?? {};
  const baseUrl = options.baseUrls.get(provider.id);
  const target = resolveCheckTarget(provider, { params, ...(baseUrl === undefined ? {} : { baseUrl }) });
  if (!target.ok) {
    const parameters = provider.parameters.map((parameter) => `--param ${provider.id}.${parameter.name}=…`).join(' ');
    return notVerified(provider, `nothing was sent, because ${target.problem.replace(/\.$/, '')}${parameters === '' ? '' : ` (give ${parameters})`}.`);
  }
  if (!(await pause.waitTurn())) {
    return notVerified(
      provider,
      `rate limited, not checked: ${provider.displayName} rate limited this scan's checks for longer than ${options.maxRateLimitWaitMs / 1000} s in all, so this key was not sent.`,
    );
  }
  try {
    const result = await checkKey(
      { provider, key, params, ...(baseUrl === undefined ? {} : { baseUrl }) },
      { ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }), ...proxyFromEnvironment() },
    );
    if (result.outcome === 'rate-limited')
      pause.rateLimited(result.retryAfterSeconds === undefined ? DEFAULT_RATE_LIMIT_PAUSE_MS : result.retryAfterSeconds * 1000);
    return verificationOf(provider, result);
  } catch (error) {
    // The target was resolved above, so only the proxy settings can be at fault here.
    if (error instanceof CheckConfigurationError) return notVerified(provider, `nothing was sent, because ${error.message.replace(/\.$/, '')}.`);
    throw error;
  }
}

/**
 * One provider's rate limit as this scan met it: after a 429, its next checks wait until the time it
 * named, and once the pauses add up to more than `maxWaitMs`, none is sent at all, so a provider that
 * keeps refusing costs a bounded wait and never a storm of retries.
 */
class ProviderPause {
  private resumeAt = 0;
  private pausedMs = 0;

  constructor(private readonly maxWaitMs: number) {}

  /** Waits until the provider may be sent a check; false when it has rate limited this scan for too long. */
  async waitTurn(): Promise<boolean> {
    for (let wait = this.resumeAt - Date.now(); wait > 0; wait = this.resumeAt - Date.now()) {
      if (this.pausedMs > this.maxWaitMs) return false;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    return this.pausedMs <= this.maxWaitMs;
  }

  rateLimited(pauseMs: number): void {
    const now = Date.now();
    const resumeAt = now + pauseMs;
    if (resumeAt <= this.resumeAt) return;
    this.pausedMs += resumeAt - Math.max(now, this.resumeAt);
    this.resumeAt = resumeAt;
  }
}
