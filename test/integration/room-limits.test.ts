import assert from 'node:assert/strict';
import { launchThroughDemo, LtiBrowser, openFirstClassAsTeacher } from '../support/lti-launch.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

describe('room requests: a bounded rate per launch session', function () {
  this.timeout(60_000);
  let env: TestEnvironment;

  before(async () => {
    env = await useTestEnvironment({ ROOM_REQUEST_RATE_LIMIT: '3' });
    await openFirstClassAsTeacher(env.tool.url);
  });

  async function studentToken(user: string): Promise<string> {
    const result = await launchThroughDemo(new LtiBrowser(env.tool.url), { role: 'student', user });
    assert.equal(result.status, 303, result.body.slice(0, 400));
    return result.token as string;
  }
  const hand = (token: string) =>
    fetch(`${env.tool.url}/api/room/hand`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ raised: true }),
    });

  it('refuses a session past the limit with 429 RATE_LIMITED, and no other session of the same address', async () => {
    const [looping, classmate] = [await studentToken('student-1'), await studentToken('student-2')];
    for (let i = 0; i < 3; i++) assert.notEqual((await hand(looping)).status, 429);
    const refused = await hand(looping);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'RATE_LIMITED');
    // Everyone in a class behind one school address keeps their own allowance.
    assert.notEqual((await hand(classmate)).status, 429);
    // Reading the room's status is not counted.
    const status = await fetch(`${env.tool.url}/api/room`, { headers: { authorization: `Bearer ${looping}` } });
    assert.equal(status.status, 200);
  });
});
