import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { AppError } from '../../src/errors.js';
import { errorHandler, notFound } from '../../src/http/errors-middleware.js';

function appThrowing(error: unknown) {
  const app = express();
  app.use(express.json({ limit: '1kb' }));
  app.post('/echo', (req, res) => res.json(z.object({ name: z.string().min(1) }).parse(req.body)));
  app.get('/boom', () => {
    throw error;
  });
  app.use(notFound);
  app.use(errorHandler);
  return app;
}

describe('error middleware', () => {
  it('renders an AppError with its code, status and safe details', async () => {
    const res = await request(appThrowing(new AppError('FORBIDDEN', { details: { why: 'role' } })))
      .get('/boom')
      .expect(403);
    assert.deepEqual(res.body, {
      error: { code: 'FORBIDDEN', message: 'You are not allowed to do this.', details: { why: 'role' } },
    });
  });

  it('names the former code of a renamed code, so clients matching on the old one can move over', async () => {
    const res = await request(appThrowing(new AppError('ROOM_IN_WAITING_ROOM')))
      .get('/boom')
      .expect(409);
    assert.equal(res.body.error.code, 'ROOM_IN_WAITING_ROOM');
    assert.equal(res.body.error.formerCode, 'IN_WAITING_ROOM');
  });

  it('never echoes the message of an unexpected error', async () => {
    const res = await request(appThrowing(new Error('secret connection string mongodb://u:p@h')))
      .get('/boom')
      .expect(500);
    assert.equal(res.body.error.code, 'INTERNAL');
    assert.doesNotMatch(JSON.stringify(res.body), /secret|mongodb/);
  });

  it('answers unknown routes with 404 NOT_FOUND in the same shape', async () => {
    const res = await request(appThrowing(null)).get('/nope').expect(404);
    assert.equal(res.body.error.code, 'NOT_FOUND');
  });

  it('answers malformed JSON with 400 BAD_REQUEST', async () => {
    const res = await request(appThrowing(null))
      .post('/echo')
      .set('content-type', 'application/json')
      .send('{"name":')
      .expect(400);
    assert.equal(res.body.error.code, 'BAD_REQUEST');
  });

  it('answers an oversized body with 413 BODY_TOO_LARGE', async () => {
    const res = await request(appThrowing(null))
      .post('/echo')
      .send({ name: 'x'.repeat(5000) })
      .expect(413);
    assert.equal(res.body.error.code, 'BODY_TOO_LARGE');
  });

  it('answers a schema violation with 400 VALIDATION_FAILED naming the field', async () => {
    const res = await request(appThrowing(null)).post('/echo').send({ name: '' }).expect(400);
    assert.equal(res.body.error.code, 'VALIDATION_FAILED');
    assert.deepEqual(
      res.body.error.details.fields.map((f: { path: string }) => f.path),
      ['name'],
    );
  });
});

describe('request logging', () => {
  it('keeps parameter names but drops values from logged URLs', async () => {
    const { redactQuery } = await import('../../src/http/request-logging.js');
    assert.equal(
      redactQuery('/lti/register?openid_configuration=https://x&registration_token=secret'),
      '/lti/register?openid_configuration=…&registration_token=…',
    );
    assert.equal(redactQuery('/healthz'), '/healthz');
  });
});
