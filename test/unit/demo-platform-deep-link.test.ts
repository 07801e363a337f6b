import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { PUBLIC_URL, useDemoHarness } from '../support/demo-harness.js';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim';
const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim';

describe('demo platform: deep linking return', () => {
  const h = useDemoHarness();

  /** The `data` of a fresh deep linking request, which the response must echo. */
  function requestData(): string {
    const claims = h.platform.idTokenClaims({ role: 'instructor', messageType: 'LtiDeepLinkingRequest', nonce: 'n' });
    return (claims[`${DL}/deep_linking_settings`] as { data: string }).data;
  }

  /** What ltijs's DeepLinking.createDeepLinkingMessage signs, with `overrides` applied. */
  function response(items: unknown[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: 'demo-tool',
      aud: h.platform.registration.issuer,
      iat: now,
      exp: now + 60,
      nonce: randomUUID(),
      [`${LTI}/deployment_id`]: 'demo-deployment-1',
      [`${LTI}/message_type`]: 'LtiDeepLinkingResponse',
      [`${LTI}/version`]: '1.3.0',
      [`${DL}/content_items`]: items,
      [`${DL}/data`]: requestData(),
      ...overrides,
    };
  }

  const liveClass = {
    type: 'ltiResourceLink',
    title: 'Thursday lab <live>',
    url: `${PUBLIC_URL}/lti/launch`,
    custom: { activity_id: 'room-42' },
    lineItem: { scoreMaximum: 10, label: 'Lab attendance', tag: 'attendance' },
  };

  const post = (jwt: string | undefined) =>
    request(h.app)
      .post('/demo/platform/deep-link-return')
      .type('form')
      .send(jwt === undefined ? {} : { JWT: jwt });

  it('verifies the response, adds the activity with its line item and shows it on the course page', async () => {
    const res = await post(h.tool.sign(response([liveClass]))).expect(200);
    assert.match(res.text, /Activity added: Thursday lab &lt;live&gt;/);
    assert.match(res.text, /href="\/demo" target="_top"/);

    const course = await request(h.app).get('/demo').expect(200);
    const id = /<option value="(demo-activity-\d+)">Thursday lab &lt;live&gt;<\/option>/.exec(course.text)?.[1];
    assert.ok(id, 'the new activity is selectable on the course page');

    await request(h.app).get(`/demo/platform/launch?role=student&activity=${id}`).expect(302);
    const claims = h.platform.idTokenClaims({ role: 'student', nonce: 'n', resourceLinkId: id });
    assert.deepEqual(claims[`${LTI}/custom`], { activity_id: 'room-42' });
    assert.deepEqual(claims[`${LTI}/resource_link`], { id, title: 'Thursday lab <live>' });
    const ags = claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] as { lineitem?: string };
    assert.match(ags.lineitem ?? '', /\/lineitems\/\d+$/);

    const gradebook = await request(h.app).get('/demo/gradebook').expect(200);
    assert.match(gradebook.text, /Lab attendance \(max 10\) — resource link demo-activity-\d+/);
  });

  it('accepts a response without content items (the instructor cancelled)', async () => {
    const res = await post(h.tool.sign(response([], { [`${DL}/msg`]: 'Nothing chosen' }))).expect(200);
    assert.match(res.text, /No activity added/);
    assert.match(res.text, /Nothing chosen/);
  });

  const refused: Array<[string, () => string | undefined, RegExp]> = [
    ['no JWT field', () => undefined, /JWT is missing/],
    ['a JWT signed by another key', () => h.platform.sign(response([liveClass])), /no key with kid/],
    ['alg HS256 in the header', () => h.tool.sign(response([liveClass]), { alg: 'HS256' }), /alg must be RS256/],
    ['a wrong iss', () => h.tool.sign(response([liveClass], { iss: 'x' })), /iss must be/],
    ['a wrong aud', () => h.tool.sign(response([liveClass], { aud: 'x' })), /aud must be/],
    ['no nonce', () => h.tool.sign(response([liveClass], { nonce: undefined })), /nonce is missing/],
    ['an expired token', () => h.tool.sign(response([liveClass], { exp: 1000 })), /expired/],
    [
      'a wrong message type',
      () => h.tool.sign(response([liveClass], { [`${LTI}/message_type`]: 'LtiResourceLinkRequest' })),
      /message_type/,
    ],
    ['a wrong version', () => h.tool.sign(response([liveClass], { [`${LTI}/version`]: '1.1' })), /version/],
    [
      'a wrong deployment',
      () => h.tool.sign(response([liveClass], { [`${LTI}/deployment_id`]: 'x' })),
      /deployment_id/,
    ],
    ['unknown data', () => h.tool.sign(response([liveClass], { [`${DL}/data`]: 'forged' })), /data must echo/],
    ['two items', () => h.tool.sign(response([liveClass, liveClass])), /accept_multiple/],
    ['a file item', () => h.tool.sign(response([{ type: 'file', url: 'https://x/f' }])), /type file is not accepted/],
    [
      'a negative scoreMaximum',
      () => h.tool.sign(response([{ ...liveClass, lineItem: { scoreMaximum: -1 } }])),
      /lineItem\.scoreMaximum/,
    ],
    ['garbage', () => 'not-a-jwt', /compact JWS/],
  ];
  for (const [name, jwt, reason] of refused) {
    it(`refuses ${name} with a 400 page`, async () => {
      const res = await post(jwt()).expect(400).expect('content-type', /html/);
      assert.match(res.text, reason);
    });
  }

  it('refuses a replayed response (the data and the nonce answer once)', async () => {
    const jwt = h.tool.sign(response([{ type: 'ltiResourceLink', title: 'Once' }]));
    await post(jwt).expect(200);
    const res = await post(jwt).expect(400);
    assert.match(res.text, /nonce was already used/);
    assert.match(res.text, /data must echo/);
  });
});
