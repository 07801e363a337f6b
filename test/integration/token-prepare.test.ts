import assert from 'node:assert/strict';
import { LaunchedUser, useSfuFixture, waitUntil, type Grant } from '../support/room-client.js';

/**
 * The pre-join page's early grant against the real SFU and store: a token where Join would simply connect,
 * 204 (and nothing changed) wherever Join itself must decide.
 */
describe('early join grant: POST /api/room/token/prepare', function () {
  this.timeout(90_000);
  const fixture = useSfuFixture('early-learner');
  const { launch, newStudent, connect, connectWith } = fixture;
  const activity = (settings: Record<string, unknown> = {}) =>
    LaunchedUser.createActivity(fixture.env.tool.url, { title: 'Early grants', ...settings });
  const prepare = async (user: LaunchedUser): Promise<number | Grant> => {
    const res = await user.request('POST', '/room/token/prepare');
    if (res.status === 204) return 204;
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    return JSON.parse(text) as Grant;
  };
  const refusalCode = async (user: LaunchedUser) =>
    ((await (await user.request('POST', '/room/token')).json()) as { error?: { code: string } }).error?.code;

  it('answers 204 while nobody is in the class, then a grant the SFU accepts once someone is', async () => {
    const id = await activity();
    const student = await newStudent(id);
    assert.equal(await prepare(student), 204, 'an empty room: joining would open the session');
    await connect(await launch('instructor', id));
    const early = await prepare(student);
    assert.notEqual(early, 204);
    const grant = early as Grant;
    assert.equal(grant.identity, (await student.joinGrant()).identity, 'the same identity as a join');
    await connectWith(grant);
  });

  it('answers 204 without knocking, queueing or reopening where Join must decide', async () => {
    // Waiting room: no knock is recorded by the early ask.
    const waitingId = await activity({ waitingRoom: true });
    const teacher = await launch('instructor', waitingId);
    await connect(teacher);
    const knocker = await newStudent(waitingId);
    assert.equal(await prepare(knocker), 204);
    const status = await teacher.json<{ waiting: unknown[] }>('GET', '/room');
    assert.deepEqual(status.waiting, [], 'nobody knocked');

    // A full class: the early ask takes no place in line.
    const fullId = await activity({ maxParticipants: 2 });
    await connect(await launch('instructor', fullId));
    await connect(await newStudent(fullId));
    const [early, other] = [await newStudent(fullId), await newStudent(fullId)];
    assert.equal(await prepare(early), 204);
    const res = await other.request('POST', '/room/token');
    const body = (await res.json()) as { error?: { code: string; details?: { position?: number } } };
    assert.equal(body.error?.details?.position, 1, 'the early ask did not queue ahead of a real one');

    // An ended class: only the instructor's Join reopens it, never an early ask.
    const endedId = await activity();
    const lead = await launch('instructor', endedId);
    const { p } = await connect(lead);
    assert.equal((await lead.request('POST', '/room/end')).status, 204);
    await waitUntil(async () => p.disconnected, 10_000, 'the class ended');
    assert.equal(await prepare(lead), 204);
    assert.equal(await refusalCode(await newStudent(endedId)), 'ROOM_ENDED', 'still ended');
  });

  it('refuses a request without a launch token', async () => {
    const res = await fetch(`${fixture.env.tool.url}/api/room/token/prepare`, { method: 'POST' });
    assert.equal(res.status, 401);
  });
});
