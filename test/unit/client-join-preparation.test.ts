import assert from 'node:assert/strict';

/** Client modules load at run time by path (see client-i18n.test.ts); the types name what these tests call. */
const load = (path: string): Promise<unknown> => import(new URL(`../../client/src/${path}`, import.meta.url).href);

interface Grant {
  url: string;
  token: string;
  identity: string;
  expiresAt: string;
  room: string;
}
interface Preparation {
  FRESH_FOR_MS: number;
  usableGrant(prepared: { grant: Grant; at: number } | undefined, now: number): Grant | undefined;
}

describe('client: the pre-join page early join grant', () => {
  let m: Preparation;
  before(async () => {
    m = (await load('pages/pre-join/join-preparation.ts')) as Preparation;
  });

  const at = Date.parse('2026-12-02T16:00:00Z');
  const grant = (ttlMs: number): Grant => ({
    url: 'ws://127.0.0.1:7880',
    token: 't',
    identity: 'i',
    room: 'r',
    expiresAt: new Date(at + ttlMs).toISOString(),
  });

  it('is used on Join only while fresh and with enough of its token left', () => {
    const cases: Array<[string, { grant: Grant; at: number } | undefined, number, boolean]> = [
      ['none prepared', undefined, at, false],
      ['just arrived', { grant: grant(600_000), at }, at + 10, true],
      ['29 s old', { grant: grant(600_000), at }, at + 29_000, true],
      ['older than FRESH_FOR_MS: Join asks the server again', { grant: grant(600_000), at }, at + 30_001, false],
      ['from the future (the clock went back)', { grant: grant(600_000), at }, at - 1, false],
      ['a token about to expire', { grant: grant(100_000), at }, at + 1_000, false],
      ['an unreadable expiry', { grant: { ...grant(600_000), expiresAt: 'soon' }, at }, at + 1_000, false],
    ];
    for (const [name, prepared, now, usable] of cases) {
      assert.equal(m.usableGrant(prepared, now) !== undefined, usable, name);
    }
    assert.equal(m.FRESH_FOR_MS, 30_000);
  });
});
