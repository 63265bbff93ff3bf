/**
 * Rate-limit headroom from a provider's answer: `X-RateLimit-Limit/-Remaining/-Reset` (Layerx402,
 * GitHub, SendGrid), OpenAI's `x-ratelimit-*-requests`, and the IETF fields of
 * draft-ietf-httpapi-ratelimit-headers in each of its forms. The server is not trusted: only clean
 * numbers count, every value is read to a bounded length, and nothing here throws.
 */
import type { ProviderDefinition } from './providers/types';

export interface RateLimit {
  /** Requests the window allows; absent when the answer does not say. */
  readonly limit?: number;
  readonly remaining: number;
  /** ISO time the window resets; absent when the answer does not say. */
  readonly resetAt?: string;
}

export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** At or below this share of its limit left (or with none left), a key is nearly out of requests. */
export const NEARLY_OUT_SHARE = 0.1;

/** What one family of headers says; `resetAt` in ms since the epoch. */
interface Headroom {
  readonly limit?: number;
  readonly remaining?: number;
  readonly resetAt?: number;
}

/** The headroom an answer reports, or undefined when it reports no clean remaining count. */
export function readRateLimit(headers: ResponseHeaders, now: number): RateLimit | undefined {
  const { limit, remaining, resetAt } = readHeadroom(headers, now);
  if (remaining === undefined) {
    return undefined;
  }
  return { ...(limit === undefined ? {} : { limit }), remaining, ...(resetAt === undefined ? {} : { resetAt: new Date(resetAt).toISOString() }) };
}

/** When the window resets (ms since the epoch), even where the answer gives no remaining count: a 429's wait. */
export function readResetTime(headers: ResponseHeaders, now: number): number | undefined {
  return readHeadroom(headers, now).resetAt;
}

/** Whether a key is out of requests, or has at most `NEARLY_OUT_SHARE` of its limit left. */
export function isNearlyOut({ limit, remaining }: RateLimit): boolean {
  return remaining === 0 || (limit !== undefined && remaining <= limit * NEARLY_OUT_SHARE);
}

/**
 * "87 of 100 requests left, resets 14:05", the time in `locale`'s format (the user's own by default),
 * with the date too when the reset is not today. Once the reset has passed, the count is the last check's.
 */
export function describeHeadroom(rateLimit: RateLimit, now: number, locale?: string): string {
  const { limit, remaining, resetAt } = rateLimit;
  const count =
    limit === undefined ? `${formatCount(remaining)} request${remaining === 1 ? '' : 's'}` : `${formatCount(remaining)} of ${formatCount(limit)} requests`;
  const reset = resetAt === undefined ? undefined : Date.parse(resetAt);
  if (reset === undefined || !Number.isFinite(reset)) {
    return `${count} left`;
  }
  const time = formatResetTime(reset, now, locale);
  return reset > now ? `${count} left, resets ${time}` : `${count} left at the last check; the limit has reset since (${time})`;
}

/** "Standard plan (100 requests a minute)": the plan the limit implies, from the provider's `rateLimit.plans`. */
export function describePlan(provider: ProviderDefinition, rateLimit: RateLimit): string | undefined {
  const plans = provider.rateLimit?.plans;
  const { limit } = rateLimit;
  if (!plans || limit === undefined) {
    return undefined;
  }
  const plan = plans.find((candidate) => candidate.limit === limit || candidate.burst === limit);
  if (plan) {
    return `${plan.name} plan (${formatCount(plan.limit)} requests ${plan.per})`;
  }
  const other = provider.rateLimit?.otherPlan;
  return other === undefined ? undefined : `${other} plan (a custom limit of ${formatCount(limit)} requests)`;
}

function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

function formatResetTime(reset: number, now: number, locale: string | undefined): string {
  const date = new Date(reset);
  const sameDay = date.toDateString() === new Date(now).toDateString();
  return date.toLocaleString(locale, { ...(sameDay ? {} : { month: 'short', day: 'numeric' }), hour: 'numeric', minute: '2-digit' });
}

