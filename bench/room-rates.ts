/**
 * `npm run bench`: how fast the tool mints join tokens and ingests LiveKit webhooks, against the real
 * stack. Bounded: fixed counts, loopback only.
 */
import { createHash, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AccessToken } from 'livekit-server-sdk';
import { createLiveKitGateway } from '../src/livekit/livekit-gateway.js';
import { projectRoot } from '../src/paths.js';
import { grantsFor } from '../src/rooms/grants.js';
import { LaunchedUser } from '../test/support/room-client.js';
import { stopTestEnvironment, useTestEnvironment } from '../test/support/test-tool.js';

const SIGN_COUNT = 5000;
const HTTP_COUNT = 1000;
const WEBHOOK_COUNT = 1000;
const CONCURRENCY = 8;

async function timed(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Number(
      (latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] as number).toFixed(2),
    );
  return { count, concurrency, perSecond: Math.round(count / seconds), p50Ms: pct(50), p99Ms: pct(99) };
}

async function main(): Promise<void> {
  // One launch asks for every token: its per-session room request limit is lifted for the measurement.
  const env = await useTestEnvironment({ ROOM_REQUEST_RATE_LIMIT: '100000' });
  try {
    const gateway = createLiveKitGateway({
      apiUrl: env.stack.livekit.url.replace(/^ws/, 'http'),
      apiKey: env.stack.livekit.apiKey,
      apiSecret: env.stack.livekit.apiSecret,
      requestTimeoutMs: 5000,
    });
    const grants = grantsFor('participant', { audioOnly: false, publishers: 'everyone' }, { chatEnabled: true });
    const signing = await timed(SIGN_COUNT, 1, async (i) => {
      await gateway.mintJoinToken({
        room: 'bench',
        identity: `u-${i}`,
        name: 'Bench',
        metadata: '{}',
        attributes: { role: 'participant' },
        grants,
        ttlSeconds: 600,
      });
    });

    const student = await LaunchedUser.launch(env.tool.url, 'student');
    await student.joinGrant();
    const endpoint = await timed(HTTP_COUNT, CONCURRENCY, async () => {
      const res = await student.request('POST', '/room/token');
      if (res.status !== 200) throw new Error(`token ${res.status}`);
      await res.arrayBuffer();
    });

    const room = (await student.joinGrant()).room;
    const webhooks = await timed(WEBHOOK_COUNT, CONCURRENCY, async (i) => {
      const body = JSON.stringify({
        id: `EV_${randomUUID()}`,
        event: i % 2 === 0 ? 'participant_joined' : 'participant_left',
        createdAt: String(Math.floor(Date.now() / 1000)),
        room: { name: room, sid: 'RM_bench' },
        participant: {
          identity: `u-${(i >> 1).toString(16).padStart(24, '0')}`,
          sid: `PA_${i}`,
          name: 'Bench',
          metadata: '{"role":"participant"}',
        },
      });
      const at = new AccessToken(env.stack.livekit.apiKey, env.stack.livekit.apiSecret);
      at.sha256 = createHash('sha256').update(body).digest('base64');
      const res = await fetch(`${env.tool.url}/hooks/livekit`, {
        method: 'POST',
        headers: { authorization: await at.toJwt() },
        body,
      });
      if (res.status !== 200) throw new Error(`webhook ${res.status}`);
      await res.arrayBuffer();
    });

    const result = {
      benchmark: 'room-rates',
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      store: env.stack.postgres
        ? `FerretDB v1.24.2 (PostgreSQL ${env.stack.postgres.version})`
        : 'MongoDB (MONGODB_URI)',
      tokenSigningInProcess: signing,
      tokenEndpoint: endpoint,
      webhookIngest: webhooks,
    };
    writeFileSync(
      path.join(projectRoot(), 'bench', 'results', 'room-rates.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await stopTestEnvironment();
  }
}

void main();
