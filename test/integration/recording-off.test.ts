import assert from 'node:assert/strict';
import type { RecordingStateResponse } from '../../src/http/contract.js';
import { LaunchedUser, useSfuFixture } from '../support/room-client.js';

/**
 * Recording where the deployment has none (the shared test stack runs no Egress): the room says so before
 * anyone presses Record, starting fails with a sentence and a stable code, and the stream form's checks and
 * refusals never give the key back.
 */
describe('recording unavailable: no Egress on this deployment', function () {
  this.timeout(60_000);
  const fixture = useSfuFixture('rec-off');
  const { launch, connect } = fixture;
  const error = async (res: Response) => {
    const text = await res.text();
    return { status: res.status, text, code: (JSON.parse(text) as { error?: { code?: string } }).error?.code };
  };

  it('says why recording is unavailable, refuses with RECORDING_OFF, students with 403, bad addresses with 400', async () => {
    const id = await LaunchedUser.createActivity(fixture.env.tool.url, { title: 'No recorder' });
    const teacher = await launch('instructor', id);
    const student = await launch('student', id);

    const me = await student.json<{ room: { recording: RecordingStateResponse } }>('GET', '/me');
    assert.deepEqual(me.room.recording, { available: false, reason: 'off', auto: false });
    assert.equal((await teacher.json<{ recording?: RecordingStateResponse }>('GET', '/room')).recording?.reason, 'off');

    // Before the class: there is nothing to record yet.
    assert.equal((await error(await teacher.request('POST', '/room/recording/start'))).code, 'RECORDING_NO_CLASS');
    await connect(teacher);
    const off = await error(await teacher.request('POST', '/room/recording/start'));
    assert.deepEqual([off.status, off.code], [503, 'RECORDING_OFF']);
    assert.match(off.text, /Recording is not set up on this server/);
    assert.equal((await error(await student.request('POST', '/room/recording/start'))).status, 403);
    assert.equal((await error(await student.request('POST', '/room/stream/stop'))).status, 403);

    const key = 'sk_live_do-not-echo-1234567890';
    for (const url of ['http://live.example.com/app', 'rtmp://user:s3cr3tpw@live.example.com/app', 'rtmp://', 'a b']) {
      const bad = await error(await teacher.request('POST', '/room/stream/start', { url, key }));
      assert.deepEqual([bad.status, bad.code], [400, 'VALIDATION_FAILED'], url);
      assert.ok(!bad.text.includes(key) && !bad.text.includes('s3cr3tpw'), bad.text);
    }
    const valid = await error(await teacher.request('POST', '/room/stream/start', { url: 'rtmps://x.test/app', key }));
    assert.deepEqual([valid.status, valid.code], [503, 'RECORDING_OFF']);
    assert.ok(!valid.text.includes(key));
    assert.equal((await error(await teacher.request('POST', '/room/recording/stop'))).code, 'RECORDING_NOT_ACTIVE');
  });
});
