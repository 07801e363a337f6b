import assert from 'node:assert/strict';
import {
  grantsFor,
  roleFromGrants,
  type Grants,
  type ParticipantState,
  type Role,
  type RoomSwitches,
  type Source,
} from '../../src/rooms/grants.js';

type Settings = { audioOnly: boolean; publishers: 'everyone' | 'instructors' };
const open: Settings = { audioOnly: false, publishers: 'everyone' };
const audio: Settings = { audioOnly: true, publishers: 'everyone' };
const webinar: Settings = { audioOnly: false, publishers: 'instructors' };
const audioWebinar: Settings = { audioOnly: true, publishers: 'instructors' };

const chatOn: RoomSwitches = { chatEnabled: true };
const chatOff: RoomSwitches = { chatEnabled: false };

const AV: Source[] = ['camera', 'microphone'];
const ALL: Source[] = ['camera', 'microphone', 'screen_share', 'screen_share_audio'];

type Row = [string, Role, Settings, ParticipantState, Partial<Grants>, RoomSwitches?];
const ROWS: Row[] = [
  [
    'instructor leads with every source',
    'instructor',
    open,
    {},
    { roomAdmin: true, canPublishSources: ALL, canPublishData: true },
  ],
  [
    'instructor in audio-only: no camera, keeps screen share',
    'instructor',
    audio,
    {},
    { canPublishSources: ['microphone', 'screen_share', 'screen_share_audio'] },
  ],
  ['instructor in a webinar still speaks', 'instructor', webinar, {}, { roomAdmin: true, canPublishSources: ALL }],
  [
    'instructor muted by another instructor loses that source',
    'instructor',
    open,
    { mutedSources: ['microphone'] },
    { canPublishSources: ['camera', 'screen_share', 'screen_share_audio'] },
  ],
  [
    'participant: camera and microphone, no screen share',
    'participant',
    open,
    {},
    { roomAdmin: false, canPublish: true, canPublishSources: AV },
  ],
  ['participant in audio-only: microphone only', 'participant', audio, {}, { canPublishSources: ['microphone'] }],
  [
    'participant in a webinar: listens until promoted',
    'participant',
    webinar,
    {},
    { canPublish: false, canPublishSources: [] },
  ],
  [
    'participant promoted in a webinar speaks',
    'participant',
    webinar,
    { promoted: true },
    { canPublish: true, canPublishSources: AV },
  ],
  [
    'promoted participant in an audio-only webinar: microphone',
    'participant',
    audioWebinar,
    { promoted: true },
    { canPublishSources: ['microphone'] },
  ],
  [
    'participant with sticky-muted microphone keeps the camera',
    'participant',
    open,
    { mutedSources: ['microphone'] },
    { canPublish: true, canPublishSources: ['camera'] },
  ],
  [
    'participant with both sources muted cannot publish',
    'participant',
    open,
    { mutedSources: ['microphone', 'camera'] },
    { canPublish: false, canPublishSources: [] },
  ],
  [
    'participant raises a hand through own metadata, in every mode',
    'participant',
    webinar,
    {},
    { canUpdateOwnMetadata: true, canPublishData: true },
  ],
  [
    'participant while chat is off: no data, keeps the hand (own metadata) and the microphone',
    'participant',
    open,
    {},
    { canPublishData: false, canUpdateOwnMetadata: true, canPublishSources: AV },
    chatOff,
  ],
  [
    'instructor keeps data while chat is off',
    'instructor',
    open,
    {},
    { canPublishData: true, roomAdmin: true },
    chatOff,
  ],
  [
    'observer has no data whether chat is on or off',
    'observer',
    open,
    {},
    { canPublishData: false, canUpdateOwnMetadata: false },
    chatOn,
  ],
  [
    'observer subscribes only',
    'observer',
    open,
    {},
    { roomAdmin: false, canPublish: false, canPublishSources: [], canPublishData: false, canUpdateOwnMetadata: false },
  ],
  [
    'observer stays silent even if "promoted"',
    'observer',
    webinar,
    { promoted: true },
    { canPublish: false, canPublishSources: [] },
  ],
];

describe('grants per role, settings and state', () => {
  for (const [name, role, settings, state, expected, room = chatOn] of ROWS) {
    it(name, () => {
      const g = grantsFor(role, settings, room, state);
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(g[key as keyof Grants], value, key);
    });
  }

  it('sets every field explicitly, for every combination (omitted means true in LiveKit)', () => {
    const fields: (keyof Grants)[] = [
      'roomAdmin',
      'canPublish',
      'canPublishSources',
      'canSubscribe',
      'canPublishData',
      'canUpdateOwnMetadata',
      'hidden',
      'recorder',
    ];
    for (const role of ['instructor', 'participant', 'observer'] as Role[]) {
      for (const settings of [open, audio, webinar, audioWebinar]) {
        for (const state of [{}, { promoted: true }, { mutedSources: ['camera'] as Source[] }]) {
          for (const room of [chatOn, chatOff]) {
            const g = grantsFor(role, settings, room, state);
            for (const f of fields) assert.notEqual(g[f], undefined, `${role} ${JSON.stringify(settings)} ${f}`);
            assert.equal(g.canPublish, g.canPublishSources.length > 0);
            assert.equal(g.canSubscribe, true);
            assert.equal(g.hidden, false);
            assert.equal(g.recorder, false);
            assert.equal(g.roomAdmin, role === 'instructor');
            assert.equal(g.canPublishData, role === 'instructor' || (role === 'participant' && room.chatEnabled));
          }
        }
      }
    }
  });

  it('reads the role back from the SFU permission, for every combination, chat on or off (never from metadata)', () => {
    const states: ParticipantState[] = [
      {},
      { promoted: true },
      { mutedSources: ['camera'] },
      { mutedSources: ['microphone', 'camera'] },
      { promoted: true, mutedSources: ['microphone', 'camera'] },
    ];
    for (const role of ['instructor', 'participant', 'observer'] as Role[]) {
      for (const settings of [open, audio, webinar, audioWebinar]) {
        for (const state of states) {
          for (const room of [chatOn, chatOff]) {
            const g = grantsFor(role, settings, room, state);
            assert.equal(roleFromGrants(g), role, `${role} ${JSON.stringify(state)} ${JSON.stringify(room)}`);
          }
        }
      }
    }
    assert.equal(roleFromGrants(undefined), 'participant', 'unknown permission: no privilege');
  });
});
