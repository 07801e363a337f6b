import assert from 'node:assert/strict';

/** A browser's side of the LTI 1.3 OIDC round trip, over real HTTP, with its own cookie jar. */
export class LtiBrowser {
  private readonly cookies = new Map<string, string>();
  /** `blockCookies`: keeps none, as a browser that blocks the tool's cookies inside an LMS frame. */
  constructor(
    readonly baseUrl: string,
    private readonly options: { blockCookies?: boolean } = {},
  ) {}

  async get(url: string): Promise<Response> {
    return this.request(url, { method: 'GET' });
  }

  async postForm(url: string, fields: Record<string, string>): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const absolute = new URL(url, this.baseUrl);
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && absolute.origin === new URL(this.baseUrl).origin) {
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const res = await fetch(absolute, { ...init, headers, redirect: 'manual' });
    for (const line of this.options.blockCookies ? [] : res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, value] = (pair as string).split('=') as [string, string];
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0$/i.test(a));
      if (expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    return res;
  }

  forgetCookies(): void {
    this.cookies.clear();
  }
}

export interface LoginStarted {
  state: string;
  nonce: string;
  /** The demo platform's authorization URL our login redirected to. */
  authUrl: string;
}

/** Starts an OIDC login at the tool the way the demo LMS would, and returns what the tool asked for. */
export async function startToolLogin(browser: LtiBrowser, params: Record<string, string>): Promise<LoginStarted> {
  const res = await browser.get(`/lti/login?${new URLSearchParams(params)}`);
  assert.equal(res.status, 302, `login answered ${res.status}: ${await res.text()}`);
  const authUrl = new URL(res.headers.get('location') as string);
  return {
    state: authUrl.searchParams.get('state') as string,
    nonce: authUrl.searchParams.get('nonce') as string,
    authUrl: authUrl.toString(),
  };
}

/** Parses the auto-submitting form the platform returns: its action and hidden fields. */
export function parseAutoPostForm(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]+)"/i.exec(html)?.[1];
  assert.ok(action, `no form in:\n${html.slice(0, 500)}`);
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi))
    fields[m[1] as string] = decode(m[2] as string);
  return { action: decode(action), fields };
}

const decode = (s: string): string =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

export interface LaunchResult {
  status: number;
  location?: string;
  /** The launcher's bearer token, when the launch was accepted. */
  token?: string;
  body: string;
}

/** Posts an id_token + state to the tool's launch endpoint. */
export async function postLaunch(browser: LtiBrowser, fields: Record<string, string>): Promise<LaunchResult> {
  const res = await browser.postForm('/lti/launch', fields);
  const location = res.headers.get('location') ?? undefined;
  const token = location ? /#token=([^&]+)/.exec(location)?.[1] : undefined;
  return { status: res.status, location, token: token && decodeURIComponent(token), body: await res.text() };
}

/**
 * The full round trip through the demo LMS: its launch button -> our /lti/login -> its OIDC
 * authorization endpoint (signs a real id_token) -> our /lti/launch.
 */
export async function launchThroughDemo(
  browser: LtiBrowser,
  query: {
    role: 'instructor' | 'student' | 'observer';
    message?: 'resource' | 'deeplink';
    activity?: string;
    /** A demo user id (roster or made up); defaults to the role's first roster member. */
    user?: string;
    /** The launch language the demo LMS sends (`en-US`, the default, or `es-ES`). */
    locale?: 'en-US' | 'es-ES';
    /** `off`: the demo LMS launches without the NRPS (course roster) claim. */
    nrps?: 'on' | 'off';
    /** `on`: the demo LMS offers platform storage (`lti_storage_target`); see startStorageLaunch. */
    storage?: 'on' | 'off';
  },
): Promise<LaunchResult> {
  const start = await browser.get(`/demo/platform/launch?${new URLSearchParams(query)}`);
  assert.equal(start.status, 302, await start.text());
  const login = await browser.get(start.headers.get('location') as string);
  assert.equal(login.status, 302, await login.text());
  const auth = await browser.get(login.headers.get('location') as string);
  const html = await auth.text();
  assert.equal(auth.status, 200, html);
  const form = parseAutoPostForm(html);
  assert.equal(new URL(form.action).pathname, '/lti/launch');
  return postLaunch(browser, form.fields);
}

