import assert from 'node:assert/strict';
import { createHmac, createHash } from 'node:crypto';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { projectRoot } from '../../src/paths.js';
import { PARTICIPANT_ACTIONS, ROOM_ACTIONS, WAITING_ACTIONS } from '../../src/rooms/room-actions.js';
import { fuzzParam, fuzzString, mutate, Prng, sweep } from '../support/fuzz.js';
import { launchThroughDemo, LtiBrowser } from '../support/lti-launch.js';
import { LaunchedUser } from '../support/room-client.js';
import { routeTable, type RouteEntry } from '../support/route-table.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

/** Replay a failure with FUZZ_SEED=<seed>; each route draws from its own stream, so new routes shift nothing. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
/** Random cases per route; routes with a seed also get the sweep (every field with every SWEEP_VALUES entry). */
const CASES = 24;
const CONCURRENCY = 4;

/** What no answer may contain: stack frames, error class names, store errors, source paths. */
const INTERNAL_TEXT: ReadonlyArray<[string, RegExp]> = [
  ['a JS error name', /\b(?:Type|Reference|Syntax|Range|Eval|URI|Aggregate)Error\b/],
  ['a store error', /Mongo(?:Server|Network|Parse)?Error|MongooseError|CastError|ValidatorError|BSONError|E11000/],
  ['a stack frame', /\bat (?:async )?[\w$.<>[\]]+ \(|\bat (?:file:\/\/)?\/[^\s:]+:\d+:\d+/],
  ['a source location', /node:internal|node_modules\/|\.(?:ts|js|mjs|cjs):\d+:\d+/],
  ['the install path', new RegExp(projectRoot().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))],
  ['a stack property', /"stack"\s*:/],
];

/** Plausible bodies and queries per route (`METHOD /path`), which the fuzzer then breaks one field at a time. */
interface Seed {
  body?: Record<string, unknown>;
  /** The route reads an urlencoded form, not JSON. */
  form?: boolean;
  query?: Record<string, string>;
}

