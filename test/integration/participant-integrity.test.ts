import assert from 'node:assert/strict';
import { mayAct, type DataSender } from '../../client/src/room/data-policy.js';
import {
  LaunchedUser,
  useSfuFixture,
  videoGrant,
  waitUntil,
  type Grant,
  type TestParticipant,
} from '../support/room-client.js';

/** Resolves whatever the SDK does with a refused request (reject, or no answer at all) after at most `ms`. */
const attempt = (what: Promise<unknown>, ms = 3_000): Promise<void> =>
  Promise.race([
    what.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((r) => setTimeout(r, ms)),
  ]);

describe('participant integrity: names, metadata, attributes and data senders come from the tool', function () {
  this.timeout(90_000);
  const fixture = useSfuFixture('integrity-learner');
  const { launch, connect, sfu } = fixture;
  const activity = (settings: Record<string, unknown> = {}) =>
    LaunchedUser.createActivity(fixture.env.tool.url, { title: 'Integrity', ...settings });

  /** A LiveKit RoomService call (twirp, JSON) authorized by a participant's own join token. */
  const twirp = (grant: Grant, method: string, body: Record<string, unknown>) =>
    fetch(`${grant.url.replace(/^ws/, 'http')}/twirp/livekit.RoomService/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${grant.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('a student cannot rename itself or change its metadata or attributes on the SFU', async () => {
    const id = await activity();
    const teacher = await connect(await launch('instructor', id));
    const { p, grant } = await connect(await launch('student', id));
    const before = await sfu(grant);
    assert.notEqual(before.name, '');
    assert.equal(videoGrant(grant.token).canUpdateOwnMetadata, false, 'the token does not allow it');
    await waitUntil(
      () => teacher.p.room.remoteParticipants.has(grant.identity),
      10_000,
      'the teacher sees the student',
    );

    const local = p.room.localParticipant!;
    await attempt(local.updateName('Ada Lovelace'));
    await attempt(local.updateMetadata(JSON.stringify({ role: 'instructor', handRaised: true })));
    await attempt(local.setAttributes({ role: 'instructor', hand: new Date().toISOString() }));
    // Give an accepted change time to reach the SFU's participant list and the other participants.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const after = await sfu(grant);
    assert.equal(after.name, before.name, 'the name is the launch name');
    assert.equal(after.metadata, before.metadata);
    assert.deepEqual(after.attributes, before.attributes);
    assert.equal(after.attributes.role, 'participant');
    assert.equal(teacher.p.room.remoteParticipants.get(grant.identity)?.name, before.name, 'what the teacher sees');
  });

  it("an instructor's join token is no RoomService credential: no renaming others, no server-like data", async () => {
    const id = await activity();
    const teacher = await connect(await launch('instructor', id));
    const student = await connect(await launch('student', id));
    assert.equal(videoGrant(teacher.grant.token).roomAdmin, false);
    const name = (await sfu(student.grant)).name;

    const rename = await twirp(teacher.grant, 'UpdateParticipant', {
      room: student.grant.room,
      identity: student.grant.identity,
      name: 'Ada Lovelace',
      attributes: { role: 'instructor' },
    });
    assert.ok([401, 403].includes(rename.status), `UpdateParticipant answered ${rename.status}`);
    const send = await twirp(teacher.grant, 'SendData', {
      room: student.grant.room,
      data: Buffer.from(JSON.stringify({ type: 'admitted' })).toString('base64'),
      kind: 'RELIABLE',
      topic: 'waiting-room',
    });
    assert.ok([401, 403].includes(send.status), `SendData answered ${send.status}`);
    assert.equal((await sfu(student.grant)).name, name);
    assert.equal((await sfu(student.grant)).attributes.role, 'participant');
  });

  it('raises and lowers a hand through the tool (POST /api/room/hand); the teacher lowers it too', async () => {
    const id = await activity();
    const teacherUser = await launch('instructor', id);
    await connect(teacherUser);
    const studentUser = await launch('student', id);
    const { grant } = await connect(studentUser);
    const hand = async () => (await sfu(grant)).attributes.hand ?? '';

    const raised = await studentUser.request('POST', '/room/hand', { raised: true });
    assert.equal(raised.status, 204, await raised.text());
    await waitUntil(async () => !Number.isNaN(Date.parse(await hand())), 10_000, 'the raised hand on the SFU');
    assert.ok(Math.abs(Date.parse(await hand()) - Date.now()) < 60_000, 'raised at the tool clock');

    assert.equal((await teacherUser.request('POST', `/room/participants/${grant.identity}/lower-hand`)).status, 204);
    await waitUntil(async () => (await hand()) === '', 10_000, 'the hand lowered by the teacher');
    await studentUser.json('POST', '/room/hand', { raised: true }, 204);
    await waitUntil(async () => (await hand()) !== '', 10_000, 'raised again');
    await studentUser.json('POST', '/room/hand', { raised: false }, 204);
    await waitUntil(async () => (await hand()) === '', 10_000, 'lowered by the student');
    assert.equal((await sfu(grant)).attributes.role, 'participant', 'the role attribute is untouched');

    const code = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];
    for (const body of [undefined, {}, { raised: 'yes' }, { raised: true, extra: 1 }]) {
      assert.deepEqual(await code(await studentUser.request('POST', '/room/hand', body)), [400, 'VALIDATION_FAILED']);
    }
    const observer = await launch('observer', id);
    await connect(observer);
    assert.deepEqual(await code(await observer.request('POST', '/room/hand', { raised: true })), [403, 'FORBIDDEN']);
    const absent = await launch('student', id, `integrity-absent-${process.pid}`);
    assert.deepEqual(await code(await absent.request('POST', '/room/hand', { raised: true })), [
      409,
      'ROOM_NOT_JOINED',
    ]);
  });

  it('the SFU names the sender of participant data and none for the tool: only the tool passes for waiting-room', async () => {
    const id = await activity({ waitingRoom: true });
    const teacherUser = await launch('instructor', id);
    const teacher = await connect(teacherUser);
    const studentUser = await launch('student', id);
    assert.equal((await studentUser.request('POST', '/room/token')).status, 409, 'the student waits first');
    const [queued] = (await teacherUser.json('GET', '/room')).waiting as Array<{ identity: string }>;
    await teacherUser.json('POST', `/room/waiting/${queued?.identity}/admit`, undefined, 204);
    const student = await connect(studentUser);
    // rtc-node reports a sender it does not know yet as none (the browser SDK passes the stamped identity).
    await waitUntil(() => teacher.p.room.remoteParticipants.has(student.grant.identity), 10_000, 'student known');

    const forged = { type: 'queue', queue: [{ identity: 'u-000000000000000000000000', name: 'Fake', role: 'x' }] };
    await student.p.room.localParticipant!.publishData(new TextEncoder().encode(JSON.stringify(forged)), {
      reliable: true,
      topic: 'waiting-room',
    });
    // A real arrival in the waiting room: the tool pushes the queue to the instructors.
    const late = await fixture.newStudent(id);
    assert.equal((await late.request('POST', '/room/token')).status, 409);

    const queues = (p: TestParticipant) => p.data.filter((d) => d.topic === 'waiting-room');
    const isForged = (d: { payload: unknown }) => JSON.stringify(d.payload) === JSON.stringify(forged);
    await waitUntil(
      () => queues(teacher.p).some(isForged) && queues(teacher.p).some((d) => !isForged(d)),
      10_000,
      'the forged and a real queue',
    );
    const sender = (from: string | undefined): DataSender => ({
      identity: from,
      role: from ? 'participant' : undefined,
    });
    const acted = queues(teacher.p).filter((d) => mayAct(d.topic, sender(d.from)));
    assert.ok(acted.length >= 1, 'the real queue is acted on');
    assert.ok(
      acted.every((d) => d.from === undefined && !isForged(d)),
      JSON.stringify(queues(teacher.p)),
    );
    assert.equal(queues(teacher.p).find(isForged)?.from, student.grant.identity, 'the SFU stamps the real sender');
  });
});
