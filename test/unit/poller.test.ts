import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPoller } from '../../src/jobs/poller.js';
import { createLogger } from '../../src/log.js';

describe('poller', () => {
  const log = createLogger('silent');

  it('runs a pass at start, then one per poll, and none after stop', async () => {
    let passes = 0;
    const poller = createPoller(async () => void (passes += 1), { pollMs: 20, log, what: 'test' });
    poller.start();
    await sleep(110);
    await poller.stop();
    const stoppedAt = passes;
    assert.ok(passes >= 2, `${passes} passes in 110 ms at 20 ms`);
    await sleep(60);
    assert.equal(passes, stoppedAt);
  });

  it('never runs two passes at once: a kick during a pass is served by the next poll', async () => {
    let active = 0;
    let overlapped = false;
    let passes = 0;
    const poller = createPoller(
      async () => {
        active += 1;
        overlapped ||= active > 1;
        passes += 1;
        await sleep(40);
        active -= 1;
      },
      { pollMs: 60, log, what: 'test' },
    );
    poller.start();
    await sleep(10);
    poller.kick();
    poller.kick();
    await sleep(180);
    await poller.stop();
    assert.equal(overlapped, false);
    assert.ok(passes >= 2, `${passes} passes`);
  });

  it('keeps polling after a failed pass, and a kick while stopped does nothing', async () => {
    let passes = 0;
    const poller = createPoller(
      async () => {
        passes += 1;
        throw new Error('store down');
      },
      { pollMs: 15, log, what: 'test' },
    );
    poller.kick();
    await sleep(30);
    assert.equal(passes, 0);
    poller.start();
    await sleep(70);
    await poller.stop();
    assert.ok(passes >= 2, `${passes} passes`);
  });
});
