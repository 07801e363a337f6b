import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createJwksCache } from '../../src/lti/jwks-cache.js';

function jwk(kid: string) {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  return { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
}

describe('platform JWKS cache', () => {
  const a = jwk('a');
  const b = jwk('b');
  let served: unknown[];
  let calls: number;
  let clock: number;
  const fakeFetch = (async () => {
    calls += 1;
    return new Response(JSON.stringify({ keys: served }), { status: 200 });
  }) as typeof fetch;
  const cache = () =>
    createJwksCache({
      ttlMs: 60_000,
      minRefreshIntervalMs: 5_000,
      fetchTimeoutMs: 1000,
      fetch: fakeFetch,
      now: () => clock,
    });

  beforeEach(() => {
    served = [a];
    calls = 0;
    clock = 1_000_000;
  });

  it('fetches once and serves later launches from memory', async () => {
    const c = cache();
    assert.ok(await c.getKey('https://lms/jwks', 'a'));
    assert.ok(await c.getKey('https://lms/jwks', 'a'));
    assert.equal(calls, 1);
  });

  it('shares one fetch between concurrent launches', async () => {
    const c = cache();
    await Promise.all([1, 2, 3].map(() => c.getKey('https://lms/jwks', 'a')));
    assert.equal(calls, 1);
  });

  it('refetches on an unknown kid (key rotation), but not more than once per interval', async () => {
    const c = cache();
    await c.getKey('https://lms/jwks', 'a');
    served = [a, b];
    assert.equal(await c.getKey('https://lms/jwks', 'b'), undefined, 'too soon after the last fetch');
    clock += 6_000;
    assert.ok(await c.getKey('https://lms/jwks', 'b'), 'rotated key found after a refetch');
    assert.equal(calls, 2);
    assert.equal(await c.getKey('https://lms/jwks', 'zzz'), undefined);
    assert.equal(calls, 2, 'kid guessing does not cause more fetches within the interval');
  });

  it('refetches after the TTL', async () => {
    const c = cache();
    await c.getKey('https://lms/jwks', 'a');
    clock += 61_000;
    await c.getKey('https://lms/jwks', 'a');
    assert.equal(calls, 2);
  });

  it('reports an unreachable or broken key set as LTI_PLATFORM_JWKS_UNAVAILABLE and recovers', async () => {
    let fail = true;
    const c = createJwksCache({
      ttlMs: 60_000,
      minRefreshIntervalMs: 5_000,
      fetchTimeoutMs: 1000,
      now: () => clock,
      fetch: (async () =>
        fail ? new Response('oops', { status: 500 }) : new Response(JSON.stringify({ keys: [a] }))) as typeof fetch,
    });
    await assert.rejects(c.getKey('https://lms/jwks', 'a'), { code: 'LTI_PLATFORM_JWKS_UNAVAILABLE' });
    fail = false;
    assert.ok(await c.getKey('https://lms/jwks', 'a'));
  });

  it('ignores keys that are not RSA public keys', async () => {
    served = [{ kty: 'oct', k: 'c2VjcmV0', kid: 'a' }];
    assert.equal(await cache().getKey('https://lms/jwks', 'a'), undefined);
  });
});
