import assert from 'node:assert/strict';
import mongoose, { type Connection } from 'mongoose';
import { createAuditStore } from '../../src/db/audit-store.js';
import { createRoomStore } from '../../src/db/room-store.js';
import type { LiveKitGateway, ParticipantInfo } from '../../src/livekit/gateway.js';
import type { AuditStore } from '../../src/rooms/audit-store.js';
import type { RoomStore } from '../../src/rooms/room-store.js';
import { TestParticipant, waitUntil } from './participant.js';
import { LaunchedUser, type DemoRole } from './room-client.js';
import { testGateway, useTestEnvironment, type TestEnvironment } from './test-tool.js';

/** What a user's POST /room/token returns: the room, the identity and a join token for the SFU. */
export type Grant = Awaited<ReturnType<LaunchedUser['joinGrant']>>;

/**
 * The usual suite against the real SFU: registers hooks that start the stack, open the room store on its own
 * connection and disconnect every participant after each test, and connects demo LMS users to LiveKit,
 * waiting until the SFU lists them. Students from `newStudent` are distinct learners named `studentPrefix-…`.
 */
export function useSfuFixture(studentPrefix: string) {
  let env: TestEnvironment | undefined;
  let gateway: LiveKitGateway | undefined;
  let connection: Connection | undefined;
  let store: RoomStore | undefined;
  let audit: AuditStore | undefined;
  const connected: TestParticipant[] = [];
  let users = 0;

  before(async () => {
    env = await useTestEnvironment();
    gateway = testGateway(env);
    connection = await mongoose.createConnection(env.stack.mongoUri, { autoIndex: false }).asPromise();
    store = createRoomStore(connection);
    audit = createAuditStore(connection);
  });
  afterEach(async () => {
    await Promise.all(connected.splice(0).map((p) => p.disconnect()));
  });
  // No rtc-node dispose() here: it tears down the native client for every later test file in this process.
  after(async () => {
    await connection?.close();
  });

  const started = (): [TestEnvironment, LiveKitGateway, RoomStore] => {
    if (!env || !gateway || !store) throw new Error('useSfuFixture: the suite has not started');
    return [env, gateway, store];
  };

  const launch = (role: DemoRole, id: string, user?: string) =>
    LaunchedUser.launch(started()[0].tool.url, role, id, user);
  /** A distinct demo learner (the demo makes up unknown user ids). */
  const newStudent = (id: string) => launch('student', id, `${studentPrefix}-${process.pid}-${++users}`);

  /** The participant as the SFU lists it, or undefined while it is not (yet, or any more) in the room. */
  const onSfu = async (grant: Grant): Promise<ParticipantInfo | undefined> => {
    const [, liveKit] = started();
    return (await liveKit.listParticipants(grant.room).catch(() => [])).find((p) => p.identity === grant.identity);
  };
  /** The same, asserting that the participant is there. */
  const sfu = async (grant: Grant): Promise<ParticipantInfo> => {
    const p = await onSfu(grant);
    assert.ok(p, `${grant.identity} is connected`);
    return p;
  };
  /** Connects with `grant` (disconnected after the test) and waits until the SFU lists the participant. */
  const connectWith = async (grant: Grant): Promise<TestParticipant> => {
    const p = await TestParticipant.connect(grant);
    connected.push(p);
    await waitUntil(async () => !!(await onSfu(grant)), 10_000, `${grant.identity} on the SFU`);
    return p;
  };
  /** Connects `user` with a fresh join grant. */
  const connect = async (user: LaunchedUser): Promise<{ p: TestParticipant; grant: Grant }> => {
    const grant = await user.joinGrant();
    return { p: await connectWith(grant), grant };
  };
  /** A participant the test connected itself (say, with a token the SFU may turn away): disconnected after it too. */
  const disconnectAfterTest = (p: TestParticipant) => {
    connected.push(p);
  };

  return {
    get env(): TestEnvironment {
      return started()[0];
    },
    get gateway(): LiveKitGateway {
      return started()[1];
    },
    get store(): RoomStore {
      return started()[2];
    },
    get audit(): AuditStore {
      if (!audit) throw new Error('useSfuFixture: the suite has not started');
      return audit;
    },
    launch,
    newStudent,
    connect,
    connectWith,
    disconnectAfterTest,
    onSfu,
    sfu,
  };
}
