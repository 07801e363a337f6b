import assert from 'node:assert/strict';
import { LaunchedUser, useSfuFixture, waitUntil } from '../support/room-client.js';
import { startToolProcess, type ToolProcess } from '../support/tool-process.js';

/**
 * The line for a full class against the real SFU and store, through two tool processes: seats that free
 * up go to the line in order, whichever process a student's page asks.
 */
describe('waitlist: a full class admits the next student in line as a seat frees', function () {
  this.timeout(90_000);
  const fixture = useSfuFixture('line-learner');
  const { launch, newStudent, connect, onSfu } = fixture;
  let second: ToolProcess | undefined;

  before(async () => {
    second = await startToolProcess(fixture.env);
  });
  after(async () => {
    await second?.stop();
  });

  /** The same launch, asking through the second tool process. */
  const viaSecond = (user: LaunchedUser) => new LaunchedUser((second as ToolProcess).url, user.token);
  /** "granted", or the place in line the refusal names. */
  const ask = async (user: LaunchedUser): Promise<number | 'granted'> => {
    const res = await user.request('POST', '/room/token');
    const body = (await res.json()) as { error?: { code: string; details?: { position?: number } } };
    if (res.status === 200) return 'granted';
    assert.equal(res.status, 409, JSON.stringify(body));
    assert.equal(body.error?.code, 'ROOM_FULL');
    assert.equal(typeof body.error?.details?.position, 'number');
    return body.error?.details?.position as number;
  };

  it('queues in arrival order, gives a freed seat to the first in line only, and holds it while they connect', async () => {
    const id = await LaunchedUser.createActivity(fixture.env.tool.url, { title: 'Full class', maxParticipants: 2 });
    const teacher = await launch('instructor', id);
    await connect(teacher);
    const seated = await connect(await newStudent(id));
    const [first, next, late] = [await newStudent(id), await newStudent(id), await newStudent(id)];

    assert.equal(await ask(first), 1);
    assert.equal(await ask(viaSecond(next)), 2);
    assert.equal(await ask(first), 1, 'asking again keeps the place');
    assert.ok((await teacher.joinGrant()).token, 'instructors are never queued');

    await seated.p.disconnect();
    await waitUntil(async () => !(await onSfu(seated.grant)), 10_000, 'the seated student gone');
    // Both pages ask at once, through different processes, a few times over: only the first gets the seat.
    const answers = await Promise.all([ask(viaSecond(next)), ask(first), ask(next), ask(viaSecond(first))]);
    assert.deepEqual(
      answers.map((a) => a === 'granted'),
      [false, true, false, true],
      // The place `next` hears is 2 or 1, as first's seat is taken before or after it asked.
      JSON.stringify(answers),
    );
    assert.equal(await ask(late), 2, 'a newcomer queues behind the line though a seat is being taken');

    await connect(first);
    assert.equal(await ask(viaSecond(next)), 1, 'the seat is taken: still first in line');
    assert.equal(await ask(late), 2);
  });
});
