import { createHash, randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { POLL_VOTES } from './poll-store.js';
import { RECORDING_FACTS, RECORDING_PUBLICATIONS, RECORDINGS } from './recording-store.js';
import { EVENTS, FACTS } from './room-store.js';

/** What erasing one person removed or anonymised, per store (counts only: the erased data is not kept). */
export interface ErasureCounts {
  participantEvents: number;
  attendanceSnapshots: number;
  controlFacts: number;
  auditEntries: number;
  waitingDecisions: number;
  launchSessions: number;
  joinLinks: number;
  rosters: number;
  gradeJobs: number;
  gradeTargets: number;
  webhookItems: number;
  pollVotes: number;
  /** Recordings they started, deleted, published or took back: the act stays, its actor reads `erased`. */
  recordingActors: number;
}

export interface ErasedPerson {
  /** Where the person's data is filed: an LMS registration's id, or `space:<apiKeyId>`. */
  namespace: string;
  /** Their user id there (the LMS's, or the integrator's). */
  userId: string;
  /** Their LiveKit identity (identityIn(owner, userId)). */
  identity: string;
}

/** Who erased whom: the person only as a digest of their identity, which answers "was X erased?" and no more. */
const ERASURES = 'user_erasures';
/** What an anonymised actor or target of the room audit reads as. */
export const ERASED = 'erased';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes one person's data from every store that holds it: attendance facts and the SFU lists kept at
 * the end of a class, their names on leader actions (the actions stay, so a removal still holds), them in
 * the room audit, waiting-room decisions, launch sessions (which also ends them), integrator join links,
 * course rosters, grade jobs and grade targets naming them, integrator webhooks and their poll votes. Idempotent; records
 * the erasure in `user_erasures`. A rare admin action: filters on a nested field (and the decisions, whose
 * id holds the identity) scan collections that their own expiry keeps small.
 */
export async function eraseUser(
  connection: Connection,
  p: ErasedPerson,
  /** Ends a launch session at once in this process too (its store keeps fresh sessions for a moment). */
  revoke: (sessionId: string) => Promise<void>,
  erasedBy = 'admin',
): Promise<ErasureCounts & { erasureId: string }> {
  const c = (name: string) => connection.collection(name);
  const deleted = async (r: Promise<{ deletedCount: number }>) => (await r).deletedCount;
  const modified = async (r: Promise<{ modifiedCount: number }>) => (await r).modifiedCount;
  const space = p.namespace.startsWith('space:') ? p.namespace.slice('space:'.length) : undefined;

  const participantEvents = await deleted(c(EVENTS).deleteMany({ identity: p.identity }));
  const attendanceSnapshots = await withoutMember(connection, 'attendance_snapshots', 'present.identity', p.identity);
  const controlFacts = await modified(
    c(FACTS).updateMany({ identity: p.identity, name: { $nin: ['', null] } }, { $set: { name: '' } }),
  );
  const auditEntries =
    (await modified(c('room_audit').updateMany({ actor: p.identity }, { $set: { actor: ERASED } }))) +
    (await modified(c('room_audit').updateMany({ target: p.identity }, { $set: { target: ERASED } })));
  // `<roomKey>\n<identity>\n<waitingSince>` (room-store.ts decideWaiting).
  const decisionIds = { $regex: `\n${escapeRegex(p.identity)}\n` };
  const waitingDecisions = await deleted(c('waiting_decisions').deleteMany({ decisionId: decisionIds }));
  const sessions = await c('lti_sessions')
    .find({ platformId: p.namespace, 'user.id': p.userId }, { projection: { _id: 1 } })
    .toArray();
  for (const doc of sessions) await revoke(String(doc._id));
  const joinLinks = space
    ? await deleted(c('integrator_join_links').deleteMany({ apiKeyId: space, 'user.id': p.userId }))
    : 0;
  const rosters = await withoutMember(connection, 'roster_cache', 'members.u', p.userId, { platformId: p.namespace });
  const gradeJobs = await deleted(c('grade_jobs').deleteMany({ userId: p.userId, 'target.platformId': p.namespace }));
  // The room's next instructor launch writes its target again.
  const gradeTargets = await deleted(
    c('grade_targets').deleteMany({ platformId: p.namespace, launchUserId: p.userId }),
  );
  const webhookItems = await deleted(
    c('integrator_webhook_outbox').deleteMany({ 'payload.participant.user_id': p.identity }),
  );
  // The poll's counts drop the vote too: a tally is derived from the votes, never stored.
  const pollVotes = await deleted(c(POLL_VOTES).deleteMany({ identity: p.identity }));
  const recordingActors =
    (await modified(
      c(RECORDINGS).updateMany(
        { 'startedBy.identity': p.identity },
        { $set: { 'startedBy.identity': ERASED, 'startedBy.name': '' } },
      ),
    )) +
    (await modified(c(RECORDING_FACTS).updateMany({ by: p.identity }, { $set: { by: ERASED } }))) +
    (await modified(c(RECORDING_PUBLICATIONS).updateMany({ by: p.identity }, { $set: { by: ERASED } })));
  const counts: ErasureCounts = {
    participantEvents,
    attendanceSnapshots,
    controlFacts,
    auditEntries,
    waitingDecisions,
    launchSessions: sessions.length,
    joinLinks,
    rosters,
    gradeJobs,
    gradeTargets,
    webhookItems,
    pollVotes,
    recordingActors,
  };
  const erasureId = `era_${randomUUID()}`;
  await c(ERASURES).insertOne({
    _id: erasureId as never,
    at: new Date(),
    erasedBy,
    namespace: p.namespace,
    subject: erasureSubject(p.identity),
    counts,
  });
  return { ...counts, erasureId };
}

/** The digest an erasure record keeps of the person (recomputable from their identity, not reversible). */
export function erasureSubject(identity: string): string {
  return createHash('sha256').update(`erased\n${identity}`).digest('hex');
}

/** Drops the person from an array of the documents that list them; returns how many documents changed. */
async function withoutMember(
  connection: Connection,
  collection: string,
  path: string,
  value: string,
  filter: Record<string, unknown> = {},
): Promise<number> {
  const [array, field] = path.split('.') as [string, string];
  const docs = await connection
    .collection(collection)
    .find({ ...filter, [path]: value })
    .toArray();
  for (const doc of docs) {
    const kept = (doc[array] as Array<Record<string, unknown>>).filter((m) => m[field] !== value);
    await connection.collection(collection).updateOne({ _id: doc._id }, { $set: { [array]: kept } });
  }
  return docs.length;
}
