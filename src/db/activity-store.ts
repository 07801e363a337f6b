import { randomBytes } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import type { Activity, ActivityStore } from '../rooms/activity-settings.js';
import type { IndexSpec } from './indexes.js';

const COLLECTION = 'activities';

export const ACTIVITY_INDEXES: readonly IndexSpec[] = [
  { collection: COLLECTION, keys: { platformId: 1, activityId: 1 }, name: 'platform_activity_unique', unique: true },
];

interface ActivityDoc extends Omit<Activity, 'id'> {
  activityId: string;
}

export function createActivityStore(connection: Connection): ActivityStore {
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
  const toActivity = (d: ActivityDoc): Activity => ({
    id: d.activityId,
    platformId: d.platformId,
    deploymentId: d.deploymentId,
    contextId: d.contextId ?? undefined,
    settings: d.settings,
    createdBy: d.createdBy,
    createdAt: d.createdAt,
  });
  return {
    async create(activity) {
      const doc = await Activities.create({ ...activity, activityId: `act_${randomBytes(12).toString('base64url')}` });
      return toActivity(doc.toObject() as ActivityDoc);
    },
    async find(platformId, id) {
      const doc = await Activities.findOne({ platformId, activityId: id }).lean<ActivityDoc>();
      return doc ? toActivity(doc) : undefined;
    },
  };
}
