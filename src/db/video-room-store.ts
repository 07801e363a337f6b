import type { Connection } from 'mongoose';
import type { RefreshGrant, RoomDeletion, RoomVersion, VideoRoomStore } from '../integrations/video-room-store.js';
import { expiryFields } from './expiry.js';
import { insertOnce, type IndexSpec } from './indexes.js';
import { looseSchema, modelOf, strip } from './models.js';

const VERSIONS = 'integrator_room_versions';
const DELETIONS = 'integrator_room_deletions';
const REFRESH = 'integrator_refresh_tokens';
const REFRESH_USES = 'integrator_refresh_uses';

export const VIDEO_ROOM_INDEXES: readonly IndexSpec[] = [
  // One version n per room: of two changes that read version n-1, one is stored.
  { collection: VERSIONS, keys: { spaceRef: 1, version: 1 }, name: 'room_version_unique', unique: true },
  { collection: DELETIONS, keys: { apiKeyId: 1, spaceId: 1 }, name: 'key_space_unique', unique: true },
  { collection: REFRESH, keys: { tokenHash: 1 }, name: 'tokenHash_unique', unique: true },
  { collection: REFRESH, keys: { expiresAt: 1 }, name: 'expiresAt_ttl', expireAfterSeconds: 0, expiryBucket: true },
  // A use is kept as long as its token could be presented again.
  { collection: REFRESH_USES, keys: { tokenHash: 1 }, name: 'tokenHash_unique', unique: true },
  {
    collection: REFRESH_USES,
    keys: { expiresAt: 1 },
    name: 'expiresAt_ttl',
    expireAfterSeconds: 0,
    expiryBucket: true,
  },
];

export function createVideoRoomStore(connection: Connection): VideoRoomStore {
  const mixed = (collection: string, name: string) => modelOf(connection, name, () => looseSchema(collection));
  const Versions = mixed(VERSIONS, 'IntegratorRoomVersion');
  const Deletions = mixed(DELETIONS, 'IntegratorRoomDeletion');
  const Refresh = mixed(REFRESH, 'IntegratorRefreshToken');
  const Uses = mixed(REFRESH_USES, 'IntegratorRefreshUse');

  return {
    addVersion: (version) => insertOnce(() => Versions.create(version)),
    async latestVersion(spaceRef) {
      const doc = await Versions.findOne({ spaceRef }).sort({ version: -1 }).lean<RoomVersion>();
      return doc ? strip(doc) : undefined;
    },
    addDeletion: (deletion) => insertOnce(() => Deletions.create(deletion)),
    async deletion(apiKeyId, spaceId) {
      const doc = await Deletions.findOne({ apiKeyId, spaceId }).lean<RoomDeletion>();
      return doc ? strip(doc) : undefined;
    },
    async deletionsOf(apiKeyId) {
      return (await Deletions.find({ apiKeyId }).lean<RoomDeletion[]>()).map(strip);
    },
    async addRefresh(grant) {
      await Refresh.create({ ...grant, ...expiryFields(grant.expiresAt) });
    },
    async findRefresh(tokenHash, now) {
      // By the hash alone (an equality the store can filter by); its time is checked here.
      const doc = await Refresh.findOne({ tokenHash }).lean<RefreshGrant & { expiryBucket?: number }>();
      if (!doc || new Date(doc.expiresAt).getTime() <= now.getTime()) return undefined;
      const { expiryBucket: _bucket, ...grant } = strip(doc);
      return grant;
    },
    async useRefresh(tokenHash, at) {
      const grant = await Refresh.findOne({ tokenHash }).lean<RefreshGrant>();
      const expiresAt = grant ? new Date(grant.expiresAt) : at;
      return insertOnce(() => Uses.create({ tokenHash, at, expiresAt, ...expiryFields(expiresAt) }));
    },
  };
}
