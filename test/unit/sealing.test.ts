import assert from 'node:assert/strict';
import { createSealer } from '../../src/db/sealing.js';

describe('sealing a secret field for the store', () => {
  const secret = 'a deployment secret of at least 32 characters';
  const url = 'rtmps://live.example.com/app/sk_live_0123456789abcdef';

  it('seals to a value that does not contain the secret and opens back, a fresh nonce each time', () => {
    const sealer = createSealer(secret, 'activity-settings:stream-url');
    const a = sealer.seal(url);
    const b = sealer.seal(url);
    assert.match(a, /^sealed:v1:[A-Za-z0-9_-]+$/);
    assert.ok(!a.includes('sk_live') && !a.includes('live.example.com'));
    assert.notEqual(a, b);
    assert.equal(sealer.open(a), url);
    assert.equal(sealer.open(b), url);
  });

  it('reads a value stored before sealing as it is', () => {
    assert.equal(createSealer(secret, 'p').open(url), url);
  });

  it('opens nothing under another key, another purpose, or once tampered with', () => {
    const sealed = createSealer(secret, 'p').seal(url);
    assert.equal(createSealer(`${secret}!`, 'p').open(sealed), undefined);
    assert.equal(createSealer(secret, 'q').open(sealed), undefined);
    const body = sealed.slice('sealed:v1:'.length);
    const flipped = `${body.slice(0, -2)}${body.at(-2) === 'A' ? 'B' : 'A'}${body.at(-1)}`;
    assert.equal(createSealer(secret, 'p').open(`sealed:v1:${flipped}`), undefined);
    assert.equal(createSealer(secret, 'p').open('sealed:v1:'), undefined);
  });
});
