import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { clearStateCookieOptions, stateCookieOptions } from '../../src/http/lti-router.js';

function setCookieFor(secure: boolean): Promise<string> {
  const app = express().get('/', (_req, res) => res.cookie('lti_state_abc', '1', stateCookieOptions(secure)).end());
  return request(app)
    .get('/')
    .then((res) => String(res.headers['set-cookie']));
}

describe('OIDC state cookie', () => {
  it('over https is Secure, SameSite=None and Partitioned (CHIPS), so it works inside an LMS iframe', async () => {
    const cookie = await setCookieFor(true);
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=None', 'Partitioned', 'Path=/lti', 'Max-Age=600']) {
      assert.ok(cookie.includes(attribute), `${attribute} missing in ${cookie}`);
    }
  });

  it('is cleared with the same Secure, SameSite=None and Partitioned attributes, so the partitioned one goes', async () => {
    const app = express().get('/', (_req, res) =>
      res.clearCookie('lti_state_abc', clearStateCookieOptions(true)).end(),
    );
    const cookie = String((await request(app).get('/')).headers['set-cookie']);
    for (const attribute of ['Secure', 'SameSite=None', 'Partitioned', 'Path=/lti', 'Expires=Thu, 01 Jan 1970']) {
      assert.ok(cookie.includes(attribute), `${attribute} missing in ${cookie}`);
    }
  });

  it('over plain-http development is SameSite=Lax without Secure (browsers drop Secure cookies on http)', async () => {
    const cookie = await setCookieFor(false);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure|Partitioned/);
  });
});
