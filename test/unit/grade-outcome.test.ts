import assert from 'node:assert/strict';
import { classifyAnswer, messageOf, retryAfterMs, retryDelayMs } from '../../src/attendance/grade-outcome.js';
import type { LmsAnswer } from '../../src/attendance/lms-grades.js';

const answer = (status: number, body: unknown = '', headers: Record<string, string> = {}): LmsAnswer => ({
  stage: 'service',
  status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  headers,
});
const now = new Date('2026-12-02T10:00:00Z');

describe('what an LMS answer to a score means', () => {
  const cases: Array<[string, LmsAnswer, string, RegExp?]> = [
    ['200', answer(200, { resultUrl: 'x' }), 'posted'],
    ['204', answer(204), 'posted'],
    [
      'Moodle 400 Incorrect score received',
      answer(400, { status: 400, reason: 'Incorrect score received' }),
      'refused',
      /^HTTP 400: Incorrect score received$/,
    ],
    ['Moodle 409 newer grade', answer(409, 'Grade is newer'), 'applied'],
    [
      'Canvas 422 not a student',
      answer(422, {
        errors: { type: 'unprocessable_entity', message: 'User not found in course or is not a student' },
      }),
      'refused',
      /not a student/,
    ],
    [
      'Canvas 400 stale timestamp',
      answer(400, { errors: [{ message: 'Score timestamp not after previous timestamp' }] }),
      'applied',
    ],
    ['Canvas 403 throttled', answer(403, { errors: [{ message: 'Rate Limit Exceeded' }] }), 'retry'],
    ['403 missing scope', answer(403, { error: 'insufficient_scope' }), 'refused', /insufficient_scope/],
    ['401 revoked token', answer(401), 'retry'],
    ['404 line item gone', answer(404, 'Not Found'), 'refused'],
    ['429', answer(429, '', { 'retry-after': '7' }), 'retry'],
    ['500', answer(500, '<html><body>Oops</body></html>'), 'retry', /^HTTP 500: Oops$/],
    ['503', answer(503), 'retry'],
    ['no answer', { stage: 'service', network: 'the host could not be reached' }, 'retry', /could not be reached/],
    [
      'token endpoint 400 (bad audience)',
      { ...answer(400, { error: 'invalid_client' }), stage: 'token' },
      'refused',
      /^access token: HTTP 400: invalid_client$/,
    ],
    ['token endpoint 503', { ...answer(503), stage: 'token' }, 'retry'],
  ];
  for (const [name, given, kind, reason] of cases) {
    it(`${name} -> ${kind}`, () => {
      const outcome = classifyAnswer(given, now);
      assert.equal(outcome.kind, kind);
      if (reason) assert.match('reason' in outcome ? outcome.reason : '', reason);
    });
  }

  it('asks for a fresh token on 401 and honours Retry-After', () => {
    const unauthorized = classifyAnswer(answer(401), now);
    assert.equal(unauthorized.kind === 'retry' && unauthorized.freshToken, true);
    const throttled = classifyAnswer(answer(429, '', { 'retry-after': '7' }), now);
    assert.equal(throttled.kind === 'retry' && throttled.afterMs, 7000);
  });

  it('trims long bodies and reads the usual error shapes', () => {
    const long = classifyAnswer(answer(422, 'x'.repeat(5000)), now);
    assert.ok(long.kind === 'refused' && long.reason.length <= 300);
    assert.equal(messageOf(JSON.stringify({ error: 'invalid_grant', error_description: 'jti used' })), 'jti used');
    assert.equal(messageOf('  plain\n text '), 'plain text');
  });

  it('backs off by the schedule, at least as long as the LMS asked, at most the cap', () => {
    const schedule = [5_000, 30_000, 120_000];
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => retryDelayMs(n, schedule)),
      [5_000, 30_000, 120_000, 120_000],
    );
    assert.equal(retryDelayMs(1, schedule, 60_000), 60_000);
    assert.equal(retryDelayMs(1, schedule, 10 * 60 * 60_000), 6 * 60 * 60_000);
    assert.equal(retryAfterMs('Wed, 02 Dec 2026 10:00:30 GMT', now), 30_000);
    assert.equal(retryAfterMs('soon', now), undefined);
  });
});