/** Characters a header value may have: a clean number is short, and garbage must cost little. */
const MAX_VALUE_LENGTH = 256;
/** Characters a structured field may have, and the members read of it (a `RateLimit` list of policies). */
const MAX_FIELD_LENGTH = 1024;
const MAX_MEMBERS = 16;

/** The first family of headers that gives a remaining count, else the first that gives anything (a bare reset). */
function readHeadroom(headers: ResponseHeaders, now: number): Headroom {
  const families = [readIetfFields, readIetfHeaders, readXRateLimit, readOpenAiRequests].map((read) => read(headers, now));
  return families.find((family) => family.remaining !== undefined) ?? families.find((family) => Object.keys(family).length > 0) ?? {};
}

/** `RateLimit` with `RateLimit-Policy` (draft 08 on: `"default";r=50;t=30` and `"default";q=100;w=60`), or the dictionary of drafts 06 and 07. */
function readIetfFields(headers: ResponseHeaders, now: number): Headroom {
  const field = fieldValue(headers, 'ratelimit', MAX_FIELD_LENGTH);
  if (field === undefined) {
    return {};
  }
  const members = parseMembers(field);
  const keyed = (name: string) => members.find((member) => member.name === name && member.value !== undefined)?.value;
  if (keyed('remaining') !== undefined) {
    return headroom(integer(keyed('limit')), integer(keyed('remaining')), resetTime(decimal(keyed('reset')), now));
  }
  // Several policies: the one with the fewest requests left is the one that will refuse first.
  let tightest: { member: Member; remaining: number } | undefined;
  for (const member of members) {
    const remaining = integer(member.params.get('r'));
    if (remaining !== undefined && (tightest === undefined || remaining < tightest.remaining)) {
      tightest = { member, remaining };
    }
  }
  if (!tightest) {
    return {};
  }
  const policyField = fieldValue(headers, 'ratelimit-policy', MAX_FIELD_LENGTH);
  const policy = policyField === undefined ? undefined : parseMembers(policyField).find((member) => member.name === tightest.member.name);
  return headroom(integer(policy?.params.get('q')), tightest.remaining, resetTime(decimal(tightest.member.params.get('t')), now));
}

