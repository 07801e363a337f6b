import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DemoPlatform } from '../../src/dev/demo-platform.js';
import { LtiBrowser, postLaunch, startToolLogin } from '../support/lti-launch.js';
import { LaunchedUser, TestParticipant, useSfuFixture, waitUntil, type Grant } from '../support/room-client.js';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

interface OwnPlatform {
  id: string;
  clientId: string;
  deploymentId: string;
  resourceLinkId: string;
}

describe('revocation reaches existing sessions and live rooms', function () {
  this.timeout(120_000);
  const fixture = useSfuFixture('revoked-learner');
  const url = () => fixture.env.tool.url;
  const demo = () => fixture.env.tool.demo as DemoPlatform;
  const created: string[] = [];
  after(async () => {
    for (const id of created) await admin('DELETE', `/platforms/${id}`);
  });

  const admin = (method: string, route: string, body?: unknown) =>
    fetch(`${url()}/api/admin${route}`, {
      method,
      headers: { authorization: `Bearer ${fixture.env.config.admin.apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  /** A registration of its own (the demo LMS's issuer and key, another client id), so removing it harms no one. */
  async function registerPlatform(): Promise<OwnPlatform> {
    const r = demo().registration;
    const clientId = `revocable-${randomUUID().slice(0, 8)}`;
    const res = await admin('POST', '/platforms', {
      issuer: r.issuer,
      clientId,
      name: 'Revocable LMS',
      authLoginUrl: r.authLoginUrl,
      accessTokenUrl: r.accessTokenUrl,
      jwksUrl: r.jwksUrl,
      deploymentIds: ['revocable-1'],
    });
    assert.equal(res.status, 201, await res.clone().text());
    const { id } = (await res.json()) as { id: string };
    created.push(id);
    return { id, clientId, deploymentId: 'revocable-1', resourceLinkId: `link-${clientId}` };
  }

  /** A real OIDC login and launch through that registration, with an id_token the demo LMS key signs. */
  async function launchOn(platform: OwnPlatform, role: 'instructor' | 'student', userId: string) {
    const browser = new LtiBrowser(url());
    const login = await startToolLogin(browser, {
      iss: demo().registration.issuer,
      client_id: platform.clientId,
      login_hint: userId,
      lti_deployment_id: platform.deploymentId,
      target_link_uri: `${fixture.env.config.server.publicUrl}/lti/launch`,
    });
    const claims = demo().idTokenClaims({
      role,
      nonce: login.nonce,
      userId,
      resourceLinkId: platform.resourceLinkId,
    });
    Object.assign(claims, { aud: platform.clientId, azp: platform.clientId });
    claims[`${LTI}deployment_id`] = platform.deploymentId;
    const result = await postLaunch(browser, { id_token: demo().sign(claims), state: login.state });
    assert.equal(result.status, 303, result.body.slice(0, 600));
    return new LaunchedUser(url(), result.token as string);
  }

  /** Every authenticated route answers 401 SESSION_REVOKED with a sentence, and mints nothing. */
  async function assertRevoked(user: LaunchedUser): Promise<void> {
    for (const [method, path] of [
      ['GET', '/me'],
      ['GET', '/room'],
      ['POST', '/room/token'],
      ['POST', '/room/lock'],
    ] as const) {
      const res = await user.request(method, path);
      const body = (await res.json()) as { error?: { code: string; message: string } };
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.equal(body.error?.code, 'SESSION_REVOKED', `${method} ${path}`);
      assert.match(body.error?.message ?? '', /^[A-Z].+\.$/, 'a sentence');
    }
  }

  /** Everyone of the room is gone from the SFU, and a token minted before cannot bring anyone back. */
  async function assertEvicted(people: TestParticipant[], spare: Grant): Promise<void> {
    await waitUntil(() => people.every((p) => p.disconnected), 10_000, 'everyone disconnected');
    assert.deepEqual(await fixture.gateway.listRooms([spare.room]), [], 'the room is gone from the SFU');
    const back = await TestParticipant.connect(spare).catch(() => undefined);
    if (back) {
      fixture.disconnectAfterTest(back);
      await waitUntil(() => back.disconnected, 15_000, 'the returning participant turned away');
    }
    assert.equal(await fixture.onSfu(spare), undefined);
  }

  it('revoking an API key ends the sessions of its join links at once and empties its live rooms', async () => {
    const res = await admin('POST', '/api-keys', { name: 'revoked integrator' });
    const { id: keyId, key } = (await res.json()) as { id: string; key: string };
    const space = `space-${randomUUID().slice(0, 8)}`;
    const join = async (user: Record<string, unknown>) => {
      const res = await fetch(`${url()}/api/v1/spaces/launch`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({ id: space, user }),
      });
      const { client_url } = (await res.json()) as { client_url: string };
      const redirect = await fetch(client_url.replace(fixture.env.config.server.publicUrl, url()), {
        redirect: 'manual',
      });
      const token = /#token=(.+)$/.exec(redirect.headers.get('location') ?? '')?.[1];
      assert.ok(token, 'a launcher session');
      return new LaunchedUser(url(), decodeURIComponent(token));
    };
    const leader = await join({ id: 'lead', name: 'Lead', leader: true });
    const learner = await join({ id: 'learn', name: 'Learner' });
    const t = await fixture.connect(leader);
    const s = await fixture.connect(learner);
    const spare = await learner.joinGrant();
    await leader.json('GET', '/me');

    assert.equal((await admin('DELETE', `/api-keys/${keyId}`)).status, 204);
    await assertRevoked(leader);
    await assertRevoked(learner);
    await assertEvicted([t.p, s.p], spare);
  });

  it('deleting a platform ends its users’ sessions at once and empties its live rooms', async () => {
    const platform = await registerPlatform();
    const teacher = await launchOn(platform, 'instructor', 'rev-teacher-1');
    const student = await launchOn(platform, 'student', 'rev-student-1');
    const t = await fixture.connect(teacher);
    const s = await fixture.connect(student);
    const spare = await student.joinGrant();
    assert.equal((await student.json('GET', '/me')).platform.id, platform.id);

    assert.equal((await admin('DELETE', `/platforms/${platform.id}`)).status, 204);
    await assertRevoked(teacher);
    await assertRevoked(student);
    await assertEvicted([t.p, s.p], spare);
  });

  it('deactivating a platform ends its sessions for good: activating it again lets only new launches in', async () => {
    const platform = await registerPlatform();
    const teacher = await launchOn(platform, 'instructor', 'rev-teacher-2');
    const student = await launchOn(platform, 'student', 'rev-student-2');
    const t = await fixture.connect(teacher);
    const s = await fixture.connect(student);
    const spare = await student.joinGrant();

    const off = await admin('POST', `/platforms/${platform.id}/deactivate`);
    assert.equal(off.status, 200, await off.clone().text());
    assert.equal(((await off.json()) as { active: boolean }).active, false);
    await assertRevoked(teacher);
    await assertRevoked(student);
    await assertEvicted([t.p, s.p], spare);

    assert.equal((await admin('POST', `/platforms/${platform.id}/activate`)).status, 200);
    await assertRevoked(student);
    const relaunched = await launchOn(platform, 'student', 'rev-student-2');
    assert.equal((await relaunched.json('GET', '/me')).user.role, 'participant');
    assert.equal((await admin('POST', '/platforms/not-an-id/deactivate')).status, 404);
  });
});