/**
 * The demo course's first class as its teacher leaves it on the first day: opened once, so the link's
 * default class exists and a student who launches before any teacher finds it. (A link no teacher opened
 * makes its students wait; test/integration/moodle-links.test.ts covers that with links of its own.)
 */
export async function openFirstClassAsTeacher(toolUrl: string): Promise<void> {
  const result = await launchThroughDemo(new LtiBrowser(toolUrl), { role: 'instructor' });
  assert.equal(result.status, 303, `the teacher's first launch failed: ${result.body.slice(0, 400)}`);
}

/** The OIDC login parameters the demo LMS would send the tool at `toolUrl`; `overrides` change any of them. */
export function demoLoginParams(
  demo: { registration: { issuer: string; clientId: string; deploymentId: string } },
  toolUrl: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    iss: demo.registration.issuer,
    client_id: demo.registration.clientId,
    lti_deployment_id: demo.registration.deploymentId,
    login_hint: 'demo-user',
    target_link_uri: `${toolUrl}/lti/launch`,
    ...overrides,
  };
}

/** The settings a platform storage page gives /lti/storage.js (src/http/lti-storage-page.ts). */
export interface StorageConfig {
  mode: 'put' | 'get';
  target: string;
  origin: string;
  keys: { state: string; nonce: string };
  state?: string;
  nonce?: string;
  next?: string;
  timeoutMs: number;
}

export function parseStorageConfig(html: string): StorageConfig {
  const raw = /id="lti-storage"[^>]*data-config="([^"]*)"/.exec(html)?.[1];
  assert.ok(raw, `no platform storage settings in:\n${html.slice(0, 500)}`);
  return JSON.parse(decode(raw)) as StorageConfig;
}

export interface StorageLaunchStarted {
  /** What the login page stores in the platform (lti.put_data): state and nonce under their keys. */
  login: StorageConfig;
  /** What the launch page reads back (lti.get_data). */
  launch: StorageConfig;
  /** The launch page's form, as it would post it without any stored value. */
  fields: Record<string, string>;
}

/**
 * A demo LMS launch with platform storage on, up to the tool's storage launch page: its login answers with the
 * page that puts state and nonce in the platform, and its launch (without the cookie) with the page that reads
 * them back. Use a browser that blocks cookies for the second page to appear.
 */
export async function startStorageLaunch(
  browser: LtiBrowser,
  query: { role: 'instructor' | 'student' | 'observer'; activity?: string },
): Promise<StorageLaunchStarted> {
  const start = await browser.get(`/demo/platform/launch?${new URLSearchParams({ ...query, storage: 'on' })}`);
  assert.equal(start.status, 302, await start.text());
  const loginRes = await browser.get(start.headers.get('location') as string);
  const loginHtml = await loginRes.text();
  assert.equal(loginRes.status, 200, loginHtml);
  const login = parseStorageConfig(loginHtml);
  const auth = await browser.get(login.next as string);
  const form = parseAutoPostForm(await auth.text());
  const launchRes = await browser.postForm('/lti/launch', form.fields);
  const launchHtml = await launchRes.text();
  assert.equal(launchRes.status, 200, launchHtml);
  const page = parseAutoPostForm(launchHtml);
  assert.equal(page.action, 'launch/storage');
  return { login, launch: parseStorageConfig(launchHtml), fields: page.fields };
}

/** Posts the storage launch page's form, with what the page read from the platform, to /lti/launch/storage. */
export async function postStorageLaunch(browser: LtiBrowser, fields: Record<string, string>): Promise<LaunchResult> {
  const res = await browser.postForm('/lti/launch/storage', fields);
  const location = res.headers.get('location') ?? undefined;
  const token = location ? /#token=([^&]+)/.exec(location)?.[1] : undefined;
  return { status: res.status, location, token: token && decodeURIComponent(token), body: await res.text() };
}
