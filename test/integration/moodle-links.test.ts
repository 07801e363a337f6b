import assert from 'node:assert/strict';
import type { DemoPlatform } from '../../src/dev/demo-platform.js';
import { demoLoginParams, launchThroughDemo, LtiBrowser, postLaunch, startToolLogin } from '../support/lti-launch.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim';

/**
 * The demo LMS with Moodle's precedence (tool-level custom parameters override a link's own), a deep-linked
 * and a plain link, each launched as teacher and student. Moodle 4.4 with the earlier registration (a
 * tool-level `activity_id=$ResourceLink.id`) sent `activity_id: "1"` on every launch.
 */
describe('LTI links as Moodle launches them: deep-linked and plain, teacher and student', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let registered: string;

  before(async () => {
    env = await useTestEnvironment();
    registered = toolCustomText(await coursePage());
  });
  afterEach(() => setToolCustom(registered));

  const coursePage = async () => (await fetch(`${env.tool.url}/demo`)).text();
  const toolCustomText = (html: string) =>
    (/<textarea id="tool-custom"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1] ?? '').replace(/&#39;/g, "'");
  const linkIds = (html: string) => [...html.matchAll(/value="(demo-activity-\d+)"/g)].map((m) => m[1] as string);

  async function setToolCustom(text: string) {
    const res = await fetch(`${env.tool.url}/demo/tool-settings`, {
      method: 'POST',
      body: new URLSearchParams({ custom: text }),
      redirect: 'manual',
    });
    assert.equal(res.status, 303, await res.text());
  }

  async function addPlainLink(title: string): Promise<string> {
    const before = new Set(linkIds(await coursePage()));
    const res = await fetch(`${env.tool.url}/demo/activities`, {
      method: 'POST',
      body: new URLSearchParams({ title }),
      redirect: 'manual',
    });
    assert.equal(res.status, 303, await res.text());
    const id = linkIds(await coursePage()).find((l) => !before.has(l));
    assert.ok(id, 'the course lists the plain link');
    return id;
  }

  async function addDeepLinked(title: string): Promise<{ linkId: string; activityId: string }> {
    const teacher = new LtiBrowser(env.tool.url);
    const launch = await launchThroughDemo(teacher, { role: 'instructor', message: 'deeplink' });
    assert.equal(launch.status, 303, launch.body);
    const created = await api(launch.token as string, '/deep-linking', { title });
    assert.equal(created.status, 201, await created.clone().text());
    const { returnUrl, jwt, activityId } = (await created.json()) as Record<string, string>;
    const before = new Set(linkIds(await coursePage()));
    const returned = await teacher.postForm(returnUrl as string, { JWT: jwt as string });
    assert.equal(returned.status, 200, await returned.text());
    const linkId = linkIds(await coursePage()).find((l) => !before.has(l));
    assert.ok(linkId);
    return { linkId, activityId: activityId as string };
  }

  const api = (token: string, path: string, body?: unknown) =>
    fetch(`${env.tool.url}/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function launch(role: 'instructor' | 'student', activity: string): Promise<string> {
    const result = await launchThroughDemo(new LtiBrowser(env.tool.url), { role, activity });
    assert.equal(result.status, 303, result.body.slice(0, 600));
    return result.token as string;
  }

  const me = async (token: string) => (await (await api(token, '/me')).json()) as Record<string, any>;

  async function assertOpens(linkId: string, expected: { id?: string; title: string }) {
    const ids = new Set<string>();
    for (const role of ['instructor', 'student'] as const) {
      const body = await me(await launch(role, linkId));
      assert.equal(body.activity?.settings.title, expected.title, `${role}: ${JSON.stringify(body)}`);
      if (expected.id) assert.equal(body.activity.id, expected.id);
      ids.add(body.activity.id);
      assert.equal(body.room?.state, 'created');
    }
    assert.equal(ids.size, 1, 'teacher and student are in the same class');
  }

  it('registers no tool-level parameter that collides with the link parameter deep linking writes', () => {
    assert.doesNotMatch(registered, /^activity_id=/m);
    assert.match(registered, /user_locale=\$Message\.locale/);
  });

  for (const [registration, toolCustom] of [
    ['as registered now', undefined],
    // A Moodle registered before the fix: its tool-level activity_id overrides the link's with the link id.
    ['registered with the old tool-level activity_id=$ResourceLink.id', 'activity_id=$ResourceLink.id'],
    ['with an activity_id variable the LMS leaves unsubstituted', 'activity_id=$Unknown.variable'],
  ] as const) {
    it(`opens a deep-linked link's own class for teacher and student (${registration})`, async () => {
      const { linkId, activityId } = await addDeepLinked(`Deep-linked ${registration}`);
      if (toolCustom) await setToolCustom(`${registered}\n${toolCustom}`);
      await assertOpens(linkId, { id: activityId, title: `Deep-linked ${registration}` });
    });

    it(`opens a plain link's default class, set up by the teacher's first launch (${registration})`, async () => {
      if (toolCustom) await setToolCustom(`${registered}\n${toolCustom}`);
      const linkId = await addPlainLink(`Plain ${registration}`);
      const early = await launch('student', linkId);
      const waiting = await me(early);
      assert.equal(waiting.activity, undefined);
      assert.equal(waiting.activityPending, true);
      const token = await api(early, '/room/token', {});
      assert.equal(token.status, 409);
      assert.equal(((await token.json()) as any).error.code, 'ACTIVITY_NOT_SET_UP');

      await assertOpens(linkId, { title: `Plain ${registration}` });
      // The student who launched early gets the class without relaunching.
      const later = await me(early);
      assert.equal(later.activity?.settings.title, `Plain ${registration}`);
      assert.equal(later.activityPending, undefined);
    });
  }

  it('counts an unsubstituted $Variable as absent (user_timezone=$Person.address.timezone)', async () => {
    const body = await me(await launch('student', await addPlainLink('Timezone check')));
    assert.equal(body.timezone, undefined);
  });

  it("refuses a link naming another course's activity with ACTIVITY_NOT_FOUND, before anything is shown", async () => {
    const { activityId } = await addDeepLinked('Course A only');
    const demo = env.tool.demo as DemoPlatform;
    const browser = new LtiBrowser(env.tool.url);
    const login = await startToolLogin(browser, demoLoginParams(demo, env.tool.url));
    const claims = demo.idTokenClaims({ role: 'instructor', nonce: login.nonce });
    claims[`${LTI}/context`] = { id: 'another-course', title: 'Another course' };
    claims[`${LTI}/resource_link`] = { id: 'copied-link' };
    claims[`${LTI}/custom`] = { activity_id: activityId };
    const result = await postLaunch(browser, { id_token: demo.sign(claims), state: login.state });
    assert.equal(result.status, 404, result.body.slice(0, 400));
    assert.ok(result.body.includes('<code>ACTIVITY_NOT_FOUND</code>'));
    assert.doesNotMatch(result.body, /Course A only/);
    assert.equal(result.token, undefined);
  });
});
