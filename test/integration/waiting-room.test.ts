import assert from 'node:assert/strict';
import { LaunchedUser, TestParticipant, waitUntil } from '../support/room-client.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

describe('waiting room: admission by push', function () {
  this.timeout(90_000);
  let env: TestEnvironment;
  const connected: TestParticipant[] = [];
  before(async () => {
    env = await useTestEnvironment();
  });
  after(async () => {
    await Promise.all(connected.map((p) => p.disconnect()));
  });

  it('queues participants, shows the queue to the instructor live, and pushes admit/deny to the waiting client', async () => {
    const activity = await LaunchedUser.createActivity(env.tool.url, { title: 'Office hours', waitingRoom: true });
    const teacher = await LaunchedUser.launch(env.tool.url, 'instructor', activity);
    const instructor = await TestParticipant.connect(await teacher.joinGrant());
    connected.push(instructor);

    // The student is not let in: the refusal carries a token for the silent lobby instead.
    const student = await LaunchedUser.launch(env.tool.url, 'student', activity);
    const refused = await student.request('POST', '/room/token');
    assert.equal(refused.status, 409);
    const body = (await refused.json()) as any;
    assert.equal(body.error.code, 'ROOM_IN_WAITING_ROOM');
    const lobby = body.error.details.lobby;
    assert.match(lobby.room, /-lobby$/);
    const waiting = await TestParticipant.connect(lobby);
    connected.push(waiting);
    await assert.rejects(waiting.publishMicrophone(), 'nothing can be published from the lobby');

    // The instructor sees the queue pushed over the SFU, and through the API.
    const studentIdentity = waiting.room.localParticipant?.identity as string;
    await waitUntil(
      () =>
        instructor.data.some((d) => d.topic === 'waiting-room' && JSON.stringify(d.payload).includes(studentIdentity)),
      10_000,
      'queue pushed to the instructor',
    );
    const state = await teacher.json('GET', '/room');
    assert.deepEqual(
      state.waiting.map((w: any) => w.identity),
      [studentIdentity],
    );
    // Participants never see the queue.
    assert.equal((await student.json('GET', '/room')).waiting, undefined);

    // Admission reaches the waiting client by push, and its next token request succeeds.
    await teacher.json('POST', `/room/waiting/${studentIdentity}/admit`, undefined, 204);
    await waitUntil(
      () => waiting.data.some((d) => (d.payload as any)?.type === 'admitted'),
      10_000,
      'admission pushed',
    );
    const grant = await student.joinGrant();
    assert.equal(grant.identity, studentIdentity);

    // A page refresh is a new launch: the admission is stored, not held in memory.
    const again = await LaunchedUser.launch(env.tool.url, 'student', activity);
    assert.equal((await again.joinGrant()).identity, studentIdentity);

    // Deny: the observer waits too, is refused by push, then by the API.
    const parent = await LaunchedUser.launch(env.tool.url, 'observer', activity);
    const parentLobby = ((await (await parent.request('POST', '/room/token')).json()) as any).error.details.lobby;
    const parentClient = await TestParticipant.connect(parentLobby);
    connected.push(parentClient);
    const parentIdentity = parentClient.room.localParticipant?.identity as string;
    await teacher.json('POST', `/room/waiting/${parentIdentity}/deny`, undefined, 204);
    await waitUntil(
      () => parentClient.data.some((d) => (d.payload as any)?.type === 'denied'),
      10_000,
      'denial pushed',
    );
    const denied = await parent.request('POST', '/room/token');
    assert.equal(denied.status, 403);
    assert.equal(((await denied.json()) as any).error.code, 'ROOM_WAITING_DENIED');
  });

  it('keeps students who queued before the teacher arrived when the teacher starts the session', async () => {
    const activity = await LaunchedUser.createActivity(env.tool.url, { title: 'Early birds', waitingRoom: true });
    const early = await LaunchedUser.launch(env.tool.url, 'student', activity);
    const refused = await early.request('POST', '/room/token');
    assert.equal(refused.status, 409);
    const lobby = ((await refused.json()) as any).error.details.lobby;
    const waiting = await TestParticipant.connect(lobby);
    connected.push(waiting);
    const identity = waiting.room.localParticipant?.identity as string;

    // The teacher's join starts the LiveKit room, hence a new session: the queue must survive it.
    const teacher = await LaunchedUser.launch(env.tool.url, 'instructor', activity);
    const instructor = await TestParticipant.connect(await teacher.joinGrant());
    connected.push(instructor);
    await waitUntil(async () => (await teacher.json('GET', '/room')).state === 'live', 10_000, 'session started');
    const state = await teacher.json('GET', '/room');
    assert.deepEqual(
      state.waiting.map((w: any) => w.identity),
      [identity],
    );
    await teacher.json('POST', `/room/waiting/${identity}/admit`, undefined, 204);
    await waitUntil(
      () => waiting.data.some((d) => (d.payload as any)?.type === 'admitted'),
      10_000,
      'admission pushed',
    );
  });
});
