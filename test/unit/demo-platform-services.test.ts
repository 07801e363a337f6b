import assert from 'node:assert/strict';
import request from 'supertest';
import { CONTEXT, SCOPE, useDemoHarness } from '../support/demo-harness.js';

describe('demo platform: OAuth2 token and AGS', () => {
  const h = useDemoHarness();
  const { assertion, tokenRequest, accessToken } = h;

  describe('token endpoint', () => {
    it('issues a Bearer token for a valid client assertion, granting the offered scopes', async () => {
      const res = await tokenRequest({ scope: `${SCOPE.score} https://example.com/unknown` }).expect(200);
      assert.equal(res.body.token_type, 'Bearer');
      assert.equal(res.body.expires_in, 3600);
      assert.equal(res.body.scope, SCOPE.score);
      assert.equal(typeof res.body.access_token, 'string');
    });

    const now = () => Math.floor(Date.now() / 1000);
    const refused: Array<[string, () => Record<string, string>, number, string]> = [
      ['a wrong grant_type', () => ({ grant_type: 'password' }), 400, 'unsupported_grant_type'],
      ['no client_assertion', () => ({ client_assertion: '' }), 400, 'invalid_request'],
      ['a wrong assertion type', () => ({ client_assertion_type: 'x' }), 400, 'invalid_request'],
      ['only unknown scopes', () => ({ scope: 'https://example.com/unknown' }), 400, 'invalid_scope'],
      ['a wrong iss', () => ({ client_assertion: assertion({ iss: 'other' }) }), 401, 'invalid_client'],
      ['a wrong sub', () => ({ client_assertion: assertion({ sub: 'other' }) }), 401, 'invalid_client'],
      ['a wrong aud', () => ({ client_assertion: assertion({ aud: 'https://x/token' }) }), 401, 'invalid_client'],
      ['an expired assertion', () => ({ client_assertion: assertion({ exp: now() - 3600 }) }), 401, 'invalid_client'],
      ['no exp', () => ({ client_assertion: assertion({ exp: undefined }) }), 401, 'invalid_client'],
      ['alg HS256', () => ({ client_assertion: assertion({}, { alg: 'HS256' }) }), 401, 'invalid_client'],
      ['an unknown kid', () => ({ client_assertion: assertion({}, { kid: 'unknown' }) }), 401, 'invalid_client'],
      [
        'a platform-signed assertion',
        () => ({ client_assertion: h.platform.sign({ iss: 'demo-tool' }) }),
        401,
        'invalid_client',
      ],
      ['garbage', () => ({ client_assertion: 'a.b' }), 401, 'invalid_client'],
    ];
    for (const [name, fields, status, error] of refused) {
      it(`refuses ${name} with ${status} ${error}`, async () => {
        const res = await tokenRequest(fields()).expect(status);
        assert.equal(res.body.error, error);
      });
    }

    it('refuses a replayed client assertion', async () => {
      const once = assertion();
      await tokenRequest({ client_assertion: once }).expect(200);
      const res = await tokenRequest({ client_assertion: once }).expect(400);
      assert.equal(res.body.error, 'invalid_grant');
    });
  });

  describe('AGS', () => {
    const lineItemType = 'application/vnd.ims.lis.v2.lineitem+json';
    const scoreType = 'application/vnd.ims.lis.v1.score+json';
    const score = (userId: string, scoreGiven: number, timestamp = new Date().toISOString()) => ({
      userId,
      scoreGiven,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp,
    });

    it('creates a line item, takes scores and returns results', async () => {
      const token = await accessToken(SCOPE.lineItem, SCOPE.score, SCOPE.result);
      const auth = `Bearer ${token}`;
      const created = await request(h.app)
        .post(`${CONTEXT}/lineitems`)
        .set('authorization', auth)
        .set('content-type', lineItemType)
        .send(
          JSON.stringify({
            scoreMaximum: 100,
            label: 'Attendance',
            tag: 'attendance',
            resourceLinkId: 'demo-live-class-1',
          }),
        )
        .expect(201)
        .expect('content-type', /application\/vnd\.ims\.lis\.v2\.lineitem\+json/);
      const itemUrl = created.body.id as string;
      assert.match(
        itemUrl,
        /^http:\/\/127\.0\.0\.1:3000\/demo\/platform\/contexts\/demo-course-physics-101\/lineitems\/\d+$/,
      );
      const itemPath = new URL(itemUrl).pathname;

      const list = await request(h.app)
        .get(`${CONTEXT}/lineitems?resource_link_id=demo-live-class-1&tag=attendance`)
        .set('authorization', auth)
        .expect(200)
        .expect('content-type', /lineitemcontainer\+json/);
      assert.deepEqual(
        list.body.map((i: { id: string }) => i.id),
        [itemUrl],
      );
      const none = await request(h.app).get(`${CONTEXT}/lineitems?tag=other`).set('authorization', auth).expect(200);
      assert.deepEqual(none.body, []);

      const older = new Date(Date.now() - 60_000).toISOString();
      await request(h.app)
        .post(`${itemPath}/scores`)
        .set('authorization', auth)
        .set('content-type', scoreType)
        .send(JSON.stringify(score('demo-student-01', 7)))
        .expect(200);
      await request(h.app)
        .post(`${itemPath}/scores`)
        .set('authorization', auth)
        .set('content-type', scoreType)
        .send(JSON.stringify(score('demo-student-01', 3, older)))
        .expect(409);
      await request(h.app)
        .post(`${itemPath}/scores`)
        .set('authorization', auth)
        .set('content-type', scoreType)
        .send(JSON.stringify(score('demo-student-02', 10)))
        .expect(200);

      const results = await request(h.app)
        .get(`${itemPath}/results`)
        .set('authorization', auth)
        .expect(200)
        .expect('content-type', /resultcontainer\+json/);
      const byUser = Object.fromEntries(results.body.map((r: { userId: string }) => [r.userId, r]));
      assert.equal(byUser['demo-student-01'].resultScore, 70);
      assert.equal(byUser['demo-student-01'].resultMaximum, 100);
      assert.equal(byUser['demo-student-01'].scoreOf, itemUrl);
      assert.equal(byUser['demo-student-02'].resultScore, 100);

      const gradebook = await request(h.app).get('/demo/gradebook').expect(200);
      assert.match(gradebook.text, /Attendance/);
      assert.match(gradebook.text, /Marie Curie/);
      assert.match(gradebook.text, /7 \/ 10/);
    });

    it('updates and deletes a line item', async () => {
      const auth = `Bearer ${await accessToken(SCOPE.lineItem)}`;
      const created = await request(h.app)
        .post(`${CONTEXT}/lineitems`)
        .set('authorization', auth)
        .send({ scoreMaximum: 5, label: 'Quiz' })
        .expect(201);
      const path = new URL(created.body.id as string).pathname;
      const updated = await request(h.app)
        .put(path)
        .set('authorization', auth)
        .send({ ...created.body, label: 'Quiz 1' })
        .expect(200);
      assert.equal(updated.body.label, 'Quiz 1');
      await request(h.app)
        .put(path)
        .set('authorization', auth)
        .send({ id: 'elsewhere', scoreMaximum: 5, label: 'x' })
        .expect(400);
      await request(h.app).get(path).set('authorization', auth).expect(200);
      await request(h.app).delete(path).set('authorization', auth).expect(204);
      await request(h.app).get(path).set('authorization', auth).expect(404);
    });

    it('answers 401 without a token and 403 with the wrong scope', async () => {
      const res = await request(h.app).get(`${CONTEXT}/lineitems`).expect(401);
      assert.equal(res.body.error, 'invalid_token');
      assert.match(res.headers['www-authenticate'] as string, /^Bearer/);
      await request(h.app).get(`${CONTEXT}/lineitems`).set('authorization', 'Bearer not-a-token').expect(401);
      const scoreOnly = `Bearer ${await accessToken(SCOPE.score)}`;
      const forbidden = await request(h.app).get(`${CONTEXT}/lineitems`).set('authorization', scoreOnly).expect(403);
      assert.equal(forbidden.body.error, 'insufficient_scope');
      const readOnly = `Bearer ${await accessToken(SCOPE.lineItemReadOnly)}`;
      await request(h.app).get(`${CONTEXT}/lineitems`).set('authorization', readOnly).expect(200);
      await request(h.app)
        .post(`${CONTEXT}/lineitems`)
        .set('authorization', readOnly)
        .send({ scoreMaximum: 1, label: 'x' })
        .expect(403);
    });

    it('answers bad input with 4xx', async () => {
      const auth = `Bearer ${await accessToken(SCOPE.lineItem, SCOPE.score)}`;
      const post = (path: string) => request(h.app).post(path).set('authorization', auth);
      await post(`${CONTEXT}/lineitems`).send({ scoreMaximum: -1, label: 'x' }).expect(400);
      await post(`${CONTEXT}/lineitems`).send({ scoreMaximum: 1, label: 'x', resourceLinkId: 'nope' }).expect(400);
      const malformed = await post(`${CONTEXT}/lineitems`).set('content-type', 'application/json').send('{not json');
      assert.deepEqual([malformed.status, malformed.body.error], [400, 'invalid_request']);
      await post(`${CONTEXT}/lineitems`).set('content-type', 'text/plain').send('hello').expect(415);
      await post('/demo/platform/contexts/other/lineitems').send({ scoreMaximum: 1, label: 'x' }).expect(404);
      await post(`${CONTEXT}/lineitems/999/scores`).send(score('u', 1)).expect(404);
      const created = await post(`${CONTEXT}/lineitems`).send({ scoreMaximum: 1, label: 'y' }).expect(201);
      const scores = `${new URL(created.body.id as string).pathname}/scores`;
      const bad = await post(scores)
        .send({ ...score('u', 1), scoreMaximum: undefined })
        .expect(400);
      assert.match(bad.body.error_description, /scoreMaximum/);
      await post(scores)
        .send({ ...score('u', 1), timestamp: 'yesterday' })
        .expect(400);
      await post(scores)
        .send({ ...score('u', 1), activityProgress: 'Done' })
        .expect(400);
      await request(h.app).get(`${CONTEXT}/lineitems?limit=0`).set('authorization', auth).expect(400);
    });
  });
});
