import assert from 'node:assert/strict';
import type { RecordingStateResponse, RecordingViewDto } from '../../src/http/contract.js';
import { failureOf, indicatorOf, isRecordingPush } from '../../client/src/room/recording/recording-model.js';

const view = (status: RecordingViewDto['status'], kind: 'file' | 'stream' = 'file'): RecordingViewDto => ({
  recordingId: `ses_1.${kind === 'file' ? 'r' : 's'}1`,
  kind,
  status,
  startedBy: 'leader',
  requestedAt: '2030-01-01T09:00:00.000Z',
});

describe('client recording model', () => {
  it('shows the indicator from the moment a recording is asked for (before any media is recorded)', () => {
    const cases: Array<[RecordingStateResponse | undefined, { recording: boolean; streaming: boolean }]> = [
      [undefined, { recording: false, streaming: false }],
      [
        { available: true, auto: false },
        { recording: false, streaming: false },
      ],
      [
        { available: true, auto: false, file: view('starting') },
        { recording: true, streaming: false },
      ],
      [
        { available: true, auto: false, file: view('recording') },
        { recording: true, streaming: false },
      ],
      [
        { available: true, auto: false, file: view('ready'), stream: view('recording', 'stream') },
        { recording: false, streaming: true },
      ],
      [
        { available: true, auto: false, file: view('failed') },
        { recording: false, streaming: false },
      ],
    ];
    for (const [state, expected] of cases) assert.deepEqual(indicatorOf(state), expected, JSON.stringify(state));
  });

  it('tells the teacher of a failure until dismissed', () => {
    const state: RecordingStateResponse = { available: true, auto: false, file: { ...view('failed'), error: 'gone' } };
    assert.equal(failureOf(state, new Set())?.view.error, 'gone');
    assert.equal(failureOf(state, new Set(['ses_1.r1'])), undefined);
    assert.equal(isRecordingPush({ type: 'changed' }), true);
    assert.equal(isRecordingPush('changed'), false);
  });
});
