import { randomBytes } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import type { Activity, ActivitySettings, ActivityStore } from '../rooms/activity-settings.js';
import { isDuplicateKey, type IndexSpec } from './indexes.js';
import { createReadCache } from './read-cache.js';
import { createSealer } from './sealing.js';

const COLLECTION = 'activities';
/** How long another instance may open a link's earlier activity after it was bound to another. */
const LINK_CACHE_TTL_MS = 10_000;
const LINKS = 'activity_links';

export const ACTIVITY_INDEXES: readonly IndexSpec[] = [
  { collection: COLLECTION, keys: { platformId: 1, activityId: 1 }, name: 'platform_activity_unique', unique: true },
];

interface ActivityDoc extends Omit<Activity, 'id'> {
  activityId: string;
}

/** A resource link's binding to an activity, by the link's room key (`_id`). */
interface LinkDoc {
  _id: string;
  activityId: string;
  updatedAt: Date;
}

/**
 * The activities, with their settings' one secret (a default stream target, which carries the stream key)
 * sealed at rest under a key derived from `secret` (the deployment's lti.encryptionKey).
 */
export function createActivityStore(connection: Connection, { secret }: { secret: string }): ActivityStore {
  const sealer = createSealer(secret, 'activity-settings:stream-url');
  /** The settings with `transform` applied to the stream target, if they have one. */
  const withStreamUrl = (settings: ActivitySettings, transform: (url: string) => string | undefined) => {
    const url = settings.recording?.streamUrl;
    if (!url) return settings;
    const { streamUrl: _dropped, ...recording } = settings.recording ?? {};
    const next = transform(url);
    // Sealed under another key (lti.encryptionKey changed): no target, as if none was set, rather than a failure.
    return { ...settings, recording: next ? { ...recording, streamUrl: next } : recording };
  };
  const Activities = connection.model<ActivityDoc>(
    'ActivityRecord',
    new Schema<ActivityDoc>(
      {
        activityId: { type: String, required: true },
        platformId: { type: String, required: true },
        deploymentId: { type: String, required: true },
        contextId: String,
        settings: { type: Schema.Types.Mixed, required: true },
        createdBy: String,
        createdAt: { type: Date, default: () => new Date() },
      },
      { collection: COLLECTION, minimize: false },
    ),
  );
  const Links = connection.model<LinkDoc>(
    'ActivityLinkRecord',
    new Schema<LinkDoc>(
      { _id: String, activityId: { type: String, required: true }, updatedAt: Date },
      { collection: LINKS, versionKey: false },
    ),
  );
  const toActivity = (d: ActivityDoc): Activity => ({
    id: d.activityId,
    platformId: d.platformId,
    deploymentId: d.deploymentId,
    contextId: d.contextId ?? undefined,
    settings: withStreamUrl(d.settings, (url) => sealer.open(url)),
    createdBy: d.createdBy,
    createdAt: d.createdAt,
  });
  /**
   * Every launch and every room request resolves its activity and its link's binding. An activity is never
   * updated once inserted (settings are chosen at deep linking), so a found one may be kept; the TTL only
   * bounds memory churn. A binding changes when a launch names another activity for the link: this
   * instance's own link() updates the cache, another instance's reaches this one within
   * LINK_CACHE_TTL_MS, and until then a launch without a hint opens the class the link named a few seconds
   * earlier (as two launches racing on two instances could anyway: bindings are last-writer-wins).
   */
  const activities = createReadCache<Activity>({ ttlMs: 60_000, maxEntries: 5000 });
  /** `null`: the link has no binding yet, as stale as a binding may be. */
  const links = createReadCache<string | null>({ ttlMs: LINK_CACHE_TTL_MS, maxEntries: 5000 });
  const find = (platformId: string, id: string): Promise<Activity | undefined> =>
    activities.get(`${platformId}\n${id}`, async () => {
      const doc = await Activities.findOne({ platformId, activityId: id }).lean<ActivityDoc>();
      return doc ? toActivity(doc) : undefined;
    });
  return {
    async create(activity) {
      const doc = await Activities.create({
        ...activity,
        settings: withStreamUrl(activity.settings, (url) => sealer.seal(url)),
        activityId: `act_${randomBytes(12).toString('base64url')}`,
      });
      return toActivity(doc.toObject() as ActivityDoc);
    },
    async ensure({ id, ...activity }) {
      try {
        const doc = await Activities.create({
          ...activity,
          settings: withStreamUrl(activity.settings, (url) => sealer.seal(url)),
          activityId: id,
        });
        return toActivity(doc.toObject() as ActivityDoc);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const winner = await find(activity.platformId, id);
        if (!winner) throw err;
        return winner;
      }
    },
    find,
    async linked(linkKey) {
      const bound = await links.get(
        linkKey,
        async () => (await Links.findById(linkKey).lean<LinkDoc>())?.activityId ?? null,
      );
      return bound ?? undefined;
    },
    async link(linkKey, activityId) {
      links.delete(linkKey);
      try {
        await Links.updateOne({ _id: linkKey }, { activityId, updatedAt: new Date() }, { upsert: true });
      } catch (err) {
        // Two first launches of one link upserting at once: the other insert won; the value is the same.
        if (!isDuplicateKey(err)) throw err;
      }
      links.set(linkKey, activityId);
    },
  };
}
