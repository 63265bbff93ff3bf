/**
 * The non-secret metadata of a stored key and what state it is in. The secret itself lives only in
 * the editor's secret storage; nothing here holds any part of it.
 */
import { planName, type CheckOutcome, type CheckResult } from './checkOutcome';
import type { RateLimit } from './rateLimit';

export const ENVIRONMENTS = ['production', 'staging', 'development'] as const;

export interface LastCheck {
  readonly outcome: CheckOutcome;
  readonly message: string;
  readonly httpStatus?: number;
  readonly latencyMs: number;
  readonly retryAfterSeconds?: number;
  /** The headroom the provider reported. */
  readonly rateLimit?: RateLimit;
  /** The plan the answer named (Layerx402's WebSocket reply), cleaned by `planName`; absent in records of older versions. */
  readonly plan?: string;
  /** ISO time of the check. */
  readonly at: string;
}

export interface KeyRecord {
  readonly id: string;
  readonly providerId: string;
  /** The name the provider's dashboard shows, e.g. `prod-order-bot`. */
  readonly name: string;
  readonly environment: string;
  /** Who or what uses the key (a person, a team, an integration). */
  readonly owner?: string;
  readonly createdAt: string;
  /** ISO dates (YYYY-MM-DD). */
  readonly expiresOn?: string;
  readonly rotateBy?: string;
  readonly baseUrl?: string;
  readonly params: Readonly<Record<string, string>>;
  /** One of the provider's `alternativeChecks`; absent for its default check. */
  readonly checkId?: string;
  readonly lastCheck?: LastCheck;
  /** Opt-in: the variable new integrated terminals get the key in. */
  readonly terminalVariable?: string;
  /** Set on the old key after a rotation, until the user confirms it is revoked at the provider. */
  readonly replacedBy?: string;
}

export type KeyStatus =
  'working' | 'failing' | 'not-checkable' | 'rate-limited' | 'unchecked' | 'expiring' | 'expired' | 'to-revoke' | 'missing-secret' | 'storage-unreadable';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days from `now` until the end of the given date (negative once it has passed). */
export function daysUntil(isoDate: string, now: Date): number {
  const end = Date.parse(`${isoDate}T23:59:59.999Z`);
  return Math.floor((end - now.getTime()) / DAY_MS);
}

/**
 * What the caller found outside the record: what reading the secret gave (`unreadable`: the storage
 * itself failed, a locked keyring, so whether the secret is there is unknown), and whether the provider is defined.
 */
export interface KeySurroundings {
  readonly secret?: 'stored' | 'missing' | 'unreadable';
  readonly providerDefined?: boolean;
}

/** The one status a tree row shows: the most urgent thing the user should know. */
export function keyStatus(record: KeyRecord, now: Date, reminderDays: number, { secret = 'stored', providerDefined = true }: KeySurroundings = {}): KeyStatus {
  if (secret === 'unreadable') {
    return 'storage-unreadable';
  }
  if (secret === 'missing') {
    return 'missing-secret';
  }
  if (record.replacedBy) {
    return 'to-revoke';
  }
  if (record.expiresOn && daysUntil(record.expiresOn, now) < 0) {
    return 'expired';
  }
  // Without its provider's definition nothing can be sent, whatever the last check said.
  if (!providerDefined) {
    return 'not-checkable';
  }
  const check = record.lastCheck;
  if (check?.outcome === 'rate-limited' && isStillResting(check, now)) {
    return 'rate-limited';
  }
  if (check?.outcome === 'not-checkable') {
    return 'not-checkable';
  }
  if (check && check.outcome !== 'ok' && check.outcome !== 'rate-limited') {
    return 'failing';
  }
  if (isDue(record, now, reminderDays)) {
    return 'expiring';
  }
  return check?.outcome === 'ok' ? 'working' : 'unchecked';
}

/** Whether the key expires, or is due for rotation, within `reminderDays` (or already is). */
export function isDue(record: KeyRecord, now: Date, reminderDays: number): boolean {
  return [record.expiresOn, record.rotateBy].some((date) => date !== undefined && daysUntil(date, now) <= reminderDays);
}

/** Seconds left before a rate-limited key may be checked again, or 0. */
export function secondsUntilRetry(check: LastCheck, now: Date): number {
  if (check.retryAfterSeconds === undefined) {
    return 0;
  }
  const until = Date.parse(check.at) + check.retryAfterSeconds * 1000;
  return Math.max(0, Math.ceil((until - now.getTime()) / 1000));
}

function isStillResting(check: LastCheck, now: Date): boolean {
  return check.retryAfterSeconds === undefined || secondsUntilRetry(check, now) > 0;
}

export function toLastCheck(result: CheckResult, at: Date): LastCheck {
  const plan = planName(result.plan);
  return {
    outcome: result.outcome,
    message: result.message,
    latencyMs: Math.round(result.latencyMs),
    at: at.toISOString(),
    ...(result.httpStatus === undefined ? {} : { httpStatus: result.httpStatus }),
    ...(result.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: result.retryAfterSeconds }),
    ...(result.rateLimit === undefined ? {} : { rateLimit: result.rateLimit }),
    ...(plan === undefined ? {} : { plan }),
  };
}

/** A plain ISO date (YYYY-MM-DD) that exists, or a reason it is not one. */
export function findDateProblem(text: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return 'Enter a date as YYYY-MM-DD, e.g. 2027-01-31.';
  }
  const date = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text ? `${text} is not a date in the calendar.` : undefined;
}

/** A name usable as an environment variable in every shell: letters, digits, underscores, not starting with a digit. */
export function findVariableNameProblem(name: string): string | undefined {
  return /^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name) ? undefined : 'Use letters, digits and underscores, not starting with a digit (e.g. UPPZY_API_KEY).';
}

/** "in 3 days", "today", "2 days ago". */
export function describeDaysUntil(isoDate: string, now: Date): string {
  const days = daysUntil(isoDate, now);
  const plural = (count: number) => `${count} day${count === 1 ? '' : 's'}`;
  return days < 0 ? `${plural(-days)} ago` : days === 0 ? 'today' : `in ${plural(days)}`;
}
