import assert from 'node:assert/strict';
import { openRecordingBucket, type BucketSettings } from '../../src/s3/recording-bucket.js';

const SETTINGS: BucketSettings = {
  bucket: 'class-recordings',
  region: 'eu-west-1',
  endpoint: 'https://s3.example.edu',
  forcePathStyle: true,
  prefix: 'live/',
  accessKey: 'AKIA-TEST',
  secret: 'x'.repeat(40),
};

/** The bucket's pure side (no request leaves: presigning is local): Egress's target, presigned URLs, origins. */
describe('recording bucket', () => {
  it("names the bucket for Egress without the tool's keys, under the prefix", () => {
    const target = openRecordingBucket(SETTINGS).output('ses_a.r1.mp4');
    assert.deepEqual(target, {
      filepath: 'live/ses_a.r1.mp4',
      s3: { bucket: 'class-recordings', region: 'eu-west-1', endpoint: 'https://s3.example.edu', forcePathStyle: true },
    });
    assert.doesNotMatch(JSON.stringify(target), /AKIA|xxxx/);
  });

  it('hands a file over as a presigned GET that ends with the link, with our headers', async () => {
    const expiresAt = new Date(Date.now() + 120_000);
    const handover = await openRecordingBucket(SETTINGS).handover('ses_a.r1.mp4', {
      expiresAt,
      contentType: 'video/mp4',
      contentDisposition: 'attachment; filename="Class - 2026-12-03 10.00.mp4"',
    });
    assert.equal(handover?.kind, 'redirect');
    const url = new URL(handover.kind === 'redirect' ? handover.url : '');
    assert.equal(`${url.origin}${url.pathname}`, 'https://s3.example.edu/class-recordings/live/ses_a.r1.mp4');
    const q = url.searchParams;
    assert.ok(Math.abs(Number(q.get('X-Amz-Expires')) - 120) <= 1, q.get('X-Amz-Expires') ?? '');
    assert.equal(q.get('response-content-type'), 'video/mp4');
    assert.equal(q.get('response-content-disposition'), 'attachment; filename="Class - 2026-12-03 10.00.mp4"');
    assert.equal(q.get('response-cache-control'), 'private, no-store');
    assert.match(q.get('X-Amz-Credential') ?? '', /^AKIA-TEST\/\d{8}\/eu-west-1\/s3\/aws4_request$/);
    // A link at its very end still gets a presigned URL of a second, never an unexpiring one.
    const late = await openRecordingBucket(SETTINGS).handover('ses_a.r1.mp4', {
      expiresAt: new Date(Date.now() - 5_000),
      contentType: 'video/mp4',
      contentDisposition: 'inline',
    });
    assert.equal(new URL(late?.kind === 'redirect' ? late.url : '').searchParams.get('X-Amz-Expires'), '1');
  });

  it('tells the origin players are redirected to: path style, virtual-hosted, AWS', async () => {
    const cases: Array<[Partial<BucketSettings>, string]> = [
      [{}, 'https://s3.example.edu'],
      [{ forcePathStyle: false }, 'https://class-recordings.s3.example.edu'],
      [{ endpoint: undefined, forcePathStyle: false }, 'https://class-recordings.s3.eu-west-1.amazonaws.com'],
    ];
    for (const [change, origin] of cases)
      assert.equal(
        await openRecordingBucket({ ...SETTINGS, ...change }).mediaOrigin?.(),
        origin,
        JSON.stringify(change),
      );
  });

  it('never makes a key of a name that is not one plain file name', async () => {
    const bucket = openRecordingBucket({ ...SETTINGS, endpoint: 'http://127.0.0.1:9' });
    for (const name of ['../other.mp4', 'a/b.mp4', '.hidden.mp4', '']) {
      assert.equal(await bucket.find(name), undefined, name);
      assert.equal(await bucket.remove(name), false, name);
      assert.equal(
        await bucket.handover(name, { expiresAt: new Date(), contentType: '', contentDisposition: '' }),
        undefined,
      );
    }
  });

  it('says the storage is unavailable, never a raw SDK error, when the bucket does not answer', async () => {
    // Nothing listens on the discard port of loopback: refused at once.
    const bucket = openRecordingBucket({ ...SETTINGS, endpoint: 'http://127.0.0.1:9' });
    await assert.rejects(bucket.find('ses_a.r1.mp4'), { code: 'RECORDING_STORAGE_UNAVAILABLE' });
    await assert.rejects(bucket.remove('ses_a.r1.mp4'), { code: 'RECORDING_STORAGE_UNAVAILABLE' });
  });

  it('says the bucket is unavailable when its server does not answer (readiness)', async () => {
    // Port 9 on loopback: nothing listens there, so the connection is refused at once.
    const bucket = openRecordingBucket({ ...SETTINGS, endpoint: 'http://127.0.0.1:9' });
    await assert.rejects(bucket.check(), (err: { code?: string }) => err.code === 'RECORDING_STORAGE_UNAVAILABLE');
  });
});
