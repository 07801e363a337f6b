import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { AppError } from '../../src/errors.js';
import { healthRouter, type ReadinessCheck } from '../../src/http/health-router.js';

function app(checks: ReadinessCheck[], shuttingDown = false) {
  return express().use(healthRouter({ checks, timeoutMs: 200, isShuttingDown: () => shuttingDown }));
}
const ok = (name: string): ReadinessCheck => ({ name, check: async () => undefined });

describe('health endpoints', () => {
  it('/healthz answers 200 whatever the dependencies say', async () => {
    await request(app([{ name: 'database', check: () => Promise.reject(new Error('down')) }]))
      .get('/healthz')
      .expect(200, { status: 'ok' });
  });

  it('/readyz answers 200 when every check passes', async () => {
    const res = await request(app([ok('database'), ok('livekit')]))
      .get('/readyz')
      .expect(200);
    assert.equal(res.body.status, 'ok');
    assert.deepEqual(res.body.down, []);
  });

  it('/readyz reports an optional check that fails (recording) under degraded, and stays 200', async () => {
    const recording: ReadinessCheck = {
      name: 'recording',
      optional: true,
      check: () => Promise.reject(new AppError('RECORDING_UNAVAILABLE')),
    };
    const res = await request(app([ok('database'), recording]))
      .get('/readyz')
      .expect(200);
    assert.deepEqual([res.body.down, res.body.degraded], [[], ['recording']]);
    assert.deepEqual(
      [res.body.checks.recording.ok, res.body.checks.recording.error, res.body.checks.recording.optional],
      [false, 'RECORDING_UNAVAILABLE', true],
    );
  });

  it('/readyz answers 503 naming what is down, with a code and no internal message', async () => {
    const res = await request(
      app([ok('database'), { name: 'livekit', check: () => Promise.reject(new AppError('LIVEKIT_UNAUTHORIZED')) }]),
    )
      .get('/readyz')
      .expect(503);
    assert.equal(res.body.status, 'unavailable');
    assert.deepEqual(res.body.down, ['livekit']);
    assert.equal(res.body.checks.livekit.error, 'LIVEKIT_UNAUTHORIZED');
    assert.equal(res.body.checks.database.ok, true);
  });

  it('/readyz treats a check that hangs as down after the timeout', async () => {
    const res = await request(app([{ name: 'database', check: () => new Promise(() => undefined) }]))
      .get('/readyz')
      .expect(503);
    assert.equal(res.body.checks.database.error, 'TIMEOUT');
  });

  it('/readyz answers 503 while the process shuts down, so the load balancer drains it', async () => {
    const res = await request(app([ok('database')], true))
      .get('/readyz')
      .expect(503);
    assert.deepEqual(res.body.down, ['shutdown']);
  });
});
