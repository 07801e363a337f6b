import assert from 'node:assert/strict';
import { maskStreamUrl } from '../../src/recordings/stream-url.js';

const ROWS: Array<[string, string, string]> = [
  [
    'a YouTube ingest',
    'rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl-mnop',
    'rtmp://a.rtmp.youtube.com/live2/****mnop',
  ],
  [
    'RTMPS with a port',
    'rtmps://live.example.com:443/app/sk_us-west_0123456789',
    'rtmps://live.example.com:443/app/****6789',
  ],
  [
    'a deeper app path',
    'rtmp://ingest.example.org/x/live/channel/abcdefghij',
    'rtmp://ingest.example.org/x/live/channel/****ghij',
  ],
  ['a key of 8 characters is hidden whole', 'rtmp://h.example/live/12345678', 'rtmp://h.example/live/****'],
  ['a key of 9 shows its last 4', 'rtmp://h.example/live/123456789', 'rtmp://h.example/live/****6789'],
  ['a short key', 'rtmp://h.example/live/k', 'rtmp://h.example/live/****'],
  ['no key at all', 'rtmp://h.example/live/', 'rtmp://h.example/live/'],
  ['host only', 'rtmp://h.example', 'rtmp://h.example'],
  ['user info masked', 'rtmp://user:pa55word@h.example/live/abcdefghij', 'rtmp://****@h.example/live/****ghij'],
  ['a query masked', 'rtmp://h.example/live/abcdefghij?token=s3cr3t', 'rtmp://h.example/live/****ghij?****'],
  [
    'librtmp options masked',
    'rtmp://h.example/live/abcdefghij live=1 pubPasswd=s3cr3t',
    'rtmp://h.example/live/****ghij ****',
  ],
  ['a percent-encoded key', 'rtmp://h.example/live/abc%2Fdefghi%3D', 'rtmp://h.example/live/****ghi='],
  ['surrounding spaces', '  rtmp://h.example/live/abcdefghij  ', 'rtmp://h.example/live/****ghij'],
  ['not a URL', 'abcdefghij-secret', '****'],
  ['empty', '', '****'],
];

describe('maskStreamUrl: a stream target shown without its key', () => {
  for (const [name, url, shown] of ROWS) {
    it(name, () => {
      assert.equal(maskStreamUrl(url), shown);
    });
  }

  it('never shows more of a key than its last 4 characters', () => {
    const key = 'k'.repeat(20) + 'TAIL';
    const shown = maskStreamUrl(`rtmp://h.example/live/${key}`);
    assert.ok(!shown.includes(key.slice(-5)), shown);
    assert.ok(shown.endsWith('TAIL'), shown);
  });
});
