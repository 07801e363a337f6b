import assert from 'node:assert/strict';
import { createReadCache } from '../../src/db/read-cache.js';

function setup(maxEntries = 10) {
  let clock = 0;
  let reads = 0;
  const cache = createReadCache<string>({ ttlMs: 1000, maxEntries, now: () => clock });
  /** `null`: the store has no such record. */
  const read = (key: string, value: string | null = `v:${key}`) =>
    cache.get(key, async () => {
      reads += 1;
      return value ?? undefined;
    });
  return { cache, read, reads: () => reads, tick: (ms: number) => (clock += ms) };
}

describe('read cache (in-process cache of store reads)', () => {
  it('answers from memory within the TTL and reads again after it', async () => {
    const c = setup();
    assert.equal(await c.read('a'), 'v:a');
    c.tick(999);
    assert.equal(await c.read('a'), 'v:a');
    assert.equal(c.reads(), 1);
    c.tick(1);
    await c.read('a');
    assert.equal(c.reads(), 2);
  });

  it('keeps no miss: a record created elsewhere is seen on the next read', async () => {
    const c = setup();
    assert.equal(await c.read('a', null), undefined);
    assert.equal(await c.read('a'), 'v:a');
    assert.equal(c.reads(), 2);
  });

  it('after clear() or delete(), a read that started before does not fill the cache with what it read', async () => {
    for (const forget of ['clear', 'delete'] as const) {
      const c = setup();
      let finish: (v: string) => void = () => undefined;
      const before = c.cache.get('a', () => new Promise<string>((resolve) => (finish = resolve)));
      if (forget === 'clear') c.cache.clear();
      else c.cache.delete('a');
      finish('old');
      assert.equal(await before, 'old', 'the caller still gets what it read');
      assert.equal(c.cache.peek('a'), undefined, forget);
      assert.equal(await c.read('a', 'new'), 'new');
    }
  });

  it('shares one read among requests that miss together, but not with a request after a local write', async () => {
    const c = setup();
    const [a, b] = await Promise.all([c.read('a'), c.read('a')]);
    assert.deepEqual([a, b, c.reads()], ['v:a', 'v:a', 1]);
    c.tick(1000);
    let finish: (v: string) => void = () => undefined;
    const before = c.cache.get('a', () => new Promise<string>((resolve) => (finish = resolve)));
    c.cache.clear();
    const after = c.read('a', 'new');
    finish('old');
    assert.deepEqual([await before, await after], ['old', 'new']);
  });

  it('holds at most maxEntries, dropping the oldest first', async () => {
    const c = setup(2);
    await c.read('a');
    await c.read('b');
    await c.read('c');
    assert.equal(c.cache.peek('a'), undefined);
    assert.equal(c.cache.peek('b'), 'v:b');
    assert.equal(c.cache.peek('c'), 'v:c');
  });

  it('peek() never reads and ignores expired entries; set() stores what the caller wrote', () => {
    const c = setup();
    c.cache.set('a', 'written');
    assert.equal(c.cache.peek('a'), 'written');
    c.tick(1000);
    assert.equal(c.cache.peek('a'), undefined);
    assert.equal(c.reads(), 0);
  });
});
