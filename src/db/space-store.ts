import type { Connection } from 'mongoose';
import type { JoinLink, JoinLinkStore, Space, SpaceStore } from '../integrations/space-store.js';
import { expiryFields } from './expiry.js';
import { isDuplicateKey, type IndexSpec } from './indexes.js';
import { looseSchema, modelOf, strip } from './models.js';

const SPACES = 'integrator_spaces';
const LINKS = 'integrator_join_links';

export const SPACE_INDEXES: readonly IndexSpec[] = [
  // One space per (API key, integrator id): a repeated launch can never create a second room.
  { collection: SPACES, keys: { apiKeyId: 1, spaceId: 1 }, name: 'key_space_unique', unique: true },
  { collection: SPACES, keys: { id: 1 }, name: 'id_unique', unique: true },
  { collection: SPACES, keys: { apiKeyId: 1, roomKey: 1 }, name: 'key_room' },
  { collection: LINKS, keys: { tokenHash: 1 }, name: 'tokenHash_unique', unique: true },
  { collection: LINKS, keys: { expiresAt: 1 }, name: 'expiresAt_ttl', expireAfterSeconds: 0, expiryBucket: true },
];

/** Optional fields are stored as null (so updates can clear them); the domain sees them as absent. */
const toSpace = (doc: Space): Space => {
  const { passcodeHash, webhooks, ...rest } = strip(doc);
  return { ...rest, ...(passcodeHash ? { passcodeHash } : {}), ...(webhooks ? { webhooks } : {}) };
};

export function createSpaceStores(connection: Connection): { spaces: SpaceStore; links: JoinLinkStore } {
  const mixed = (collection: string, name: string) => modelOf(connection, name, () => looseSchema(collection));
  const Spaces = mixed(SPACES, 'IntegratorSpace');
  const Links = mixed(LINKS, 'IntegratorJoinLink');

  const find = async (filter: Record<string, unknown>): Promise<Space | undefined> => {
    const doc = await Spaces.findOne(filter).lean<Space>();
    return doc ? toSpace(doc) : undefined;
  };

  const spaces: SpaceStore = {
    async create(space) {
      try {
        await Spaces.create({ ...space, passcodeHash: space.passcodeHash ?? null, webhooks: space.webhooks ?? null });
        return { space, created: true };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const existing = await find({ apiKeyId: space.apiKeyId, spaceId: space.spaceId });
      if (!existing) throw new Error(`space ${space.spaceId} vanished after a duplicate insert`);
      return { space: existing, created: false };
    },
    find: (apiKeyId, spaceId) => find({ apiKeyId, spaceId }),
    get: (id) => find({ id }),
    async findByRoomKeys(apiKeyId, roomKeys) {
      return (await Spaces.find({ apiKeyId, roomKey: { $in: roomKeys } }).lean<Space[]>()).map(toSpace);
    },
    async listByKey(apiKeyId) {
      return (await Spaces.find({ apiKeyId }).lean<Space[]>()).map(toSpace);
    },
    async update(id, patch) {
      await Spaces.updateOne({ id }, { $set: { ...patch, updatedAt: new Date() } });
      const updated = await find({ id });
      if (!updated) throw new Error(`space ${id} does not exist`);
      return updated;
    },
  };

  const links: JoinLinkStore = {
    async create(link) {
      await Links.create({ ...link, ...expiryFields(link.expiresAt) });
    },
    async findValid(tokenHash, now) {
      // By the token alone (an equality the store can filter by); its time is checked here.
      const doc = await Links.findOne({ tokenHash }).lean<JoinLink & { expiryBucket?: number }>();
      if (!doc || new Date(doc.expiresAt).getTime() <= now.getTime()) return undefined;
      const { expiryBucket: _bucket, ...link } = strip(doc);
      return link;
    },
  };
  return { spaces, links };
}
