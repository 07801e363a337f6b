import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import request from 'supertest';
import { createDemoPlatform, type DemoPlatform } from '../../src/dev/demo-platform.js';
import { createLogger } from '../../src/log.js';
import { startFakeTool, type FakeTool } from './platform-signer.js';

export const PUBLIC_URL = 'http://127.0.0.1:3000';
const AGS = 'https://purl.imsglobal.org/spec/lti-ags/scope';
export const SCOPE = {
  lineItem: `${AGS}/lineitem`,
  lineItemReadOnly: `${AGS}/lineitem.readonly`,
  result: `${AGS}/result.readonly`,
  score: `${AGS}/score`,
  members: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
};
export const CONTEXT = '/demo/platform/contexts/demo-course-physics-101';

export interface DemoHarness {
  tool: FakeTool;
  platform: DemoPlatform;
  app: Express;
  /** A client assertion (RFC 7523) signed by the fake tool. */
  assertion(overrides?: Record<string, unknown>, header?: Record<string, unknown>): string;
  tokenRequest(fields: Record<string, string>): request.Test;
  accessToken(...scopes: string[]): Promise<string>;
}

/** The demo LMS on a bare express app, with a fake tool JWKS; registers the mocha hooks it needs. */
export function useDemoHarness(): DemoHarness {
  const h = {} as DemoHarness;
  before(async () => {
    h.tool = await startFakeTool();
    h.platform = await createDemoPlatform({
      publicUrl: PUBLIC_URL,
      tool: { loginUrl: `${PUBLIC_URL}/lti/login`, launchUrl: `${PUBLIC_URL}/lti/launch`, jwksUrl: h.tool.jwksUrl },
      logger: createLogger('silent'),
    });
    h.app = express().use('/demo', h.platform.router);
  });
  after(() => h.tool.close());

  h.assertion = (overrides = {}, header) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: 'demo-tool', sub: 'demo-tool', aud: h.platform.registration.accessTokenUrl, iat: now };
    return h.tool.sign({ ...claims, exp: now + 60, jti: randomUUID(), ...overrides }, header);
  };
  h.tokenRequest = (fields) =>
    request(h.app)
      .post('/demo/platform/token')
      .type('form')
      .send({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: h.assertion(),
        scope: Object.values(SCOPE).join(' '),
        ...fields,
      });
  h.accessToken = async (...scopes) => {
    const res = await h.tokenRequest({ scope: scopes.join(' ') }).expect(200);
    return (res.body as { access_token: string }).access_token;
  };
  return h;
}
