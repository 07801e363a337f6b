import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Schema } from 'mongoose';
import request from 'supertest';
import { type Database } from '../../src/db/connection.js';
import { testGateway, openTestDatabase, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

describe('real services', function () {
  this.timeout(120_000);
  let env: TestEnvironment;
  before(async () => {
    env = await useTestEnvironment();
  });

  describe('MongoDB wire store', () => {
    let db: Database;
    before(async () => {
      db = await openTestDatabase(env);
    });
    after(() => db.close());

    it('round-trips a document through a mongoose model on our own connection', async () => {
      const Probe = db.connection.model('IntegrationProbe', new Schema({ key: String, count: Number, at: Date }));
      const key = randomUUID();
      const at = new Date('2026-11-22T10:00:00.000Z');
      await Probe.create({ key, count: 1, at });
      await Probe.updateOne({ key }, { $inc: { count: 2 } });
      const found = await Probe.findOne({ key }).lean();
      assert.equal(found?.count, 3);
      assert.equal(found?.at?.toISOString(), at.toISOString());
      await Probe.deleteOne({ key });
      assert.equal(await Probe.countDocuments({ key }), 0);
    });
  });

  describe('LiveKit SFU', () => {
    it('creates, lists and deletes a room through the gateway', async () => {
      const gateway = testGateway(env);
      const name = `it-${randomUUID()}`;
      const created = await gateway.createRoom({
        name,
        maxParticipants: 7,
        emptyTimeoutSeconds: 60,
        metadata: '{"k":1}',
      });
      assert.equal(created.name, name);
      assert.equal(created.maxParticipants, 7);
      const listed = await gateway.listRooms([name]);
      assert.deepEqual(
        listed.map((r) => [r.name, r.metadata]),
        [[name, '{"k":1}']],
      );
      await gateway.deleteRoom(name);
      assert.deepEqual(await gateway.listRooms([name]), []);
    });

    it('reports a wrong API secret as LIVEKIT_UNAUTHORIZED', async () => {
      const gateway = testGateway(env, 'x'.repeat(40));
      await assert.rejects(gateway.ping(), { code: 'LIVEKIT_UNAUTHORIZED' });
    });
  });

  describe('health endpoints', () => {
    it('GET /healthz answers 200', async () => {
      const res = await request(env.tool.url).get('/healthz').expect(200);
      assert.deepEqual(res.body, { status: 'ok' });
    });

    it('GET /readyz answers 200 when the store and LiveKit answer', async () => {
      const res = await request(env.tool.url).get('/readyz').expect(200);
      assert.equal(res.body.status, 'ok');
      assert.deepEqual(res.body.down, []);
      assert.equal(res.body.checks.database.ok, true);
      assert.equal(res.body.checks.livekit.ok, true);
      assert.equal(res.body.checks['recording-storage'].ok, true);
    });
  });
});
