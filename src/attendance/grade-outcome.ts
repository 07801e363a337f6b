import type { LmsAnswer } from './lms-grades.js';

/**
 * What an LMS's answer to a score post means, as a pure function of status, body and headers, because
 * each LMS says the same thing its own way (table-tested in test/unit/grade-outcome.test.ts):
 *   - Moodle 400 "Incorrect score received": a user it cannot grade -> refused;
 *   - Moodle 409: the gradebook holds a newer grade -> applied;
 *   - Canvas 422: not in the course or not a student (its Test Student too) -> refused;
 *   - Canvas 400 about the timestamp: it holds a newer score -> applied;
 *   - Canvas 403 "Rate Limit Exceeded": throttled -> retry; any other 403 (scope) -> refused;
 *   - 401: the token was revoked or expired early -> retry once with a fresh token;
 *   - 404/410: the line item is gone -> refused;
 *   - 408, 429, 5xx and no answer at all -> retry, after Retry-After when given.
 */

export type PostOutcome =
  | { kind: 'posted' }
  | { kind: 'applied'; reason: string }
  | { kind: 'refused'; reason: string; status?: number }
  | { kind: 'retry'; reason: string; status?: number; afterMs?: number; freshToken?: true };

/** The teacher sees the LMS's own words with the status, never more than this. */
export const REASON_MAX_CHARS = 300;

export function classifyAnswer(answer: LmsAnswer, now: Date = new Date()): PostOutcome {
  if (answer.status === undefined) return { kind: 'retry', reason: reasonOf(answer) };
  const { status } = answer;
  if (status >= 200 && status < 300) return { kind: 'posted' };
  const reason = reasonOf(answer);
  const text = messageOf(answer.body).toLowerCase();
  const afterMs = retryAfterMs(answer.headers['retry-after'], now);
  const retry = { kind: 'retry' as const, reason, status, ...(afterMs !== undefined ? { afterMs } : {}) };
  if (answer.stage === 'token') {
    // The token endpoint refusing us (bad client, audience, scope) is a registration problem, not a moment's.
    return status === 408 || status === 429 || status >= 500 ? retry : { kind: 'refused', reason, status };
  }
  if (status === 401) return { ...retry, freshToken: true };
  if (status === 403 && /rate limit/.test(text)) return retry;
  if (status === 408 || status === 429 || status >= 500) return retry;
  if (status === 409) return { kind: 'applied', reason };
  if (status === 400 && /timestamp/.test(text)) return { kind: 'applied', reason };
  return { kind: 'refused', reason, status };
}

/** "HTTP 422: User not found in course or is not a student", or the transport failure, trimmed. */
export function reasonOf(answer: LmsAnswer): string {
  const prefix = answer.stage === 'token' ? 'access token: ' : '';
  if (answer.status === undefined) return trim(`${prefix}${answer.network}`);
  const message = messageOf(answer.body);
  return trim(`${prefix}HTTP ${answer.status}${message ? `: ${message}` : ''}`);
}

const trim = (s: string): string => (s.length > REASON_MAX_CHARS ? `${s.slice(0, REASON_MAX_CHARS - 1)}…` : s);

/**
 * The human part of an error body: Canvas `{errors: {message}}` or `{errors: [{message}]}`, OAuth
 * `{error, error_description}`, Moodle `{reason}` or plain text, anything else as text without markup.
 */
export function messageOf(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return oneLine(body.replace(/<[^>]*>/g, ' '));
  }
  const found = findMessage(parsed);
  return oneLine(found ?? (typeof parsed === 'string' ? parsed : body));
}

function findMessage(value: unknown, depth = 0): string | undefined {
  if (depth > 3 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return value.map((v) => findMessage(v, depth + 1)).find((m) => m !== undefined);
  const o = value as Record<string, unknown>;
  for (const key of ['error_description', 'message', 'reason', 'detail', 'title']) {
    if (typeof o[key] === 'string' && o[key]) return o[key];
  }
  const nested = findMessage(o.errors, depth + 1) ?? findMessage(o.error, depth + 1);
  if (nested) return nested;
  return typeof o.error === 'string' ? o.error : undefined;
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Retry-After as delay-seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/**
 * Delay before the next try after `failures` failed tries: the schedule's entry (the last one repeats),
 * at least what the LMS asked for in Retry-After, never more than `maxMs`.
 */
export function retryDelayMs(
  failures: number,
  schedule: readonly number[],
  lmsAskedMs?: number,
  maxMs = 6 * 60 * 60_000,
): number {
  const index = Math.min(Math.max(failures, 1), schedule.length) - 1;
  const planned = schedule.length === 0 ? 0 : (schedule[index] as number);
  return Math.min(Math.max(planned, lmsAskedMs ?? 0), maxMs);
}
