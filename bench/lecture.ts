/**
 * `npm run bench`: a lecture of 300 on one SFU. A teacher publishes camera and microphone in a webinar-style
 * activity (students listen until promoted); 300 launched students ask the tool for their token and connect
 * through the LiveKit Node SDK, each subscribing to the teacher. The peer, in the same run and on the same
 * SFU: 300 connections with tokens minted beforehand, straight to LiveKit. Reported: the time until all are
 * connected and hear the teacher (the ratio is the tool's cost), failures, the tool's token latency, the
 * class session the webhooks built, and the SFU's CPU and memory with 301 in the room.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Room, RoomEvent, TrackKind, type RemoteTrack, type RemoteTrackPublication } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import { createRoomStore } from '../src/db/room-store.js';
import { createLiveKitGateway } from '../src/livekit/livekit-gateway.js';
import { projectRoot } from '../src/paths.js';
import { runBench } from './lib/run.js';
import { grantsFor } from '../src/rooms/grants.js';
import { percentile, runLoad } from './lib/load.js';
import { LaunchedUser, TestParticipant, type Grant } from '../test/support/room-client.js';
import { openTestDatabase, stopTestEnvironment, useTestEnvironment } from '../test/support/test-tool.js';

const AUDIENCE = Number(process.env.BENCH_LECTURE_AUDIENCE ?? 300);
const CONCURRENCY = 10;
const HEAR_TIMEOUT_MS = 60_000;
/** Listeners that also receive the teacher's camera: every listener's video would load this one machine's client side, not the SFU. */
const WATCHERS = Number(process.env.BENCH_LECTURE_WATCHERS ?? 30);

/**
 * Connects and resolves once the teacher's microphone is subscribed: this listener hears the lecture.
 * `watch` subscribes to the camera too. One failed connect is tried again, as the launcher's rejoin does.
 */
async function listen(url: string, token: string, watch: boolean, rooms: Room[], retries: { count: number }) {
  for (let attempt = 1; ; attempt++) {
    const room = new Room();
    rooms.push(room);
    const hears = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no teacher audio')), HEAR_TIMEOUT_MS);
      room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
        if (track.kind === TrackKind.KIND_AUDIO) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    hears.catch(() => undefined);
    const wanted = (publication: RemoteTrackPublication) =>
      publication.kind === TrackKind.KIND_AUDIO || (watch && publication.kind === TrackKind.KIND_VIDEO);
    room.on(RoomEvent.TrackPublished, (publication: RemoteTrackPublication) => {
      if (wanted(publication)) publication.setSubscribed(true);
    });
    try {
      await room.connect(url, token, { autoSubscribe: false, dynacast: true });
      for (const p of room.remoteParticipants.values())
        for (const publication of p.trackPublications.values())
          if (wanted(publication)) publication.setSubscribed(true);
      await hears;
      return;
    } catch (err) {
      await room.disconnect().catch(() => undefined);
      if (attempt > 1) throw err;
      retries.count += 1;
    }
  }
}

const sfuPid = (workDir: string): number => {
  const out = execFileSync('pgrep', ['-f', `livekit-server.*${workDir}`], { encoding: 'utf8' }).trim();
  return Number(out.split('\n')[0]);
};
/** CPU seconds (user + system) and resident memory of a process, from /proc. */
const usage = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssPages = Number(fields[21]);
  return { cpuSeconds: ticks / 100, rssMb: Math.round((rssPages * 4096) / 1024 / 1024) };
};
/** The SFU's CPU share (of one core) and memory over `ms` of a steady room. */
async function steady(pid: number, ms: number) {
  const before = usage(pid);
  await new Promise((r) => setTimeout(r, ms));
  const after = usage(pid);
  return {
    cpuPercentOfOneCore: Math.round(((after.cpuSeconds - before.cpuSeconds) / (ms / 1000)) * 100),
    rssMb: after.rssMb,
  };
}

const closeAll = async (rooms: Room[]) => {
  await Promise.all(rooms.splice(0).map((r) => r.disconnect().catch(() => undefined)));
};

