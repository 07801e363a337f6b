import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, livekitApiUrl, loadConfig } from '../../src/config.js';
import { configDir } from '../../src/paths.js';

const SECRETS = {
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 's'.repeat(32),
  LTI_ENCRYPTION_KEY: 'e'.repeat(32),
  ADMIN_API_KEY: 'a'.repeat(24),
};

function problemsOf(env: NodeJS.ProcessEnv, configDir?: string): string[] {
  try {
    loadConfig({ env, configDir });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  assert.fail('expected a ConfigError');
}

function tempConfigDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'config-test-'));
  copyFileSync(path.join(configDir(), 'default.json'), path.join(dir, 'default.json'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), JSON.stringify(content));
  return dir;
}

describe('config', () => {
  it('loads config/default.json, the NODE_ENV layer and secrets from the environment', () => {
    const config = loadConfig({ env: { ...SECRETS, NODE_ENV: 'test' } });
    assert.equal(config.env, 'test');
    assert.equal(config.server.port, 3000);
    assert.equal(config.demo.enabled, true, 'config/test.json enables the demo platform');
    assert.equal(config.livekit.apiSecret, SECRETS.LIVEKIT_API_SECRET);
  });

  it('coerces environment overrides to the schema types', () => {
    const config = loadConfig({
      env: { ...SECRETS, PORT: '4100', TRUST_PROXY: 'true', MONGODB_URI: 'mongodb://db:1/x' },
    });
    assert.equal(config.server.port, 4100);
    assert.equal(config.server.trustProxy, true);
    assert.equal(config.mongo.uri, 'mongodb://db:1/x');
  });

  it('is frozen all the way down', () => {
    const config = loadConfig({ env: SECRETS });
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.server));
    assert.throws(() => {
      (config.server as { port: number }).port = 1;
    }, TypeError);
  });

  const cases: Array<[string, NodeJS.ProcessEnv, RegExp]> = [
    ['a port that is not a number', { PORT: 'abc' }, /^server\.port: .*\(set PORT\)$/],
    ['a port out of range', { PORT: '70000' }, /^server\.port: /],
    ['a LiveKit URL that is not ws(s)', { LIVEKIT_URL: 'http://sfu:7880' }, /^livekit\.url: must use ws: or wss:/],
    ['a Mongo URI of the wrong scheme', { MONGODB_URI: 'postgres://x' }, /^mongo\.uri: /],
    ['a public URL that is not a URL', { PUBLIC_URL: 'not a url' }, /^server\.publicUrl: .*\(set PUBLIC_URL\)$/],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, /^log\.level: /],
    [
      'a short LiveKit secret',
      { LIVEKIT_API_SECRET: 'short' },
      /^livekit\.apiSecret: must be at least 32 characters \(set LIVEKIT_API_SECRET\)$/,
    ],
    ['a missing encryption key', { LTI_ENCRYPTION_KEY: '' }, /^lti\.encryptionKey: .*\(set LTI_ENCRYPTION_KEY\)$/],
    ['a missing admin key', { ADMIN_API_KEY: undefined }, /^admin(\.apiKey)?: /],
    ['an unknown NODE_ENV', { NODE_ENV: 'staging' }, /^env: /],
    [
      'a token lifetime under a minute',
      { ROOM_TOKEN_TTL_SECONDS: '59' },
      /^rooms\.tokenTtlSeconds: .*\(set ROOM_TOKEN_TTL_SECONDS\)$/,
    ],
    ['a token lifetime over a day', { ROOM_TOKEN_TTL_SECONDS: '86401' }, /^rooms\.tokenTtlSeconds: /],
    ['a token lifetime that is not whole seconds', { ROOM_TOKEN_TTL_SECONDS: '90.5' }, /^rooms\.tokenTtlSeconds: /],
    ['a short brand colour', { BRANDING_COLOR: '#fff' }, /^branding\.color: .*\(set BRANDING_COLOR\)$/],
    ['an http logo off localhost', { BRANDING_LOGO_URL: 'http://cdn.example.edu/l.png' }, /^branding\.logoUrl: /],
  ];
  for (const [name, override, expected] of cases) {
    it(`rejects ${name}, naming the key`, () => {
      const problems = problemsOf({ ...SECRETS, ...override });
      assert.ok(
        problems.some((p) => expected.test(p)),
        `expected a problem matching ${expected}, got:\n${problems.join('\n')}`,
      );
    });
  }

  it('reads the join token lifetime and the default branding (none unless configured)', () => {
    const defaults = loadConfig({ env: SECRETS });
    assert.equal(defaults.rooms.tokenTtlSeconds, 600);
    assert.deepEqual(defaults.branding, {});
    const set = loadConfig({
      env: {
        ...SECRETS,
        ROOM_TOKEN_TTL_SECONDS: '60',
        BRANDING_COLOR: '#00A0B0',
        BRANDING_LOGO_URL: 'http://127.0.0.1:8080/logo.png',
      },
    });
    assert.equal(set.rooms.tokenTtlSeconds, 60);
    assert.deepEqual(set.branding, { color: '#00a0b0', logoUrl: 'http://127.0.0.1:8080/logo.png' });
    assert.equal(loadConfig({ env: { ...SECRETS, ROOM_TOKEN_TTL_SECONDS: '86400' } }).rooms.tokenTtlSeconds, 86400);
  });

  it('reads the roster cache time (default 10 minutes, ROSTER_CACHE_MINUTES) and refuses one over a day', () => {
    assert.equal(loadConfig({ env: SECRETS }).lti.rosterCacheMinutes, 10);
    assert.equal(loadConfig({ env: { ...SECRETS, ROSTER_CACHE_MINUTES: '0' } }).lti.rosterCacheMinutes, 0);
    const problems = problemsOf({ ...SECRETS, ROSTER_CACHE_MINUTES: '1441' });
    assert.ok(
      problems.some((p) => /^lti\.rosterCacheMinutes: .*\(set ROSTER_CACHE_MINUTES\)$/.test(p)),
      problems.join('\n'),
    );
  });

  it('reads the limits (defaults, environment overrides) and a proxy hop count', () => {
    const defaults = loadConfig({ env: SECRETS });
    assert.deepEqual(defaults.limits.ltiLogin, { max: 600, windowSeconds: 60 });
    assert.equal(defaults.limits.sessionsPerJoinLink, 3);
    assert.equal(defaults.limits.activitiesPerDeepLinkingLaunch, 10);
    const set = loadConfig({
      env: { ...SECRETS, LTI_LOGIN_RATE_LIMIT: '1200', SESSIONS_PER_JOIN_LINK: '1', TRUST_PROXY: '1' },
    });
    assert.deepEqual(set.limits.ltiLogin, { max: 1200, windowSeconds: 60 });
    assert.equal(set.limits.sessionsPerJoinLink, 1);
    assert.equal(set.server.trustProxy, 1);
    const problems = problemsOf({ ...SECRETS, LTI_LOGIN_RATE_LIMIT: '0', ACTIVITIES_PER_DEEP_LINKING_LAUNCH: 'many' });
    assert.ok(
      problems.some((p) => /^limits\.ltiLogin\.max: .*\(set LTI_LOGIN_RATE_LIMIT\)$/.test(p)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('limits.activitiesPerDeepLinkingLaunch: ')),
      problems.join('\n'),
    );
  });

  it('reads the JWKS cache tuning and the join-link lifetime (defaults, a config file), within bounds', () => {
    const defaults = loadConfig({ env: SECRETS });
    assert.deepEqual(defaults.lti.jwks, {
      cacheTtlSeconds: 600,
      minRefreshSeconds: 5,
      fetchTimeoutMs: 5000,
      maxBytes: 256 * 1024,
    });
    assert.equal(defaults.spaces.joinLinkTtlMinutes, 60);
    const dir = tempConfigDir({
      'production.json': { lti: { jwks: { cacheTtlSeconds: 60 } }, spaces: { joinLinkTtlMinutes: 15 } },
    });
    const set = loadConfig({ env: { ...SECRETS, NODE_ENV: 'production' }, configDir: dir });
    assert.equal(set.lti.jwks.cacheTtlSeconds, 60);
    assert.equal(set.lti.jwks.minRefreshSeconds, 5, 'the other keys keep their defaults');
    assert.equal(set.spaces.joinLinkTtlMinutes, 15);
    const bad = tempConfigDir({
      'production.json': { lti: { jwks: { fetchTimeoutMs: 0 } }, spaces: { joinLinkTtlMinutes: 0 } },
    });
    const problems = problemsOf({ ...SECRETS, NODE_ENV: 'production' }, bad);
    assert.ok(
      problems.some((p) => p.startsWith('lti.jwks.fetchTimeoutMs: ')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('spaces.joinLinkTtlMinutes: ')),
      problems.join('\n'),
    );
  });

  it('keeps recordings in the folder by default, or in an S3 bucket whose keys come from the environment', () => {
    assert.deepEqual(loadConfig({ env: SECRETS }).recordings.storage, { kind: 'local' });
    const s3 = {
      ...SECRETS,
      RECORDINGS_STORAGE: 's3',
      RECORDINGS_S3_BUCKET: 'class-recordings',
      RECORDINGS_S3_ENDPOINT: 'https://s3.example.edu',
      RECORDINGS_S3_REGION: 'eu-west-1',
      RECORDINGS_S3_FORCE_PATH_STYLE: 'true',
      RECORDINGS_S3_PREFIX: 'live/recordings/',
      RECORDINGS_S3_ACCESS_KEY: 'AKIA-TEST',
      RECORDINGS_S3_SECRET: 'x'.repeat(40),
    };
    assert.deepEqual(loadConfig({ env: s3 }).recordings.storage, {
      kind: 's3',
      bucket: 'class-recordings',
      endpoint: 'https://s3.example.edu',
      region: 'eu-west-1',
      forcePathStyle: true,
      prefix: 'live/recordings/',
      accessKey: 'AKIA-TEST',
      secret: 'x'.repeat(40),
    });
    const { RECORDINGS_S3_SECRET: _secret, ...noSecret } = s3;
    assert.match(problemsOf(noSecret).join('\n'), /recordings\.storage\.secret.*\(set RECORDINGS_S3_SECRET\)/);
    const refused: Array<[string, string]> = [
      ['RECORDINGS_S3_BUCKET', 'Not_A_Bucket'],
      ['RECORDINGS_S3_PREFIX', '/leading-slash/'],
      ['RECORDINGS_S3_PREFIX', 'no-slash-at-the-end'],
      ['RECORDINGS_S3_ENDPOINT', 'ftp://s3.example.edu'],
      ['RECORDINGS_STORAGE', 'gcs'],
    ];
    for (const [name, value] of refused)
      assert.equal(problemsOf({ ...s3, [name]: value }).length, 1, `${name}=${value}`);
    const dir = tempConfigDir({
      'production.json': {
        recordings: { storage: { kind: 's3', bucket: 'b-1', region: 'r', secret: 'x'.repeat(40) } },
      },
    });
    assert.match(
      problemsOf({ ...s3, NODE_ENV: 'production' }, dir).join('\n'),
      /recordings\.storage\.secret: secrets are read from the environment only/,
    );
  });

  it('refuses secrets written into a config file', () => {
    const dir = tempConfigDir({ 'production.json': { livekit: { apiSecret: 'x'.repeat(40) } } });
    const problems = problemsOf({ ...SECRETS, NODE_ENV: 'production' }, dir);
    assert.ok(problems.some((p) => p.startsWith('livekit.apiSecret: secrets are read from the environment only')));
  });

  it('refuses unknown keys in a config file', () => {
    const dir = tempConfigDir({ 'production.json': { server: { prot: 1 } } });
    const problems = problemsOf({ ...SECRETS, NODE_ENV: 'production' }, dir);
    assert.ok(
      problems.some((p) => p.startsWith('server: ') && p.includes('prot')),
      problems.join('\n'),
    );
  });

  it('reports a config file that is not JSON', () => {
    const dir = tempConfigDir({});
    writeFileSync(path.join(dir, 'production.json'), '{ nope');
    const problems = problemsOf({ ...SECRETS, NODE_ENV: 'production' }, dir);
    assert.ok(problems.some((p) => p.includes('production.json')));
  });

  it('requires the file named by CONFIG_FILE to exist', () => {
    const problems = problemsOf({ ...SECRETS, CONFIG_FILE: '/nonexistent/config.json' });
    assert.ok(problems.some((p) => p.includes('/nonexistent/config.json does not exist')));
  });

  it('derives the server-side LiveKit URL unless one is given', () => {
    assert.equal(
      livekitApiUrl(loadConfig({ env: { ...SECRETS, LIVEKIT_URL: 'wss://sfu.example.edu' } })),
      'https://sfu.example.edu',
    );
    assert.equal(
      livekitApiUrl(loadConfig({ env: { ...SECRETS, LIVEKIT_API_URL: 'http://livekit:7880' } })),
      'http://livekit:7880',
    );
  });
});
