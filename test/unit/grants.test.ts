import assert from 'node:assert/strict';
import {
  grantsFor,
  roleFromGrants,
  roleOfParticipant,
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
    { roomAdmin: false, canPublishSources: ALL, canPublishData: true, canUpdateOwnMetadata: false },
  ],
  [
    'instructor in audio-only: no camera, keeps screen share',
    'instructor',
    audio,
    {},
    { canPublishSources: ['microphone', 'screen_share', 'screen_share_audio'] },
  ],
  ['instructor in a webinar still speaks', 'instructor', webinar, {}, { canPublishSources: ALL }],
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
    'participant cannot rename itself or edit its metadata or attributes (the tool raises hands)',
    'participant',
    webinar,
    {},
    { canUpdateOwnMetadata: false, canPublishData: true },
  ],
  [
    'participant while chat is off: no data, keeps the microphone',
    'participant',
    open,
    {},
    { canPublishData: false, canUpdateOwnMetadata: false, canPublishSources: AV },
    chatOff,
  ],
  ['instructor keeps data while chat is off', 'instructor', open, {}, { canPublishData: true }, chatOff],
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
            assert.equal(g.roomAdmin, false, 'a join token is never a RoomService credential');
            assert.equal(g.canUpdateOwnMetadata, false, 'names, metadata and attributes are the tool’s');
            assert.equal(g.canPublishData, role === 'instructor' || (role === 'participant' && room.chatEnabled));
          }
        }
      }
    }
  });

  it('reads the role back from the role attribute, for every combination, chat on or off (never from metadata)', () => {
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
            const p = { attributes: { role, hand: '2026-01-01T00:00:00Z' }, permission: g };
            assert.equal(roleOfParticipant(p), role, `${role} ${JSON.stringify(state)} ${JSON.stringify(room)}`);
          }
        }
      }
    }
    assert.equal(roleOfParticipant({}), 'participant', 'unknown permission: no privilege');
  });

  it('trusts the role attribute only when the participant cannot have written it', () => {
    const student = grantsFor('participant', open, chatOn);
    const forged = { role: 'instructor' };
    assert.equal(roleOfParticipant({ attributes: forged, permission: student }), 'instructor', 'the tool set it');
    // A token of the earlier grants could update its own attributes: its permission decides, as before.
    const legacy = { ...student, canUpdateOwnMetadata: true };
    assert.equal(roleOfParticipant({ attributes: forged, permission: legacy }), 'participant');
    assert.equal(roleOfParticipant({ attributes: forged }), 'participant', 'no permission known: no privilege');
    assert.equal(roleOfParticipant({ attributes: { role: 'admin' }, permission: student }), 'observer');
    const legacyTeacher = { ...grantsFor('instructor', open, chatOn), canUpdateOwnMetadata: true };
    assert.equal(roleOfParticipant({ attributes: {}, permission: legacyTeacher }), 'instructor');
    assert.equal(roleFromGrants(undefined), 'participant');
  });
});