async function main(): Promise<void> {
  const env = await useTestEnvironment({ LTI_LOGIN_RATE_LIMIT: '1000000', ROOM_REQUEST_RATE_LIMIT: '100000' });
  const rooms: Room[] = [];
  try {
    const base = env.tool.url;
    const id = await LaunchedUser.createActivity(base, {
      title: 'Lecture',
      publishers: 'instructors',
      maxParticipants: AUDIENCE + 20,
    });
    const teacher = await LaunchedUser.launch(base, 'instructor', id);
    const lead = await TestParticipant.connect(await teacher.joinGrant());
    await lead.publishMicrophone();
    await lead.publishCamera();

    const students: LaunchedUser[] = [];
    const launching = await runLoad(AUDIENCE, 8, async () => {
      students.push(await LaunchedUser.launch(base, 'student', id, `lecture-${process.pid}-${students.length}`));
    });
    if (launching.errors > 0) throw new Error(`launches failed: ${launching.firstError}`);

    // Ours: each student asks the tool for the token (the launch's bearer), then connects and listens.
    const tokenMs: number[] = [];
    const oursRetries = { count: 0 };
    let nextStudent = 0;
    const ours = await runLoad(AUDIENCE, CONCURRENCY, async () => {
      const student = students[nextStudent++] as LaunchedUser;
      const t = performance.now();
      const grant: Grant = await student.joinGrant();
      tokenMs.push(performance.now() - t);
      await listen(grant.url, grant.token, nextStudent <= WATCHERS, rooms, oursRetries);
    });
    if (ours.errors > 0) console.error(`through the tool: ${ours.errors} failed, first: ${ours.firstError}`);
    const grant = await teacher.joinGrant();
    const pid = sfuPid(env.workDir);
    const sfu = await steady(pid, 10_000);
    // The class session as the webhooks built it: everyone present, the teacher included.
    const db = await openTestDatabase(env);
    const store = createRoomStore(db.connection);
    const deadline = Date.now() + 30_000;
    let present = 0;
    while (Date.now() < deadline) {
      present = (await store.currentClassSession(grant.room))?.present.length ?? 0;
      if (present >= AUDIENCE + 1) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await db.close();
    await closeAll(rooms);

    // The peer: the same grants, minted beforehand, straight to the SFU, in a room of its own.
    const bareRoom = `bench-lecture-bare-${process.pid}`;
    // What grantsFor gives a listener: subscribe and chat, nothing to publish.
    const listener = grantsFor('participant', { audioOnly: false, publishers: 'instructors' }, { chatEnabled: true });
    await createLiveKitGateway({
      apiUrl: env.stack.livekit.url.replace(/^ws/, 'http'),
      apiKey: env.stack.livekit.apiKey,
      apiSecret: env.stack.livekit.apiSecret,
      requestTimeoutMs: 5000,
    }).createRoom({ name: bareRoom, maxParticipants: AUDIENCE + 20, emptyTimeoutSeconds: 60 });
    const bareLead = new AccessToken(env.stack.livekit.apiKey, env.stack.livekit.apiSecret, { identity: 'bare-lead' });
    bareLead.addGrant({ room: bareRoom, roomJoin: true, canPublish: true, canSubscribe: true });
    const bareTeacher = await TestParticipant.connect({ url: grant.url, token: await bareLead.toJwt() });
    await bareTeacher.publishMicrophone();
    await bareTeacher.publishCamera();
    const tokens = await Promise.all(
      Array.from({ length: AUDIENCE }, async (_, i) => {
        const at = new AccessToken(env.stack.livekit.apiKey, env.stack.livekit.apiSecret, { identity: `bare-${i}` });
        at.addGrant({
          room: bareRoom,
          roomJoin: true,
          canPublish: listener.canPublish,
          canSubscribe: listener.canSubscribe,
          canPublishData: listener.canPublishData,
        });
        return at.toJwt();
      }),
    );
    let nextToken = 0;
    const bareRetries = { count: 0 };
    const bare = await runLoad(AUDIENCE, CONCURRENCY, async () => {
      const i = nextToken++;
      await listen(grant.url, tokens[i] as string, i < WATCHERS, rooms, bareRetries);
    });
    await closeAll(rooms);
    await Promise.all([bareTeacher.disconnect(), lead.disconnect()]);

    tokenMs.sort((a, b) => a - b);
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      audience: AUDIENCE,
      concurrency: CONCURRENCY,
      watchers: WATCHERS,
      ours: {
        ...ours,
        retried: oursRetries.count,
        tokenP50Ms: percentile(tokenMs, 50),
        tokenP99Ms: percentile(tokenMs, 99),
      },
      bare: { ...bare, retried: bareRetries.count },
      ratio: Number((ours.seconds / bare.seconds).toFixed(2)),
      sessionPresent: present,
      sfuWith301: sfu,
    };
    writeFileSync(path.join(projectRoot(), 'bench', 'results', 'lecture.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await closeAll(rooms);
    await stopTestEnvironment();
  }
}

runBench(main);