/** `RateLimit-Limit`, `-Remaining`, `-Reset` of drafts 00 to 05; Reset is seconds from now. */
function readIetfHeaders(headers: ResponseHeaders, now: number): Headroom {
  return readTriple(headers, now, 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset');
}

/** `X-RateLimit-*`: Reset is Unix seconds for Layerx402 and GitHub, seconds from now elsewhere; `resetTime` tells them apart. */
function readXRateLimit(headers: ResponseHeaders, now: number): Headroom {
  return readTriple(headers, now, 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset');
}

/** OpenAI's request counts; its reset is a duration such as `6m0s` or `12ms`. */
function readOpenAiRequests(headers: ResponseHeaders, now: number): Headroom {
  const limit = integer(leadingItem(fieldValue(headers, 'x-ratelimit-limit-requests')));
  const remaining = integer(leadingItem(fieldValue(headers, 'x-ratelimit-remaining-requests')));
  const duration = durationMs(fieldValue(headers, 'x-ratelimit-reset-requests'));
  return headroom(limit, remaining, duration === undefined ? undefined : now + duration);
}

function readTriple(headers: ResponseHeaders, now: number, limitName: string, remainingName: string, resetName: string): Headroom {
  return headroom(
    integer(leadingItem(fieldValue(headers, limitName))),
    integer(leadingItem(fieldValue(headers, remainingName))),
    resetTime(decimal(leadingItem(fieldValue(headers, resetName))), now),
  );
}

function headroom(limit: number | undefined, remaining: number | undefined, resetAt: number | undefined): Headroom {
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(resetAt === undefined ? {} : { resetAt }),
  };
}

/**
 * A reset in seconds, as an absolute time. Below 1e9 it is seconds from now (no window lasts 31 years);
 * up to 1e11 Unix seconds (2001 to the year 5138); from 1e12 to 1e14 Unix milliseconds; else not a time.
 */
function resetTime(seconds: number | undefined, now: number): number | undefined {
  if (seconds === undefined) {
    return undefined;
  }
  if (seconds < 1e9) {
    return now + seconds * 1000;
  }
  if (seconds < 1e11) {
    return seconds * 1000;
  }
  return seconds >= 1e12 && seconds < 1e14 ? seconds : undefined;
}

/**
 * A field's text, unless it is longer than `maxLength` (cutting it could turn `12345` into `12`). A
 * repeated field counts only when its copies agree: which of two different counts is true cannot be told.
 */
function fieldValue(headers: ResponseHeaders, name: string, maxLength = MAX_VALUE_LENGTH): string | undefined {
  const value = headers[name];
  const text: unknown = Array.isArray(value) ? (value.every((copy) => copy === value[0]) ? value[0] : undefined) : value;
  return typeof text === 'string' && text.length <= maxLength ? text : undefined;
}

/** The first item of a list value, without its parameters: `100` of `100, 100;w=60` (the older drafts' form). */
function leadingItem(value: string | undefined): string | undefined {
  return value?.split(/[,;]/, 1)[0]?.trim();
}

function integer(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

function decimal(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,15}(?:\.\d{1,9})?$/.test(text) ? Number(text) : undefined;
}

/** A Go-style duration (`1h2m3.5s`, `6m0s`, `12ms`) in milliseconds. */
function durationMs(text: string | undefined): number | undefined {
  const match = text === undefined ? null : /^\s*(?:(\d{1,6})h)?(?:(\d{1,6})m(?!s))?(?:(\d{1,9}(?:\.\d{1,9})?)s)?(?:(\d{1,9}(?:\.\d{1,9})?)ms)?\s*$/.exec(text);
  if (!match || match.slice(1).every((part) => part === undefined)) {
    return undefined;
  }
  const [hours = 0, minutes = 0, seconds = 0, ms = 0] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part)));
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
}

/** A member of a structured-field list or dictionary: `"default";r=50;t=30` or `remaining=50`. */
interface Member {
  readonly name: string;
  /** Set for a dictionary member (`remaining=50`). */
  readonly value?: string;
  readonly params: ReadonlyMap<string, string>;
}

/**
 * A lenient reading of an RFC 8941 list or dictionary: one pass over the (bounded) text, strings
 * unquoted, a member it does not understand skipped to the next comma.
 */
function parseMembers(text: string): Member[] {
  const members: Member[] = [];
  let at = 0;
  const skipSpaces = () => {
    while (text[at] === ' ' || text[at] === '\t') at++;
  };
  const readItem = (): string => {
    if (text[at] === '"') {
      let item = '';
      for (at++; at < text.length && text[at] !== '"'; at++) {
        if (text[at] === '\\') at++;
        item += text[at] ?? '';
      }
      at++;
      return item;
    }
    const start = at;
    while (at < text.length && !' \t;,="'.includes(text[at]!)) at++;
    return text.slice(start, at);
  };
  const readValue = (): string | undefined => {
    skipSpaces();
    if (text[at] !== '=') {
      return undefined;
    }
    at++;
    skipSpaces();
    const value = readItem();
    skipSpaces();
    return value;
  };
  while (at < text.length && members.length < MAX_MEMBERS) {
    skipSpaces();
    const name = readItem();
    const value = readValue();
    const params = new Map<string, string>();
    while (text[at] === ';') {
      at++;
      skipSpaces();
      const key = readItem();
      const paramValue = readValue() ?? '?1';
      if (!params.has(key)) params.set(key, paramValue);
    }
    while (at < text.length && text[at] !== ',') at++;
    at++;
    members.push({ name, ...(value === undefined ? {} : { value }), params });
  }
  return members;
}
