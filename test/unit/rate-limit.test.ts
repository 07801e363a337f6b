import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import type { AppError } from '../../src/errors.js';
import { errorHandler } from '../../src/http/errors-middleware.js';
import { clientAddress, rateLimiter, type RateLimitOptions } from '../../src/http/rate-limit.js';

function appLimitedBy(options: RateLimitOptions) {
  const app = express();
  app.set('trust proxy', 1);
  app.use(express.urlencoded({ extended: false }));
  app.all('/x', rateLimiter(options), (req, res) => void res.json({ ok: true, ip: clientAddress(req) }));
  app.use(errorHandler);
  return app;
}

const from = (app: express.Express, ip: string, path = '/x') => request(app).get(path).set('x-forwarded-for', ip);

describe('rate limiter (express-rate-limit, per client address)', () => {
  it('allows max requests per window and address, then answers 429 RATE_LIMITED with Retry-After', async () => {
    const app = appLimitedBy({ rule: { max: 2, windowSeconds: 60 } });
    await from(app, '203.0.113.7').expect(200);
    await from(app, '203.0.113.7').expect(200);
    const refused = await from(app, '203.0.113.7').expect(429);
    assert.equal(refused.body.error.code, 'RATE_LIMITED');
    assert.deepEqual(refused.body.error.details, { retryAfterSeconds: 60, limit: 2, windowSeconds: 60 });
    assert.equal(refused.headers['retry-after'], '60');
    await from(app, '203.0.113.8').expect(200);
  });

  it('counts one IPv6 site (/56) as one address', async () => {
    const app = appLimitedBy({ rule: { max: 1, windowSeconds: 60 } });
    await from(app, '2001:db8:0:100::1').expect(200);
    await from(app, '2001:db8:0:1ff::2').expect(429);
    await from(app, '2001:db8:0:200::1').expect(200);
  });

  it('counts per scope, skips what it is told to, and lets an HTML route answer for itself', async () => {
    const refusals: AppError[] = [];
    const app = appLimitedBy({
      rule: { max: 1, windowSeconds: 30 },
      scope: (req) => String(req.query.link ?? ''),
      skip: (req) => req.query.free === '1',
      message: 'Slow down.',
      refuse: (_req, res, err) => {
        refusals.push(err);
        res.status(err.status).type('html').send(`<h1>${err.message}</h1><code>${err.code}</code>`);
      },
    });
    await from(app, '198.51.100.1', '/x?link=a').expect(200);
    await from(app, '198.51.100.1', '/x?link=b').expect(200);
    for (let i = 0; i < 3; i += 1) await from(app, '198.51.100.1', '/x?link=a&free=1').expect(200);
    const page = await from(app, '198.51.100.1', '/x?link=a').expect(429);
    assert.match(page.headers['content-type'] ?? '', /text\/html/);
    assert.equal(page.text, '<h1>Slow down.</h1><code>RATE_LIMITED</code>');
    assert.equal(refusals.length, 1);
    assert.ok(Number(page.headers['retry-after']) <= 30);
  });
});
