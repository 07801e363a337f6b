import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { JwtError, RemoteJwks, generateSigningKey, signJwt, type PublicJwk } from '../../src/dev/demo-keys.js';
import { CONTEXT, SCOPE, useDemoHarness } from '../support/demo-harness.js';

describe('demo platform: services', () => {
  const h = useDemoHarness();
  const { accessToken } = h;

  describe('NRPS', () => {
    it('pages the 25-member roster with Link rel="next" headers', async () => {
      const auth = `Bearer ${await accessToken(SCOPE.members)}`;
      let next: string | undefined = `${CONTEXT}/memberships`;
      const pages: number[] = [];
      const ids: string[] = [];
      while (next) {
        const res: request.Response = await request(h.app)
          .get(next)
          .set('authorization', auth)
          .expect(200)
          .expect('content-type', /application\/vnd\.ims\.lti-nrps\.v2\.membershipcontainer\+json/);
        assert.equal(res.body.context.id, 'demo-course-physics-101');
        pages.push(res.body.members.length);
        ids.push(...res.body.members.map((m: { user_id: string }) => m.user_id));
        const link = /<([^>]+)>; rel="next"/.exec((res.headers.link as string | undefined) ?? '');
        next = link?.[1] ? new URL(link[1]).pathname + new URL(link[1]).search : undefined;
      }
      assert.deepEqual(pages, [10, 10, 5]);
      assert.equal(new Set(ids).size, 25);
    });

    it('filters by role and honours limit', async () => {
      const auth = `Bearer ${await accessToken(SCOPE.members)}`;
      const learners = await request(h.app)
        .get(`${CONTEXT}/memberships?role=Learner&limit=100`)
        .set('authorization', auth)
        .expect(200);
      assert.equal(learners.body.members.length, 22);
      assert.equal(learners.headers.link?.includes('rel="next"'), false);
      const uri = encodeURIComponent('http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor');
      const instructors = await request(h.app)
        .get(`${CONTEXT}/memberships?role=${uri}`)
        .set('authorization', auth)
        .expect(200);
      assert.deepEqual(
        instructors.body.members.map((m: { name: string }) => m.name),
        ['Ada Lovelace'],
      );
      const member = instructors.body.members[0];
      assert.deepEqual(Object.keys(member).sort(), [
        'email',
        'family_name',
        'given_name',
        'name',
        'roles',
        'status',
        'user_id',
      ]);
      await request(h.app).get(`${CONTEXT}/memberships?limit=abc`).set('authorization', auth).expect(400);
    });

    it('requires the membership scope', async () => {
      await request(h.app).get(`${CONTEXT}/memberships`).expect(401);
      const auth = `Bearer ${await accessToken(SCOPE.score)}`;
      await request(h.app).get(`${CONTEXT}/memberships`).set('authorization', auth).expect(403);
    });
  });
});

describe('RemoteJwks', () => {
  let server: Server;
  let keys: PublicJwk[] = [];
  let fetches = 0;
  let url: string;

  before(async () => {
    server = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('caches keys and refetches when a token names an unknown kid (key rotation)', async () => {
    const [first, second] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    keys = [first.publicJwk];
    const jwks = new RemoteJwks(url);
    await jwks.resolve(first.kid);
    await jwks.resolve(first.kid);
    assert.equal(fetches, 1);
    keys = [first.publicJwk, second.publicJwk];
    await jwks.resolve(second.kid);
    assert.equal(fetches, 2);
    await assert.rejects(jwks.resolve('missing'), JwtError);
    assert.ok(signJwt(second.privateKey, {}, { alg: 'RS256' }).split('.').length === 3);
  });

  it('turns an unreachable JWKS into a JwtError', async () => {
    await assert.rejects(new RemoteJwks('http://127.0.0.1:9/keys', 500).resolve('any'), JwtError);
  });
});
