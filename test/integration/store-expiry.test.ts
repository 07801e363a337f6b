import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startCleanupJob } from '../../src/db/cleanup-job.js';
import { type Database } from '../../src/db/connection.js';
import { expiryFields } from '../../src/db/expiry.js';
import { detectTtlSupport, ensureIndexes } from '../../src/db/indexes.js';
import { createLogger } from '../../src/log.js';
import { openTestDatabase, useTestEnvironment } from '../support/test-tool.js';

describe('indexes and expiry on the embedded store', function () {
  this.timeout(60_000);
  const logger = createLogger('silent');
  let db: Database;
  before(async () => {
    const env = await useTestEnvironment();
    db = await openTestDatabase(env);
  });
  after(() => db.close());

  it('creates plain and unique indexes explicitly', async () => {
    const collection = `idx_${randomUUID().slice(0, 8)}`;
    await ensureIndexes(db.connection, [{ collection, keys: { key: 1 }, name: 'key_unique', unique: true }], logger);
    const c = db.connection.collection(collection);
    await c.insertOne({ key: 'a' });
    await assert.rejects(c.insertOne({ key: 'a' }), /duplicate key/i);
    await c.drop();
  });

  it('turns refused TTL indexes into expiry rules that the cleanup job enforces', async () => {
    const collection = `ttl_${randomUUID().slice(0, 8)}`;
    const ttlSupported = await detectTtlSupport(db.connection);
    const result = await ensureIndexes(
      db.connection,
      [{ collection, keys: { createdAt: 1 }, name: 'createdAt_ttl', expireAfterSeconds: 60 }],
      logger,
    );
    assert.equal(result.ttlSupported, ttlSupported);
    if (ttlSupported) {
      // Real MongoDB (MONGODB_URI given): the server expires documents itself.
      assert.deepEqual(result.expiryRules, []);
      return;
    }
    assert.deepEqual(result.expiryRules, [{ collection, field: 'createdAt', maxAgeSeconds: 60, bucketed: false }]);

    const c = db.connection.collection(collection);
    const now = new Date();
    await c.insertMany([
      { name: 'old', createdAt: new Date(now.getTime() - 61_000) },
      { name: 'fresh', createdAt: new Date(now.getTime() - 30_000) },
    ]);
    const job = startCleanupJob(db.connection, result.expiryRules, 60_000, logger);
    try {
      assert.equal(await job.runOnce(now), 1);
      assert.deepEqual(
        (await c.find().toArray()).map((d) => d.name),
        ['fresh'],
      );
    } finally {
      await job.stop();
      await c.drop();
    }
  });

  it('deletes bucketed documents by their due minute, and older documents without a bucket once', async () => {
    const collection = `bucket_${randomUUID().slice(0, 8)}`;
    const result = await ensureIndexes(
      db.connection,
      [{ collection, keys: { expiresAt: 1 }, name: 'expiresAt_ttl', expireAfterSeconds: 0, expiryBucket: true }],
      logger,
    );
    if (result.ttlSupported) return;
    assert.deepEqual(result.expiryRules, [{ collection, field: 'expiresAt', maxAgeSeconds: 0, bucketed: true }]);
    const c = db.connection.collection(collection);
    const names = async () => (await c.find().sort({ name: 1 }).toArray()).map((d) => d.name);
    const t0 = Date.now();
    const at = (ms: number) => new Date(t0 + ms);
    const doc = (name: string, expiresAt: Date) => ({ name, expiresAt, ...expiryFields(expiresAt) });
    // Written before documents carried a bucket: only the first pass (a date range) can find it.
    await c.insertMany([{ name: 'old-format', expiresAt: at(-60_000) }, doc('live', at(3_600_000))]);
    const job = startCleanupJob(db.connection, result.expiryRules, 60_000, logger);
    try {
      assert.equal(await job.runOnce(at(0)), 1);
      assert.deepEqual(await names(), ['live']);

      await c.insertMany([doc('due', at(30_000)), doc('later', at(600_000))]);
      // Later passes delete by bucket only: a document without one stays until the next start.
      await c.insertOne({ name: 'unbucketed', expiresAt: at(-60_000) });
      assert.equal(await job.runOnce(at(150_000)), 1);
      assert.deepEqual(await names(), ['later', 'live', 'unbucketed']);
      assert.equal(await job.runOnce(at(150_000)), 0, 'a pass with no minute newly passed deletes nothing');
      assert.equal(await job.runOnce(at(720_000)), 1);
      assert.deepEqual(await names(), ['live', 'unbucketed']);
    } finally {
      await job.stop();
      await c.drop();
    }
  });
});
