import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import request from 'supertest';
import { JwtError, RemoteJwks, generateSigningKey, signJwt, type PublicJwk } from '../../src/dev/demo-keys.js';
import { createDemoPlatform, type DemoPlatform } from '../../src/dev/demo-platform.js';
import { createLogger } from '../../src/log.js';
import { startFakeTool, type FakeTool } from '../support/platform-signer.js';

const PUBLIC_URL = 'http://127.0.0.1:3000';
const AGS = 'https://purl.imsglobal.org/spec/lti-ags/scope';
const SCOPE = {
  lineItem: `${AGS}/lineitem`,
  lineItemReadOnly: `${AGS}/lineitem.readonly`,
  result: `${AGS}/result.readonly`,
  score: `${AGS}/score`,
  members: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
};
const CONTEXT = '/demo/platform/contexts/demo-course-physics-101';

describe('demo platform: services', () => {
  let tool: FakeTool;
  let platform: DemoPlatform;
  let app: Express;

  before(async () => {
    tool = await startFakeTool();
    platform = await createDemoPlatform({
      publicUrl: PUBLIC_URL,
      tool: { loginUrl: `${PUBLIC_URL}/lti/login`, launchUrl: `${PUBLIC_URL}/lti/launch`, jwksUrl: tool.jwksUrl },
      logger: createLogger('silent'),
    });
    app = express().use('/demo', platform.router);
  });
  after(() => tool.close());

  function assertion(overrides: Record<string, unknown> = {}, header?: Record<string, unknown>): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: 'demo-tool', sub: 'demo-tool', aud: platform.registration.accessTokenUrl, iat: now };
    return tool.sign({ ...claims, exp: now + 60, jti: randomUUID(), ...overrides }, header);
  }

  function tokenRequest(fields: Record<string, string>) {
    return request(app)
      .post('/demo/platform/token')
      .type('form')
      .send({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion(),
        scope: Object.values(SCOPE).join(' '),
        ...fields,
      });
  }

  async function accessToken(...scopes: string[]): Promise<string> {
    const res = await tokenRequest({ scope: scopes.join(' ') }).expect(200);
    return (res.body as { access_token: string }).access_token;
  }

  describe('NRPS', () => {
    it('pages the 25-member roster with Link rel="next" headers', async () => {
      const auth = `Bearer ${await accessToken(SCOPE.members)}`;
      let next: string | undefined = `${CONTEXT}/memberships`;
      const pages: number[] = [];
      const ids: string[] = [];
      while (next) {
        const res: request.Response = await request(app)
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
      const learners = await request(app)
        .get(`${CONTEXT}/memberships?role=Learner&limit=100`)
        .set('authorization', auth)
        .expect(200);
      assert.equal(learners.body.members.length, 22);
      assert.equal(learners.headers.link?.includes('rel="next"'), false);
      const uri = encodeURIComponent('http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor');
      const instructors = await request(app)
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
      await request(app).get(`${CONTEXT}/memberships?limit=abc`).set('authorization', auth).expect(400);
    });

    it('requires the membership scope', async () => {
      await request(app).get(`${CONTEXT}/memberships`).expect(401);
      const auth = `Bearer ${await accessToken(SCOPE.score)}`;
      await request(app).get(`${CONTEXT}/memberships`).set('authorization', auth).expect(403);
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
