import assert from 'node:assert/strict';

/** Client modules load at run time by path (see client-i18n.test.ts); the types name what these tests call. */
const load = (path: string): Promise<unknown> => import(new URL(`../../client/src/${path}`, import.meta.url).href);

interface ApiErrorLike {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}
interface Refusal {
  message: string;
  retry: 'auto' | 'manual' | 'none';
  retryInMs?: number;
  serverFault: boolean;
}

const { describeRefusal, serverBackoffMs, isServerFault, WAITING_RETRY_MS } = (await load('pages/join-refusal.ts')) as {
  describeRefusal(
    error: ApiErrorLike,
    timeZone: string,
    locale: string | undefined,
    failures?: number,
    now?: number,
  ): Refusal;
  serverBackoffMs(failures: number): number;
  isServerFault(error: Pick<ApiErrorLike, 'status' | 'code'>): boolean;
  WAITING_RETRY_MS: number;
};
const { en } = (await load('i18n/en/index.ts')) as { en: Record<string, string> };
const { es } = (await load('i18n/es/index.ts')) as { es: Record<string, string> };

const error = (status: number, code: string, details?: Record<string, unknown>): ApiErrorLike => ({
  status,
  code,
  message: `the server's own sentence for ${code}`,
  details,
});

describe('join refusals on the pre-join page', () => {
  const cases: Array<[string, ApiErrorLike, Pick<Refusal, 'retry' | 'serverFault'>, RegExp]> = [
    [
      'waiting for the teacher',
      error(409, 'ROOM_WAITING_FOR_INSTRUCTOR'),
      { retry: 'auto', serverFault: false },
      /lets you in by itself/,
    ],
    ['ended', error(409, 'ROOM_ENDED'), { retry: 'auto', serverFault: false }, /has ended/],
    ['locked', error(403, 'ROOM_LOCKED'), { retry: 'auto', serverFault: false }, /locked/],
    ['full', error(409, 'ROOM_FULL'), { retry: 'auto', serverFault: false }, /full/],
    [
      'in line for a seat',
      error(409, 'ROOM_FULL', { maxParticipants: 30, position: 3 }),
      { retry: 'auto', serverFault: false },
      /number 3 in line/,
    ],
    ['removed', error(403, 'ROOM_PARTICIPANT_REMOVED'), { retry: 'none', serverFault: false }, /removed you/],
    ['denied', error(403, 'ROOM_WAITING_DENIED'), { retry: 'none', serverFault: false }, /declined/],
    [
      'media server down',
      error(503, 'LIVEKIT_UNAVAILABLE'),
      { retry: 'auto', serverFault: true },
      /^The class server is not answering; we keep trying\.$/,
    ],
    [
      'media server refusing',
      error(502, 'LIVEKIT_REQUEST_FAILED'),
      { retry: 'auto', serverFault: true },
      /class server is not answering/,
    ],
    ['tool failing', error(500, 'INTERNAL'), { retry: 'auto', serverFault: true }, /class server is not answering/],
    ['rate limited', error(429, 'RATE_LIMITED'), { retry: 'auto', serverFault: true }, /class server is not answering/],
    ['no answer at all', error(0, 'NETWORK'), { retry: 'auto', serverFault: true }, /cannot be reached from here/],
    [
      'a code this client does not know',
      error(409, 'SOMETHING_NEW'),
      { retry: 'manual', serverFault: false },
      /own sentence for SOMETHING_NEW/,
    ],
  ];
  for (const [name, err, expected, message] of cases) {
    it(`${name} (${err.code})`, () => {
      const refusal = describeRefusal(err, 'UTC', 'en');
      assert.equal(refusal.retry, expected.retry);
      assert.equal(refusal.serverFault, expected.serverFault);
      assert.match(refusal.message, message);
      assert.doesNotMatch(refusal.message, /livekit|media server/i);
      assert.equal(refusal.retryInMs !== undefined, refusal.retry === 'auto', 'auto refusals say when');
    });
  }

  it('asks again soon while waiting for the teacher', () => {
    assert.equal(describeRefusal(error(409, 'ROOM_WAITING_FOR_INSTRUCTOR'), 'UTC', 'en').retryInMs, WAITING_RETRY_MS);
    assert.ok(WAITING_RETRY_MS <= 10_000);
  });

  it('backs off after server faults: 1, 2, 5, then every 10 s', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 50].map((n) => serverBackoffMs(n)),
      [1000, 2000, 5000, 10_000, 10_000, 10_000],
    );
    assert.equal(describeRefusal(error(503, 'LIVEKIT_UNAVAILABLE'), 'UTC', 'en', 3).retryInMs, 5000);
  });

  it('asks again just after a class opens, and within a day for one opening later', () => {
    const now = Date.parse('2030-05-01T11:00:00Z');
    const inAnHour = describeRefusal(
      error(409, 'ROOM_NOT_OPEN', { opensAt: '2030-05-01T12:00:00Z' }),
      'UTC',
      'en',
      1,
      now,
    );
    assert.equal(inAnHour.retry, 'auto');
    assert.equal(inAnHour.retryInMs, 3600_000 + 1000);
    const nextMonth = describeRefusal(
      error(409, 'ROOM_NOT_OPEN', { opensAt: '2030-06-01T12:00:00Z' }),
      'UTC',
      'en',
      1,
      now,
    );
    assert.equal(nextMonth.retryInMs, 24 * 3600_000);
  });

  it('server faults are not the user: a 4xx about the room is not one', () => {
    assert.equal(isServerFault({ status: 409, code: 'ROOM_ENDED' }), false);
    assert.equal(isServerFault({ status: 401, code: 'UNAUTHENTICATED' }), false);
    assert.equal(isServerFault({ status: 200, code: 'BAD_RESPONSE' }), true);
  });

  it('no message in either catalog names LiveKit', () => {
    for (const [name, catalog] of [
      ['en', en],
      ['es', es],
    ] as const) {
      const named = Object.entries(catalog).filter(([, text]) => /livekit/i.test(text));
      assert.deepEqual(named, [], `${name} catalog names LiveKit`);
    }
  });
});