const SEEDS: Record<string, Seed> = {
  'POST /api/admin/platforms': {
    body: {
      issuer: 'https://fuzz-lms.example',
      clientId: 'fuzz-client',
      name: 'Fuzz LMS',
      authLoginUrl: 'https://fuzz-lms.example/auth',
      accessTokenUrl: 'https://fuzz-lms.example/token',
      jwksUrl: 'https://fuzz-lms.example/jwks',
      deploymentIds: ['d1'],
      roleMapping: { systemAdminIsInstructor: true, overrides: { Mentor: 'observer' } },
      frameOrigins: ['https://fuzz-lms.example'],
      branding: { color: '#123456', logoUrl: 'https://fuzz-lms.example/logo.png' },
    },
  },
  'POST /api/admin/api-keys': { body: { name: 'fuzz key' } },
  'PUT /api/v1/rooms/:roomId/layout': { body: { mode: 'grid', hide_camera_off: true } },
  'PATCH /api/v1/rooms/:roomId/metadata': { body: { topic: 'Fractions', level: null } },
  'PUT /api/v1/rooms/:roomId/members/:userId/metadata': { body: { seat: 'A4' } },
  'POST /api/v1/rooms/:roomId/remove-all': { body: { participants: ['u-0123456789abcdef'], exclude: [] } },
  'PUT /api/room/layout': { body: { mode: 'speaker', raisedHandsFirst: true } },
  'POST /api/v1/spaces/launch': {
    body: {
      id: 'fuzz-space',
      user: { id: 'fuzz-user', name: 'Ada', role: 'participant' },
      settings: { title: 'Fuzz space', maxParticipants: 5 },
      passcode: '123456',
      webhooks: {
        url: 'http://127.0.0.1:1/hook',
        events: ['session.started'],
        session: { start: 'http://127.0.0.1:1/start', end: null },
        user: { join: '' },
      },
      name: 'Fuzz',
      custom_jwt_parameters: { meta: { displayName: 'Ada L' } },
    },
  },
  'POST /api/live-room/create': {
    body: {
      room_id: 'fuzz-room',
      topic: 'Fuzz room',
      participants_limit: 5,
      instructor: { id: 'fuzz-inst', name: 'Ada', email: 'ada@fuzz.example', is_instructor: true },
    },
  },
  'POST /api/live-room/join': { body: { room_id: 'fuzz-room', role: 'participant', name: 'Bo' } },
  'POST /api/v1/rooms': {
    body: {
      name: 'fuzz-video',
      title: 'Fuzz',
      max_participants: 5,
      recording: false,
      webhook_url: 'http://127.0.0.1:1/h',
    },
  },
  'GET /api/v1/rooms': { query: { limit: '5', status: 'idle', created_after: '2026-01-01T00:00:00Z' } },
  'PATCH /api/v1/rooms/:roomId': { body: { title: 'Fuzz 2', max_participants: 6, webhook_url: null } },
  'POST /api/v1/rooms/:roomId/tokens': {
    body: { user: { id: 'fuzz-user', name: 'Ada', role: 'participant' }, ttl_seconds: 600 },
  },
  'POST /api/v1/tokens/refresh': { body: { refresh_token: `rt_${'A'.repeat(43)}` } },
  'POST /api/v1/sessions/:sessionId/participants/:action': {
    body: { participants: ['u-1'], exclude: ['u-2'], kinds: ['audio'] },
  },
  'GET /api/v1/participants': { query: { room_id: 'fuzz', user_id: 'u-1', joined_after: '2026-01-01T00:00:00Z' } },
  'GET /api/v1/rooms/:roomId/recordings': {
    query: { session_id: 'ses_fuzz', before: '2026-01-01T00:00:00Z', after: '2025-01-01T00:00:00Z', status: 'ready' },
  },
  'DELETE /api/v1/rooms/:roomId/recordings': { query: { session_id: 'ses_fuzz', before: '2026-01-01T00:00:00Z' } },
  'GET /recordings/:recordingId': { query: { token: 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln' } },
  'POST /api/deep-linking': { body: { title: 'Fuzz class', durationMinutes: 30, grading: { enabled: true } } },
  'POST /lti/launch': { form: true, body: { id_token: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln', state: 'fuzz-state' } },
  'GET /lti/login': {
    query: { iss: 'https://fuzz-lms.example', login_hint: 'u1', target_link_uri: 'http://127.0.0.1:1/lti/launch' },
  },
  'POST /lti/login': {
    form: true,
    body: { iss: 'https://fuzz-lms.example', login_hint: 'u1', target_link_uri: 'http://127.0.0.1:1/lti/launch' },
  },
  'GET /lti/register': { query: { openid_configuration: 'http://127.0.0.1:1/.well-known/openid-configuration' } },
  'GET /space/join': { query: { t: 'A'.repeat(43) } },
  'POST /space/join': { form: true, body: { t: 'A'.repeat(43), passcode: '123456', name: 'Ana' } },
  'POST /hooks/livekit': {
    body: { event: 'participant_joined', id: 'EV_fuzz', createdAt: 1, room: { name: 'fuzz-room', sid: 'RM_1' } },
  },
  'GET /demo/platform/launch': { query: { role: 'student', message: 'resource', locale: 'en-US' } },
  'POST /demo/platform/token': {
    form: true,
    body: { grant_type: 'client_credentials', client_assertion: 'x.y.z', scope: 'openid' },
  },
  'POST /demo/activities': { form: true, body: { title: 'Fuzz link' } },
};

const PARAMS: Record<string, readonly string[]> = {
  action: [...ROOM_ACTIONS, ...PARTICIPANT_ACTIONS, ...WAITING_ACTIONS],
  identity: ['p-0123456789abcdef', 'i-0123456789abcdef'],
  id: ['000000000000000000000000', 'key_unknown'],
  roomId: ['fuzz-room'],
  room_id: ['fuzz-room', 'no-such-room'],
  contextId: ['demo-course-physics-101'],
  recordingId: ['ses_fuzz.r1', 'ses_fuzz.s1'],
};

interface Answer {
  status: number;
  body: string;
}

interface Credentials {
  admin: string;
  apiKey: string;
  launches: string[];
  livekit: { key: string; secret: string };
}

describe('fuzz: every route answers malformed input with a 4xx, never a 5xx or internal text', function () {
  this.timeout(180_000);
  let env: TestEnvironment;
  let routes: RouteEntry[];
  let creds: Credentials;
  const existing = { platforms: new Set<string>(), apiKeys: new Set<string>() };

  before(async () => {
    // A tool of its own: its rate limits are not spent for the other suites, and only errors are logged.
    env = await useTestEnvironment({ LOG_LEVEL: 'error' });
    // What exists before the fuzz, first: the clean-up after it removes everything else.
    for (const p of (await admin('GET', '/platforms')).platforms) existing.platforms.add(p.id);
    routes = routeTable(env.tool.app);
    const key = await admin('POST', '/api-keys', { name: 'fuzz integrator' });
    for (const k of (await admin('GET', '/api-keys')).apiKeys) existing.apiKeys.add(k.id);
    const activity = await LaunchedUser.createActivity(env.tool.url, { title: 'Fuzz class' });
    const deepLinking = await launchThroughDemo(new LtiBrowser(env.tool.url), {
      role: 'instructor',
      message: 'deeplink',
    });
    creds = {
      admin: env.config.admin.apiKey,
      apiKey: key.key,
      launches: [
        (await LaunchedUser.launch(env.tool.url, 'instructor', activity)).token,
        (await LaunchedUser.launch(env.tool.url, 'student', activity)).token,
        deepLinking.token as string,
      ],
      livekit: { key: env.stack.livekit.apiKey, secret: env.stack.livekit.apiSecret },
    };
  });

  after(async () => {
    // Without the list of what existed, a clean-up would remove the demo LMS every other suite launches from.
    if (!env || existing.platforms.size === 0) return;
    // Leave the shared store as the other suites expect it: no fuzz registrations or keys.
    for (const p of (await admin('GET', '/platforms')).platforms) {
      if (!existing.platforms.has(p.id)) await admin('DELETE', `/platforms/${p.id}`).catch(() => undefined);
    }
    for (const k of (await admin('GET', '/api-keys')).apiKeys) {
      if (!existing.apiKeys.has(k.id) || k.name === 'fuzz integrator')
        await admin('DELETE', `/api-keys/${k.id}`).catch(() => undefined);
    }
  });

  async function admin(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${env.tool.url}/api/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${env.config.admin.apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  it('walks every route of the app, including the ones the seeds name', () => {
    const names = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const known of ['POST /lti/launch', 'POST /api/admin/platforms', 'POST /api/deep-linking', 'GET /readyz'])
      assert.ok(names.has(known), `${known} in ${[...names].join(', ')}`);
    for (const seeded of Object.keys(SEEDS)) assert.ok(names.has(seeded), `the seed ${seeded} names a route`);
    assert.ok(routes.length >= 30, `${routes.length} routes`);
  });

  it(`answers ${CASES} random malformed requests per route and a sweep of every seeded field without a 5xx or internal text`, async () => {
    const failures: string[] = [];
    let sent = 0;
    let bad = 0;
    const queue = [...routes];
    const worker = async () => {
      for (let route = queue.shift(); route; route = queue.shift()) {
        const r = new Prng(SEED ^ hash(`${route.method} ${route.path}`));
        const key = `${route.method} ${route.path}`;
        const seed = SEEDS[key];
        const requests = [
          ...(seed ? sweepRequests(route, seed, creds) : []),
          ...Array.from({ length: CASES }, () => buildRequest(r, route, creds)),
        ];
        for (const [i, req] of requests.entries()) {
          const answer = await send(env.tool.url, req);
          sent += 1;
          const problems = check(req.path, answer);
          // Two per route are enough to see a pattern; the count says how many more there were.
          if (problems.length > 0 && failures.filter((f) => f.startsWith(`${key} `)).length < 2)
            failures.push(describeFailure(route, i, req, answer, problems));
          if (problems.length > 0) bad += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    assert.ok(sent >= routes.length * CASES);
    assert.deepEqual(failures, [], `${bad} bad answers of ${sent} (FUZZ_SEED=${SEED})`);
  });
});

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  summary: string;
}

function buildRequest(r: Prng, route: RouteEntry, creds: Credentials): FuzzRequest {
  const seed = SEEDS[`${route.method} ${route.path}`] ?? {};
  const path = route.path.replace(/:(\w+)/g, (_m, name: string) =>
    r.chance(0.08) ? '%E0%A4%A' : encodePart(fuzzParam(r, PARAMS[name])),
  );
  const query = buildQuery(r, seed.query);
  const headers: Record<string, string> = { ...authFor(r, route.path, creds) };
  if (r.chance(0.1)) headers['x-request-id'] = printable(fuzzString(r)).slice(0, 300);
  if (r.chance(0.1)) headers.cookie = `lti_state_${printable(fuzzString(r)).slice(0, 100)}=1; a=%ZZ`;
  let body: Buffer | undefined;
  let summary = '';
  if (route.method !== 'GET' && route.method !== 'DELETE') {
    ({ body, summary } = buildBody(r, seed.body, headers));
    if (route.path === '/hooks/livekit' && r.chance(0.5)) headers.authorization = signWebhook(body, creds.livekit);
  }
  return { method: route.method, path: `${path}${query}`, headers, body, summary };
}

/** The seed with one field at a time set to each sweep value, with valid credentials, as JSON or a form. */
function sweepRequests(route: RouteEntry, seed: Seed, creds: Credentials): FuzzRequest[] {
  const path = route.path.replace(/:(\w+)/g, (_m, name: string) => encodePart(PARAMS[name]?.[0] ?? 'x'));
  const auth = (r: Prng) => authFor(r, route.path, creds, true);
  const r = new Prng(SEED);
  const requests: FuzzRequest[] = [];
  for (const query of seed.query ? sweep(seed.query, true) : []) {
    const text = new URLSearchParams(query as Record<string, string>).toString();
    requests.push({ method: route.method, path: `${path}?${text}`, headers: auth(r), summary: 'sweep' });
  }
  for (const value of seed.body ? sweep(seed.body, seed.form) : []) {
    const headers = auth(r);
    headers['content-type'] = seed.form ? 'application/x-www-form-urlencoded' : 'application/json';
    const text = seed.form ? new URLSearchParams(value as Record<string, string>).toString() : JSON.stringify(value);
    const body = Buffer.from(text);
    if (route.path === '/hooks/livekit') headers.authorization = signWebhook(body, creds.livekit);
    requests.push({ method: route.method, path, headers, body, summary: 'sweep' });
  }
  return requests;
}

function buildQuery(r: Prng, seed: Record<string, string> | undefined): string {
  if (!seed && r.chance(0.6)) return '';
  const params = new URLSearchParams();
  const base = seed ?? { [fuzzString(r).slice(0, 40)]: 'x' };
  for (const [key, value] of Object.entries(base)) {
    const roll = r.next();
    if (roll < 0.5) params.append(key, r.chance(0.7) ? value : fuzzParam(r));
    else if (roll < 0.65) params.append(`${key}[]`, fuzzParam(r));
    else if (roll < 0.75) params.append(`${key}[$gt]`, '');
    else if (roll < 0.85) {
      params.append(key, value);
      params.append(key, fuzzParam(r));
    }
  }
  if (r.chance(0.3)) params.append('__proto__[polluted]', '1');
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A body in one of the shapes a client may send: JSON, a form, or something the route does not expect. */
function buildBody(
  r: Prng,
  seed: Record<string, unknown> | undefined,
  headers: Record<string, string>,
): { body: Buffer; summary: string } {
  const value = mutate(r, seed ?? {});
  const roll = r.next();
  if (roll < 0.45) {
    headers['content-type'] = 'application/json';
    return { body: Buffer.from(JSON.stringify(value) ?? 'null'), summary: 'json' };
  }
  if (roll < 0.7) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams();
    const entries: Array<[string, unknown]> =
      value && typeof value === 'object' ? Object.entries(value) : [['v', value]];
    for (const [k, v] of entries) form.append(k, typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
    return { body: Buffer.from(form.toString()), summary: 'form' };
  }
  const json = Buffer.from(JSON.stringify(value) ?? 'null');
  const odd: Array<[string, Record<string, string>, Buffer]> = [
    ['text/plain', { 'content-type': 'text/plain' }, json],
    ['xml', { 'content-type': 'application/xml' }, Buffer.from('<?xml version="1.0"?><a>&x;</a>')],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=zz' }, Buffer.from('--zz\r\nbroken')],
    ['no content-type', {}, json],
    ['utf-7 JSON', { 'content-type': 'application/json; charset=utf-7' }, json],
    ['gzip garbage', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, Buffer.from('nope')],
    ['unknown encoding', { 'content-type': 'application/json', 'content-encoding': 'x-zip' }, json],
    ['gzip bomb-ish', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync('['.repeat(3e5))],
    ['invalid UTF-8', { 'content-type': 'application/json' }, Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
    ['truncated JSON', { 'content-type': 'application/json' }, json.subarray(0, Math.max(1, json.length - 2))],
    ['top-level string', { 'content-type': 'application/json' }, Buffer.from('"x"')],
    ['100 kB', { 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ a: 'x'.repeat(100_000) }))],
  ];
  const [summary, extra, body] = r.pick(odd);
  Object.assign(headers, extra);
  return { body, summary };
}

/** Valid credentials most of the time (so the fuzz reaches the handlers), junk the rest. */
function authFor(r: Prng, path: string, creds: Credentials, valid = false): Record<string, string> {
  if (!valid && r.chance(0.15)) {
    return r.pick<Record<string, string>>([
      {},
      { authorization: `Bearer ${printable(fuzzString(r)).slice(0, 500)}` },
      { authorization: 'Basic x' },
    ]);
  }
  if (path.startsWith('/api/admin')) return { authorization: `Bearer ${creds.admin}` };
  if (path.startsWith('/api/v1') || path.startsWith('/api/live-room')) {
    return r.chance(0.5) ? { 'x-api-key': creds.apiKey } : { authorization: `Organisation ${creds.apiKey}` };
  }
  if (path.startsWith('/api/')) return { authorization: `Bearer ${r.pick(creds.launches)}` };
  return {};
}

/** LiveKit's webhook signature: an HS256 JWT from the API key, carrying the body's SHA-256. */
function signWebhook(body: Buffer, key: { key: string; secret: string }): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: key.key,
    nbf: now - 10,
    exp: now + 300,
    sha256: createHash('sha256').update(body).digest('base64'),
  };
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', key.secret).update(input).digest('base64url')}`;
}

function send(baseUrl: string, req: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) };
    const outgoing = request(`${baseUrl}${req.path}`, { method: req.method, headers, timeout: 20_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer in 20 s: ${req.method} ${req.path}`)));
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

function check(path: string, answer: Answer): string[] {
  const problems: string[] = [];
  // The one 5xx that is not ours: the LMS a registration names did not answer (LTI_DYNREG_FAILED, 502).
  const upstream =
    answer.status === 502 && path.startsWith('/lti/register') && answer.body.includes('LTI_DYNREG_FAILED');
  // The one 5xx by design: compositions are documented as not offered (501, whatever the request).
  const notOffered =
    answer.status === 501 &&
    path.split('?')[0] === '/api/v1/compositions' &&
    answer.body.includes('VIDEO_COMPOSITION_UNSUPPORTED');
  if (answer.status >= 500 && !upstream && !notOffered) problems.push(`status ${answer.status}`);
  for (const [name, pattern] of INTERNAL_TEXT) if (pattern.test(answer.body)) problems.push(name);
  return problems;
}

function describeFailure(route: RouteEntry, i: number, req: FuzzRequest, answer: Answer, problems: string[]): string {
  const sent = req.body ? ` ${req.summary}: ${req.body.subarray(0, 200).toString('utf8')}` : '';
  return `${route.method} ${route.path} case ${i} -> ${answer.status} (${problems.join(', ')}); ${req.method} ${req.path.slice(0, 200)}${sent} => ${answer.body.slice(0, 300)}`;
}

const printable = (value: string): string => value.replace(/[^\x20-\x7e]/g, '');

/** encodeURIComponent, with lone surrogates (which it refuses) sent as U+FFFD as a browser would. */
function encodePart(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
