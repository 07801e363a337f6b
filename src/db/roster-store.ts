import type { Connection } from 'mongoose';
import { contextKeyOf, type CachedRoster, type CourseMember, type RosterStore } from '../lti/roster-store.js';
import { expiryFields } from './expiry.js';
import { isDuplicateKey, type IndexSpec } from './indexes.js';

const COLLECTION = 'roster_cache';
/**
 * A cached roster is only reused for minutes (lti.rosterCacheMinutes); one a course has not asked for in a
 * day is dropped, so ended courses do not keep their people's names here.
 */
const RETAIN_SECONDS = 24 * 60 * 60;

export const ROSTER_INDEXES: readonly IndexSpec[] = [
  {
    collection: COLLECTION,
    keys: { fetchedAt: 1 },
    name: 'fetchedAt_ttl',
    expireAfterSeconds: RETAIN_SECONDS,
    expiryBucket: true,
  },
];

/**
 * One document per course, `_id` = contextKeyOf(platform, context): every read is by `_id`. Members are kept
 * with one-letter field names (FerretDB v1 refuses nested arrays, so no tuples), so a course of 2,000 is a
 * few hundred KB, far below the 16 MB document limit.
 */
interface MemberDoc {
  /** userId */
  u: string;
  /** name */
  n: string;
  /** role */
  r: string;
  /** active */
  a: boolean;
}

interface RosterDoc {
  _id: string;
  platformId: string;
  contextId: string;
  fetchedAt: Date;
  members: MemberDoc[];
  expiryBucket: number;
}

export function createRosterStore(connection: Connection): RosterStore {
  // Through the driver: the roster is written and read whole, and mongoose would cast 2,000 subdocuments.
  const rosters = connection.collection<RosterDoc>(COLLECTION);
  return {
    async get(platformId, contextId) {
      const doc = await rosters.findOne({ _id: contextKeyOf(platformId, contextId) });
      if (!doc) return undefined;
      return {
        platformId: doc.platformId,
        contextId: doc.contextId,
        fetchedAt: doc.fetchedAt,
        members: doc.members.map((m) => ({ userId: m.u, name: m.n, role: m.r as CourseMember['role'], active: m.a })),
      };
    },
    async put(roster: CachedRoster) {
      const doc: RosterDoc = {
        _id: contextKeyOf(roster.platformId, roster.contextId),
        platformId: roster.platformId,
        contextId: roster.contextId,
        fetchedAt: roster.fetchedAt,
        members: roster.members.map((m) => ({ u: m.userId, n: m.name, r: m.role, a: m.active })),
        ...expiryFields(new Date(roster.fetchedAt.getTime() + RETAIN_SECONDS * 1000)),
      };
      // Last writer wins, by design: two instances refreshing one course at once each write a complete roster
      // fetched from the LMS moments apart, so whichever lands last is as correct as the other. No reader
      // relies on a version; a replace, not a field-wise update, so a lost write never mixes two rosters.
      try {
        await rosters.replaceOne({ _id: doc._id }, doc, { upsert: true });
      } catch (err) {
        // Two first writes of a course upserting at once: the other insert won, so the document exists now.
        if (!isDuplicateKey(err)) throw err;
        await rosters.replaceOne({ _id: doc._id }, doc);
      }
    },
  };
}
