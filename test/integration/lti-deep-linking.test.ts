import assert from 'node:assert/strict';
import { launchThroughDemo, LtiBrowser } from '../support/lti-launch.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

describe('deep linking: a teacher adds a live class', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  before(async () => {
    env = await useTestEnvironment();
  });

  const api = (token: string, path: string, body?: unknown) =>
    fetch(`${env.tool.url}/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('stores the settings, returns a signed LtiResourceLink the LMS verifies, and later launches find them', async () => {
    const teacher = new LtiBrowser(env.tool.url);
    const launch = await launchThroughDemo(teacher, { role: 'instructor', message: 'deeplink' });
    assert.equal(launch.status, 303, launch.body);
    const token = launch.token as string;
    const me = (await (await api(token, '/me')).json()) as any;
    assert.equal(me.messageType, 'LtiDeepLinkingRequest');
    assert.equal(me.activity, undefined);

    const settings = {
      title: 'Optics review',
      description: 'Live Q&A before the exam',
      startAt: '2026-12-01T09:00:00.000Z',
      durationMinutes: 90,
      audioOnly: false,
      publishers: 'instructors',
      waitingRoom: true,
      joinBeforeInstructor: false,
      maxParticipants: 40,
      grading: { enabled: true, maxPoints: 20, policy: 'threshold', thresholdPercent: 80 },
    };
    const created = await api(token, '/deep-linking', settings);
    assert.equal(created.status, 201, await created.clone().text());
    const { returnUrl, jwt, activityId } = (await created.json()) as {
      returnUrl: string;
      jwt: string;
      activityId: string;
    };

    const [, payload] = jwt.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, any>;
    const item = claims['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'][0];
    assert.equal(item.type, 'ltiResourceLink');
    assert.equal(item.title, 'Optics review');
    assert.deepEqual(item.custom, { activity_id: activityId });
    assert.deepEqual(item.lineItem, {
      scoreMaximum: 20,
      label: 'Optics review — attendance',
      resourceId: activityId,
      tag: 'live-class-attendance',
    });
    assert.deepEqual(item.available, {
      startDateTime: '2026-12-01T09:00:00.000Z',
      endDateTime: '2026-12-01T10:30:00.000Z',
    });

    // The launcher posts the JWT to the LMS; the demo LMS verifies it against our /lti/keys.
    const returned = await teacher.postForm(returnUrl, { JWT: jwt });
    const page = await returned.text();
    assert.equal(returned.status, 200, page);
    assert.match(page, /Optics review/);

    const course = await (await fetch(`${env.tool.url}/demo`)).text();
    const resourceLinkId = [...course.matchAll(/value="(demo-activity-\d+)"/g)].map((m) => m[1]).pop();
    assert.ok(resourceLinkId, 'the course lists the new activity');

    const student = await launchThroughDemo(new LtiBrowser(env.tool.url), {
      role: 'student',
      activity: resourceLinkId,
    });
    assert.equal(student.status, 303, student.body);
    const studentMe = (await (await api(student.token as string, '/me')).json()) as any;
    assert.equal(studentMe.activity.id, activityId);
    assert.deepEqual(studentMe.activity.settings, { ...settings });
  });

  it('answers invalid settings with 400 VALIDATION_FAILED naming the fields', async () => {
    const launch = await launchThroughDemo(new LtiBrowser(env.tool.url), { role: 'instructor', message: 'deeplink' });
    const res = await api(launch.token as string, '/deep-linking', {
      title: '',
      maxParticipants: 1,
      publishers: 'nobody',
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as any;
    assert.equal(body.error.code, 'VALIDATION_FAILED');
    const fields = body.error.details.fields.map((f: { path: string }) => f.path).sort();
    assert.deepEqual(fields, ['maxParticipants', 'publishers', 'title']);
  });

  it('keeps recordings no longer than the deployment: /me says its retention, a longer one is refused as a field', async () => {
    const launch = await launchThroughDemo(new LtiBrowser(env.tool.url), { role: 'instructor', message: 'deeplink' });
    const token = launch.token as string;
    const me = (await (await api(token, '/me')).json()) as { recordingRetentionDays?: number };
    const max = me.recordingRetentionDays as number;
    assert.ok(Number.isInteger(max) && max >= 1, JSON.stringify(me));
    const longer = await api(token, '/deep-linking', { title: 'Kept too long', recording: { retentionDays: max + 1 } });
    assert.equal(longer.status, 400);
    const body = (await longer.json()) as any;
    assert.equal(body.error.code, 'VALIDATION_FAILED');
    assert.deepEqual(
      body.error.details.fields.map((f: { path: string }) => f.path),
      ['recording.retentionDays'],
    );
    for (const retentionDays of [0, 1.5]) {
      const bad = await api(token, '/deep-linking', { title: 'Bad', recording: { retentionDays } });
      assert.equal(bad.status, 400, String(retentionDays));
    }
    const kept = await api(token, '/deep-linking', { title: 'Kept a week', recording: { retentionDays: 7 } });
    assert.equal(kept.status, 201, await kept.text());
  });

  it('refuses the deep linking endpoint to a resource link launch', async () => {
    const launch = await launchThroughDemo(new LtiBrowser(env.tool.url), { role: 'instructor' });
    const res = await api(launch.token as string, '/deep-linking', { title: 'x' });
    assert.equal(res.status, 403);
  });
});
