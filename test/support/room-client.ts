import assert from 'node:assert/strict';
import { launchThroughDemo, LtiBrowser } from './lti-launch.js';

export type DemoRole = 'instructor' | 'student' | 'observer';

/** One launched user: the launcher's bearer token and helpers for the room API. */
export class LaunchedUser {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  static async launch(baseUrl: string, role: DemoRole, activity?: string, user?: string): Promise<LaunchedUser> {
    const result = await launchThroughDemo(new LtiBrowser(baseUrl), {
      role,
      ...(activity ? { activity } : {}),
      ...(user ? { user } : {}),
    });
    assert.equal(result.status, 303, result.body);
    return new LaunchedUser(baseUrl, result.token as string);
  }

  request(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async json<T = any>(method: string, path: string, body?: unknown, expectStatus = 200): Promise<T> {
    const res = await this.request(method, path, body);
    const text = await res.text();
    assert.equal(res.status, expectStatus, `${method} ${path}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** POST /api/room/token: `{ url, token, identity, expiresAt, room }`. */
  joinGrant(): Promise<{ url: string; token: string; identity: string; expiresAt: string; room: string }> {
    return this.json('POST', '/room/token');
  }

  /** Creates a live class through deep linking (as an instructor) and returns the demo's new resource link id. */
  static async createActivity(baseUrl: string, settings: Record<string, unknown>): Promise<string> {
    const browser = new LtiBrowser(baseUrl);
    const launch = await launchThroughDemo(browser, { role: 'instructor', message: 'deeplink' });
    const teacher = new LaunchedUser(baseUrl, launch.token as string);
    const { returnUrl, jwt } = await teacher.json('POST', '/deep-linking', settings, 201);
    const page = await browser.postForm(returnUrl, { JWT: jwt });
    assert.equal(page.status, 200, await page.text());
    const course = await (await fetch(`${baseUrl}/demo`)).text();
    const ids = [...course.matchAll(/value="(demo-activity-\d+)"/g)].map((m) => m[1] as string);
    const id = ids.pop();
    assert.ok(id, 'new activity listed in the demo course');
    return id;
  }
}

/** The grants inside a LiveKit join token (decoded, not verified: the SFU verifies). */
export function videoGrant(token: string): Record<string, any> {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Record<string, any>;
  return payload.video as Record<string, any>;
}
