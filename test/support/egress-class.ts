/** People in a class that Egress records or streams: @livekit/rtc-node publishers of a camera and a tone. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { createRecordingStore } from '../../src/db/recording-store.js';
import { createLiveKitRecorder } from '../../src/livekit/livekit-recorder.js';
import type { RecorderGateway } from '../../src/livekit/recorder.js';
import { clientBuildDir } from '../../src/paths.js';
import type { RecordingStore } from '../../src/recordings/recording-store.js';
import type { Stack } from '../../src/dev/stack/stack.js';
import type { ParticipantGrants } from '../../src/livekit/gateway.js';
import { TestParticipant } from './room-client.js';
import { testGateway } from './test-tool.js';

const PUBLISHER: ParticipantGrants = {
  roomAdmin: false,
  canPublish: true,
  canPublishSources: ['camera', 'microphone'],
  canSubscribe: true,
  canPublishData: false,
  canUpdateOwnMetadata: false,
  hidden: false,
  recorder: false,
};

/** Someone in `room` on the stack's SFU, publishing a camera (see publishCamera) and a tone. */
export async function publisher(
  stack: Stack,
  room: string,
  identity: string,
  camera: Parameters<TestParticipant['publishCamera']>[0] = {},
): Promise<TestParticipant> {
  const { token } = await testGateway({ stack }).mintJoinToken({
    room,
    identity,
    name: identity,
    metadata: '',
    attributes: {},
    grants: PUBLISHER,
    ttlSeconds: 600,
  });
  const person = await TestParticipant.connect({ url: stack.livekit.url, token });
  try {
    await person.publishCamera(camera);
    await person.publishMicrophone({ tone: true });
  } catch (err) {
    await person.disconnect();
    throw err;
  }
  return person;
}

/** Room composites record the tool's /recorder page, which is part of the client build. */
export function requireRecorderPage(): void {
  if (!existsSync(path.join(clientBuildDir(), 'index.html')))
    throw new Error(
      `No client build in ${clientBuildDir()}: run \`npm run build:client\` first (Egress records its /recorder page).`,
    );
}

/** The stack's Egress, through the SFU's API, as the tool reaches it (a 10 s request timeout). */
export function stackRecorder(stack: Stack): RecorderGateway {
  const { url, apiKey, apiSecret } = stack.livekit;
  return createLiveKitRecorder({ apiUrl: url.replace(/^ws/, 'http'), apiKey, apiSecret, requestTimeoutMs: 10_000 });
}

/** The tool's recordings in the stack's store, read beside the tool; close `db` after the tests. */
export async function openRecordingStore(stack: Stack): Promise<{ db: Connection; store: RecordingStore }> {
  const db = await mongoose.createConnection(stack.mongoUri, { autoIndex: false }).asPromise();
  return { db, store: createRecordingStore(db) };
}
