import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BoundedFetchError, boundedFetch } from '../../src/net/bounded-fetch.js';

describe('boundedFetch', () => {
  let server: Server;
  let base: string;
  let hits: string[];

  before(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/ok') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
      if (req.url === '/redirect') return void res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/declared') return void res.writeHead(200, { 'content-length': '2048' }).end('x'.repeat(2048));
      if (req.url === '/streamed') {
        res.writeHead(200);
        res.write('x'.repeat(600));
        return void setTimeout(() => res.end('x'.repeat(600)), 20);
      }
      if (req.url === '/slow-body') {
        res.writeHead(200);
        res.write('x');
        return void setTimeout(() => res.end('y'), 2000).unref();
      }
      res.writeHead(404).end('missing');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    hits = [];
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const opts = { timeoutMs: 1000, maxBytes: 1024 };

  it('returns status and body within the cap', async () => {
    const res = await boundedFetch(`${base}/ok`, {}, opts);
    assert.deepEqual([res.status, res.ok, res.text], [200, true, 'hello']);
    const missing = await boundedFetch(`${base}/nope`, {}, opts);
    assert.deepEqual([missing.status, missing.ok, missing.text], [404, false, 'missing']);
  });

  it('never follows a redirect: the 3xx comes back with its resolved location', async () => {
    const res = await boundedFetch(`${base}/redirect`, {}, opts);
    assert.equal(res.status, 302);
    assert.equal(res.location, `${base}/ok`);
    assert.equal(res.text, '');
    assert.deepEqual(hits, ['/redirect']);
  });

  it('refuses a body over the cap, declared or streamed', async () => {
    for (const path of ['/declared', '/streamed']) {
      await assert.rejects(boundedFetch(`${base}${path}`, {}, opts), (err: unknown) => {
        assert.ok(err instanceof BoundedFetchError);
        assert.equal(err.reason, 'too-large');
        return true;
      });
    }
  });

  it('discards the body when asked, whatever its size', async () => {
    const res = await boundedFetch(`${base}/declared`, {}, { ...opts, maxBytes: 0, discardBody: true });
    assert.deepEqual([res.status, res.text], [200, '']);
  });

  it('times out over the whole exchange, body included', async () => {
    const started = Date.now();
    await assert.rejects(boundedFetch(`${base}/slow-body`, {}, { timeoutMs: 200, maxBytes: 1024 }), {
      name: 'BoundedFetchError',
      reason: 'timeout',
    });
    assert.ok(Date.now() - started < 1500);
  });

  it('reports an unreachable host', async () => {
    await assert.rejects(boundedFetch('http://127.0.0.1:9/x', {}, opts), { reason: 'unreachable' });
  });
});
