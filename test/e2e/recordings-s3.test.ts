import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { Database } from '../../src/db/connection.js';
import { createRecordingStore } from '../../src/db/recording-store.js';
import { startS3, type S3Service } from '../../src/dev/stack/s3.js';
import { inPage, startBrowserTest } from '../support/browser.js';
import { makeRecording } from '../support/recordings.js';
import { LaunchedUser } from '../support/room-client.js';
import { openTestDatabase, type TestEnvironment } from '../support/test-tool.js';

/**
 * A recording kept in an S3-compatible bucket (gofakes3 on another loopback port, so another origin) plays
 * in Chromium from the tool's page: `<video src>` on the signed link, redirected to a presigned GET, with
 * no CORS rule on the bucket, under the tool's Content-Security-Policy, and no Referer sent to the bucket.
 */
describe('a recording in a bucket plays in the page through the redirect (headless Chromium)', function () {
  this.timeout(120_000);
  let s3: S3Service;
  let workDir: string;
  let env: TestEnvironment;
  let browser: Browser;
  let db: Database;

  before(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'liveclass-s3-e2e-'));
    s3 = await startS3({ workDir });
    [env, browser] = await startBrowserTest({
      RECORDINGS_STORAGE: 's3',
      RECORDINGS_S3_BUCKET: s3.bucket,
      RECORDINGS_S3_ENDPOINT: s3.endpoint,
      RECORDINGS_S3_REGION: s3.region,
      RECORDINGS_S3_FORCE_PATH_STYLE: 'true',
      RECORDINGS_S3_PREFIX: 'e2e/',
      RECORDINGS_S3_ACCESS_KEY: s3.accessKey,
      RECORDINGS_S3_SECRET: s3.secret,
    });
    db = await openTestDatabase(env);
  });
  after(async () => {
    await browser?.close();
    await db?.close();
    await s3?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('plays frames from the bucket, with no CORS and no Referer', async () => {
    const activity = await LaunchedUser.createActivity(env.tool.url, { title: 'S3 playback' });
    const teacher = await LaunchedUser.launch(env.tool.url, 'instructor', activity);
    const roomKey = (await teacher.joinGrant()).room;
    // The file as Egress would have uploaded it: made in a folder, put into the bucket under the prefix.
    const files = path.join(workDir, 'files');
    mkdirSync(files, { recursive: true });
    const made = await makeRecording(createRecordingStore(db.connection), files, {
      roomKey,
      seconds: 4,
    });
    const key = `e2e/${made.recording.fileName}`;
    const put = await fetch(`${s3.endpoint}/${s3.bucket}/${key}`, { method: 'PUT', body: await readFile(made.file) });
    assert.equal(put.status, 200);
    const { play } = await teacher.json('POST', `/room/recordings/${made.recording.recordingId}/links`);
    const link = play.url.replace(env.config.server.publicUrl, env.tool.url);

    const page = await browser.newPage();
    const fromBucket: Array<{ url: string; referer?: string; origin?: string }> = [];
    page.on('request', (req) => {
      if (req.url().startsWith(s3.endpoint))
        fromBucket.push({ url: req.url(), referer: req.headers().referer, origin: req.headers().origin });
    });
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|CORS/i.test(m.text())) refused.push(m.text());
    });
    // Any page of the tool carries its Content-Security-Policy; the launcher's own page is enough.
    await page.goto(`${env.tool.url}/launch`);
    await page.evaluate(
      `(() => { const v = Object.assign(document.createElement('video'), { src: ${JSON.stringify(link)}, muted: true }); document.body.append(v); void v.play(); })()`,
    );
    await page.waitForFunction(
      inPage(
        "(() => { const v = document.querySelector('body > video:last-of-type'); return v.readyState >= 2 && v.currentTime > 0.5 && v.videoWidth === 320; })()",
      ),
      undefined,
      { timeout: 30_000 },
    );
    assert.equal(await page.evaluate("document.querySelector('body > video:last-of-type').currentSrc"), link);
    assert.ok(fromBucket.length > 0, 'the media came from the bucket');
    for (const r of fromBucket) {
      assert.ok(r.url.startsWith(`${s3.endpoint}/${s3.bucket}/${key}?`), r.url);
      assert.ok(!r.referer, `no Referer to the bucket (${r.referer})`);
    }
    assert.deepEqual(refused, []);
    await page.close();
  });
});
