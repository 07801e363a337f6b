/**
 * `npm run bench`: does a full store slow the hot paths? In one run, against the real stack: launch p50
 * (sequential full launches through the demo LMS) and webhook-ingest p50 (sequential signed
 * participant_joined/left for one room) on a nearly empty store, then again after 100,000 launch sessions
 * and 100,000 participant events are stored. The seeded documents are copies of ones the tool itself just
 * wrote (so they keep the shape the code writes today), with every unique key and the room, session and
 * identity they belong to made new; they are spread over 1,000 rooms, none of the measured ones.
 * A session's presence is derived from all of its participant events on every read (each webhook, and the
 * room status of each launch), so the bench's own webhooks must not pile up in a room a later pass reads:
 * the launched room's session keeps the warm-up's events throughout, and each timed webhook pass starts a
 * room of its own. Both passes then read sessions of the same size and differ only by the seeded store.
 * Writes bench/results/data-volume.json.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AccessToken } from 'livekit-server-sdk';
import { Types } from 'mongoose';
import { EXPIRY_BUCKET_FIELD, expiryBucketOf } from '../src/db/expiry.js';
import { projectRoot } from '../src/paths.js';
import { LtiBrowser, launchThroughDemo } from '../test/support/lti-launch.js';
import { LaunchedUser } from '../test/support/room-client.js';
import { openTestDatabase, stopTestEnvironment, useTestEnvironment } from '../test/support/test-tool.js';
import { percentile } from './lib/load.js';

const SEED = Number(process.env.BENCH_SEED ?? 100_000);
const BATCH = 1000;
const LAUNCHES = Number(process.env.BENCH_VOLUME_LAUNCHES ?? 100);
const WEBHOOKS = Number(process.env.BENCH_VOLUME_WEBHOOKS ?? 200);
const SESSIONS_COLLECTION = 'lti_sessions';
const EVENTS_COLLECTION = 'participant_events';
const PASSED_BUCKET = expiryBucketOf(Date.now()) - 1;

type Env = Awaited<ReturnType<typeof useTestEnvironment>>;
type Doc = Record<string, unknown>;

const p50 = (samples: number[]) =>
  percentile(
    [...samples].sort((a, b) => a - b),
    50,
  );
const p99 = (samples: number[]) =>
  percentile(
    [...samples].sort((a, b) => a - b),
    99,
  );

async function launches(env: Env): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < LAUNCHES; i += 1) {
    const t = performance.now();
    const r = await launchThroughDemo(new LtiBrowser(env.tool.url), { role: 'student' });
    if (r.status !== 303 || !r.token) throw new Error(`launch ${r.status}`);
    const me = await fetch(`${env.tool.url}/api/me`, { headers: { authorization: `Bearer ${r.token}` } });
    if (!me.ok) throw new Error(`/api/me ${me.status}`);
    await me.arrayBuffer();
    out.push(performance.now() - t);
  }
  return out;
}

/** Pass `pass` uses identities of its own, so no pass finds the previous passes' events of its people. */
async function webhooks(env: Env, room: string, pass: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < WEBHOOKS; i += 1) {
    const body = JSON.stringify({
      id: `EV_${randomUUID()}`,
      event: i % 2 === 0 ? 'participant_joined' : 'participant_left',
      createdAt: String(Math.floor(Date.now() / 1000)),
      room: { name: room, sid: 'RM_volume' },
      participant: {
        identity: `u-${(pass * 100_000 + (i >> 1)).toString(16).padStart(24, '0')}`,
        sid: `PA_${i}`,
        name: 'Bench',
        metadata: '{"role":"participant"}',
      },
    });
    const at = new AccessToken(env.stack.livekit.apiKey, env.stack.livekit.apiSecret);
    at.sha256 = createHash('sha256').update(body).digest('base64');
    const t = performance.now();
    const res = await fetch(`${env.tool.url}/hooks/livekit`, {
      method: 'POST',
      headers: { authorization: await at.toJwt() },
      body,
    });
    if (res.status !== 200) throw new Error(`webhook ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    out.push(performance.now() - t);
  }
  return out;
}

/** `count` copies of `template`: new _id, every unique-index key new, and `vary(i)` applied. */
async function seed(
  db: Awaited<ReturnType<typeof openTestDatabase>>,
  collection: string,
  template: Doc,
  vary: (i: number) => Doc,
): Promise<number> {
  const coll = db.connection.collection(collection);
  const uniqueKeys = (await coll.indexes())
    .filter((ix) => ix.unique && ix.name !== '_id_')
    .flatMap((ix) => Object.keys(ix.key));
  const started = performance.now();
  for (let done = 0; done < SEED; done += BATCH) {
    const batch: Doc[] = [];
    for (let i = done; i < Math.min(SEED, done + BATCH); i += 1) {
      const doc: Doc = { ...template, _id: new Types.ObjectId(), ...vary(i) };
      for (const key of uniqueKeys) if (!(key in vary(0))) doc[key] = `seed-${randomBytes(16).toString('hex')}`;
      batch.push(doc);
    }
    await coll.insertMany(batch, { ordered: false });
  }
  return Number(((performance.now() - started) / 1000).toFixed(1));
}

type Db = Awaited<ReturnType<typeof openTestDatabase>>;

/**
 * The store's own time for the lookups these paths make (median of 5; ms), and whether FerretDB pushed the
 * filter down to PostgreSQL (explain's `pushdown`): a lookup not pushed down reads the whole collection.
 */
async function storeProbes(db: Db, session: Doc, event: Doc) {
  const c = (name: string) => db.connection.collection(name);
  const probes: Record<string, { filter: Doc; run: () => Promise<unknown>; collection: string }> = {
    'lti_sessions findOne by tokenHash (launcher auth)': {
      collection: SESSIONS_COLLECTION,
      filter: { tokenHash: session.tokenHash },
      run: () => c(SESSIONS_COLLECTION).findOne({ tokenHash: session.tokenHash }),
    },
    // What src/db/cleanup-job.ts runs per passed minute on FerretDB (its range pass runs once per start).
    'lti_sessions cleanup pass (deleteMany one passed expiryBucket, none due)': {
      collection: SESSIONS_COLLECTION,
      filter: { [EXPIRY_BUCKET_FIELD]: PASSED_BUCKET },
      run: () => c(SESSIONS_COLLECTION).deleteMany({ [EXPIRY_BUCKET_FIELD]: PASSED_BUCKET }),
    },
    'participant_events findOne by eventId': {
      collection: EVENTS_COLLECTION,
      filter: { eventId: event.eventId },
      run: () => c(EVENTS_COLLECTION).findOne({ eventId: event.eventId }),
    },
    'participant_events latest of sessionId+identity (presence)': {
      collection: EVENTS_COLLECTION,
      filter: { sessionId: event.sessionId, identity: event.identity },
      run: () =>
        c(EVENTS_COLLECTION)
          .find({ sessionId: event.sessionId, identity: event.identity })
          .sort({ at: -1, kind: -1 })
          .limit(1)
          .next(),
    },
  };
  const out: Record<string, { medianMs: number; pushdown: unknown }> = {};
  for (const [name, probe] of Object.entries(probes)) {
    const times: number[] = [];
    const repeats = 5;
    for (let i = 0; i < repeats; i += 1) {
      const t = performance.now();
      await probe.run();
      times.push(performance.now() - t);
    }
    const explained = (await db.connection.db
      ?.command({ explain: { find: probe.collection, filter: probe.filter } })
      .catch(() => undefined)) as { pushdown?: unknown; filterPushdown?: unknown } | undefined;
    out[name] = { medianMs: p50(times), pushdown: explained?.filterPushdown ?? explained?.pushdown ?? 'unknown' };
  }
  return out;
}

async function newest(db: Awaited<ReturnType<typeof openTestDatabase>>, collection: string): Promise<Doc> {
  const doc = await db.connection.collection(collection).find({}).sort({ _id: -1 }).limit(1).next();
  if (!doc) throw new Error(`nothing in ${collection} to copy`);
  return doc as Doc;
}

async function main(): Promise<void> {
  // Every bench client is 127.0.0.1: the per-address login limit would cap the launches.
  const env = await useTestEnvironment({ LTI_LOGIN_RATE_LIMIT: '1000000' });
  const db = await openTestDatabase(env);
  try {
    const student = await LaunchedUser.launch(env.tool.url, 'student');
    const room = (await student.joinGrant()).room;
    const roomOfPass = async (pass: number) => {
      const activity = await LaunchedUser.createActivity(env.tool.url, { title: `Volume pass ${pass}` });
      return (await (await LaunchedUser.launch(env.tool.url, 'instructor', activity)).joinGrant()).room;
    };
    await launches(env); // warm-up
    await webhooks(env, room, 0);
    const empty = { launch: await launches(env), webhook: await webhooks(env, await roomOfPass(1), 1) };
    const counts = async () => ({
      launchSessions: await db.connection.collection(SESSIONS_COLLECTION).estimatedDocumentCount(),
      participantEvents: await db.connection.collection(EVENTS_COLLECTION).estimatedDocumentCount(),
    });
    const before = await counts();

    const sessionTemplate = await newest(db, SESSIONS_COLLECTION);
    const eventTemplate = await newest(db, EVENTS_COLLECTION);
    const probesEmpty = await storeProbes(db, sessionTemplate, eventTemplate);
    const seconds = {
      launchSessions: await seed(db, SESSIONS_COLLECTION, sessionTemplate, () => ({})),
      participantEvents: await seed(db, EVENTS_COLLECTION, eventTemplate, (i) => ({
        roomKey: `seed-room-${i % 1000}`,
        sessionId: `seed-session-${i % 2000}`,
        identity: `seed-user-${i % 50}`,
      })),
    };
    const after = await counts();
    const probesFull = await storeProbes(db, sessionTemplate, eventTemplate);
    const full = { launch: await launches(env), webhook: await webhooks(env, await roomOfPass(2), 2) };

    const figures = (s: number[]) => ({ n: s.length, p50: p50(s), p99: p99(s) });
    const ratio = (a: number[], b: number[]) => Number((p50(b) / p50(a)).toFixed(2));
    const result = {
      benchmark: 'data-volume',
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      store: env.stack.postgres
        ? `FerretDB v1.24.2 (PostgreSQL ${env.stack.postgres.version})`
        : 'MongoDB (MONGODB_URI)',
      unit: 'ms',
      seeded: { perCollection: SEED, batch: BATCH, seconds },
      documents: { before, after },
      empty: { launch: figures(empty.launch), webhookIngest: figures(empty.webhook) },
      full: { launch: figures(full.launch), webhookIngest: figures(full.webhook) },
      p50FullOverEmpty: { launch: ratio(empty.launch, full.launch), webhookIngest: ratio(empty.webhook, full.webhook) },
      storeProbes: { empty: probesEmpty, full: probesFull },
      target: 'p50 within 15 % of the empty store (ratio <= 1.15)',
    };
    const met = result.p50FullOverEmpty.launch <= 1.15 && result.p50FullOverEmpty.webhookIngest <= 1.15;
    const out = { ...result, targetMet: met };
    writeFileSync(
      path.join(projectRoot(), 'bench', 'results', 'data-volume.json'),
      `${JSON.stringify(out, null, 2)}\n`,
    );
    console.log(JSON.stringify(out, null, 2));
  } finally {
    await db.close();
    await stopTestEnvironment();
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
