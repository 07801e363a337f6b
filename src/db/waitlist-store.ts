import type { Connection } from 'mongoose';
import { LINE_ALIVE_MS, type WaitlistEntry, type WaitlistStore } from '../rooms/waitlist.js';
import { expiryFields } from './expiry.js';
import { insertOnce, type IndexSpec } from './indexes.js';

const WAITLIST = 'room_waitlist';
/** A place nobody asked about for this long is long gone (LINE_ALIVE_MS already ignores it). */
const KEEP_MS = 10 * 60_000;

export const WAITLIST_INDEXES: readonly IndexSpec[] = [
  { collection: WAITLIST, keys: { roomKey: 1 }, name: 'room' },
  { collection: WAITLIST, keys: { expiresAt: 1 }, name: 'expiresAt_ttl', expireAfterSeconds: 0, expiryBucket: true },
];

interface EntryDoc extends WaitlistEntry {
  /** `${roomKey} ${identity}`: the unique insert that gives a person one place in a room's line. */
  _id: string;
  roomKey: string;
  expiresAt: Date;
  expiryBucket: number;
}

const idOf = (roomKey: string, identity: string) => `${roomKey} ${identity}`;
const kept = (at: Date) => {
  const expiresAt = new Date(at.getTime() + KEEP_MS);
  return { expiresAt, ...expiryFields(expiresAt) };
};

export function createWaitlistStore(connection: Connection): WaitlistStore {
  const entries = connection.collection<EntryDoc>(WAITLIST);
  return {
    async enter(roomKey, person, at) {
      const _id = idOf(roomKey, person.identity);
      const fresh = { _id, roomKey, ...person, enteredAt: at, seenAt: at, ...kept(at) };
      if (await insertOnce(() => entries.insertOne(fresh))) return;
      // Only this person's page writes their entry after the insert, so this read-then-write races nobody.
      const current = await entries.findOne({ _id });
      const left = !current || at.getTime() - current.seenAt.getTime() > LINE_ALIVE_MS;
      await entries.replaceOne({ _id }, left ? fresh : { ...current, seenAt: at, ...kept(at) }, { upsert: true });
    },
    async entries(roomKey) {
      const docs = await entries.find({ roomKey }).toArray();
      return docs.map(({ identity, name, enteredAt, seenAt, admittedAt }) => ({
        identity,
        name,
        enteredAt,
        seenAt,
        ...(admittedAt ? { admittedAt } : {}),
      }));
    },
    async admitted(roomKey, identity, at) {
      await entries.updateOne({ _id: idOf(roomKey, identity) }, { $set: { admittedAt: at, ...kept(at) } });
    },
    async remove(roomKey, identities) {
      if (identities.length === 0) return;
      await entries.deleteMany({ _id: { $in: identities.map((i) => idOf(roomKey, i)) } });
    },
  };
}
