import { Schema, type Connection } from 'mongoose';
import type { WebhookStore } from '../livekit/webhook-store.js';
import { expiryBucketPath, expiryFields } from './expiry.js';
import { insertOnce, type IndexSpec } from './indexes.js';
import { modelOf } from './models.js';

const WEBHOOKS = 'livekit_webhooks';
/** Webhook ids only guard against redelivery, which LiveKit gives up on after seconds. */
const KEEP_SECONDS = 7 * 86400;

export const WEBHOOK_INDEXES: readonly IndexSpec[] = [
  { collection: WEBHOOKS, keys: { webhookId: 1 }, name: 'webhookId_unique', unique: true },
  {
    collection: WEBHOOKS,
    keys: { receivedAt: 1 },
    name: 'receivedAt_ttl',
    expireAfterSeconds: KEEP_SECONDS,
    expiryBucket: true,
  },
];

export function createWebhookStore(connection: Connection): WebhookStore {
  const Webhooks = modelOf(
    connection,
    'LiveKitWebhook',
    () =>
      new Schema(
        { webhookId: String, event: String, receivedAt: Date, ...expiryBucketPath },
        { collection: WEBHOOKS, id: false },
      ),
  );
  return {
    async seen(id) {
      return (await Webhooks.exists({ webhookId: id })) !== null;
    },
    async mark(id, event, at) {
      return insertOnce(() =>
        Webhooks.create({
          webhookId: id,
          event,
          receivedAt: at,
          ...expiryFields(new Date(at.getTime() + KEEP_SECONDS * 1000)),
        }),
      );
    },
  };
}
