import type { Connection } from 'mongoose';
import { EVENTS } from './room-store.js';

/** What erasing one person removed or anonymised, per store (counts only: the erased data is not kept). */
export interface ErasureCounts {
  participantEvents: number;
  attendanceSnapshots: number;
  controlFacts: number;
  launchSessions: number;
  rosters: number;
  gradeJobs: number;
  webhookItems: number;
}

export interface ErasedPerson {
  /** Where the person's data is filed: an LMS registration's id, or `space:<apiKeyId>`. */
  namespace: string;
  /** Their user id there (the LMS's, or the integrator's). */
  userId: string;
  /** Their LiveKit identity (identityIn(owner, userId)). */
  identity: string;
}

/**
 * Removes one person's data from every store that holds it: attendance facts and the SFU lists kept at
 * the end of a class, their names on leader actions (the actions stay, so a removal still holds), launch
 * sessions (which also ends them), course rosters, grade jobs and integrator webhooks naming them.
 * Idempotent. A rare admin action: some of these filters read nested fields, which FerretDB scans for.
 */
export async function eraseUser(
  connection: Connection,
  p: ErasedPerson,
  /** Ends a launch session at once in this process too (its store keeps fresh sessions for a moment). */
  revoke: (sessionId: string) => Promise<void>,
): Promise<ErasureCounts> {
  const db = connection;
  const count = (r: { deletedCount?: number; modifiedCount?: number }) => r.deletedCount ?? r.modifiedCount ?? 0;
  const participantEvents = count(await db.collection(EVENTS).deleteMany({ identity: p.identity }));
  let attendanceSnapshots = 0;
  for (const doc of await db.collection('attendance_snapshots').find({ 'present.identity': p.identity }).toArray()) {
    const present = (doc.present as Array<{ identity: string }>).filter((x) => x.identity !== p.identity);
    await db.collection('attendance_snapshots').updateOne({ _id: doc._id }, { $set: { present } });
    attendanceSnapshots += 1;
  }
  const controlFacts = count(
    await db.collection('room_control_facts').updateMany({ identity: p.identity }, { $set: { name: '' } }),
  );
  const sessions = await db
    .collection('lti_sessions')
    .find({ platformId: p.namespace, 'user.id': p.userId }, { projection: { _id: 1 } })
    .toArray();
  for (const doc of sessions) await revoke(String(doc._id));
  const launchSessions = sessions.length;
  let rosters = 0;
  for (const doc of await db.collection('roster_cache').find({ platformId: p.namespace }).toArray()) {
    const members = (doc.members as Array<{ userId: string }>).filter((m) => m.userId !== p.userId);
    if (members.length === (doc.members as unknown[]).length) continue;
    await db.collection('roster_cache').updateOne({ _id: doc._id }, { $set: { members } });
    rosters += 1;
  }
  const gradeJobs = count(
    await db.collection('grade_jobs').deleteMany({ userId: p.userId, 'target.platformId': p.namespace }),
  );
  const webhookItems = count(
    await db.collection('integrator_webhook_outbox').deleteMany({ 'payload.participant.user_id': p.identity }),
  );
  return { participantEvents, attendanceSnapshots, controlFacts, launchSessions, rosters, gradeJobs, webhookItems };
}
