import assert from 'node:assert/strict';
import { decideJoin, EARLY_ENTRY_MS, type JoinDecision, type JoinFacts } from '../../src/rooms/join-policy.js';

const NOW = new Date('2030-03-01T10:00:00Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();
const MIN = 60_000;

const base: JoinFacts = {
  role: 'participant',
  settings: {
    startAt: null,
    durationMinutes: 60,
    waitingRoom: false,
    joinBeforeInstructor: true,
    maxParticipants: 10,
  },
  room: { state: 'live', locked: false },
  control: undefined,
  instructorPresent: true,
  participantCount: 3,
  now: NOW,
};

type Patch = {
  role?: JoinFacts['role'];
  settings?: Partial<JoinFacts['settings']>;
  room?: Partial<JoinFacts['room']>;
  control?: JoinFacts['control'];
  instructorPresent?: boolean;
  participantCount?: number;
};
const facts = (p: Patch): JoinFacts => ({
  ...base,
  ...p,
  settings: { ...base.settings, ...p.settings },
  room: { ...base.room, ...p.room },
});

/** Every gate closed at once: the refusal order decides which one a participant hears about. */
const everythingClosed: Patch = {
  settings: { startAt: at(60 * MIN), waitingRoom: true, joinBeforeInstructor: false, maxParticipants: 2 },
  room: { state: 'ended', locked: true },
  control: { removed: true, waiting: 'denied' },
  instructorPresent: false,
  participantCount: 5,
};

const ROWS: Array<[string, Patch, JoinDecision]> = [
  ['a participant joins an open room', {}, { ok: true, reopen: false }],
  ['an observer joins an open room', { role: 'observer' }, { ok: true, reopen: false }],
  ['a participant joins a room that is not live yet', { room: { state: 'created' } }, { ok: true, reopen: false }],
  ['ROOM_ENDED for a participant', { room: { state: 'ended' } }, { ok: false, code: 'ROOM_ENDED' }],
  ['ROOM_ENDED for an observer too', { role: 'observer', room: { state: 'ended' } }, { ok: false, code: 'ROOM_ENDED' }],
  [
    'ROOM_NOT_OPEN more than 15 minutes before the start, with the opening time',
    { settings: { startAt: at(EARLY_ENTRY_MS + MIN) } },
    { ok: false, code: 'ROOM_NOT_OPEN', opensAt: new Date(NOW.getTime() + MIN) },
  ],
  [
    'early entry: exactly 15 minutes before the start is open',
    { settings: { startAt: at(EARLY_ENTRY_MS) } },
    { ok: true, reopen: false },
  ],
  ['early entry: 5 minutes before the start', { settings: { startAt: at(5 * MIN) } }, { ok: true, reopen: false }],
  [
    'a scheduled class can be joined after its scheduled end (the instructor ends it)',
    { settings: { startAt: at(-3 * 60 * MIN) } },
    { ok: true, reopen: false },
  ],
  ['ROOM_PARTICIPANT_REMOVED', { control: { removed: true } }, { ok: false, code: 'ROOM_PARTICIPANT_REMOVED' }],
  ['ROOM_LOCKED', { room: { locked: true } }, { ok: false, code: 'ROOM_LOCKED' }],
  [
    'removal is named before the lock',
    { room: { locked: true }, control: { removed: true } },
    { ok: false, code: 'ROOM_PARTICIPANT_REMOVED' },
  ],
  [
    'ROOM_WAITING_FOR_INSTRUCTOR when the class needs its instructor',
    { settings: { joinBeforeInstructor: false }, instructorPresent: false },
    { ok: false, code: 'ROOM_WAITING_FOR_INSTRUCTOR' },
  ],
  [
    'joins once the instructor is there',
    { settings: { joinBeforeInstructor: false }, instructorPresent: true },
    { ok: true, reopen: false },
  ],
  [
    'ROOM_IN_WAITING_ROOM on first arrival',
    { settings: { waitingRoom: true } },
    { ok: false, code: 'ROOM_IN_WAITING_ROOM' },
  ],
  [
    'ROOM_IN_WAITING_ROOM while pending',
    { settings: { waitingRoom: true }, control: { waiting: 'pending' } },
    { ok: false, code: 'ROOM_IN_WAITING_ROOM' },
  ],
  [
    'ROOM_WAITING_DENIED after a teacher declined',
    { settings: { waitingRoom: true }, control: { waiting: 'denied' } },
    { ok: false, code: 'ROOM_WAITING_DENIED' },
  ],
  [
    'admitted from the waiting room',
    { settings: { waitingRoom: true }, control: { waiting: 'admitted' } },
    { ok: true, reopen: false },
  ],
  [
    'ROOM_FULL at capacity, with the limit',
    { settings: { maxParticipants: 3 }, participantCount: 3 },
    { ok: false, code: 'ROOM_FULL', maxParticipants: 3 },
  ],
  ['one seat left', { settings: { maxParticipants: 4 }, participantCount: 3 }, { ok: true, reopen: false }],
  [
    'an admitted participant still needs a seat',
    { settings: { waitingRoom: true, maxParticipants: 2 }, control: { waiting: 'admitted' }, participantCount: 2 },
    { ok: false, code: 'ROOM_FULL', maxParticipants: 2 },
  ],
  ['with every gate closed, ended comes first', everythingClosed, { ok: false, code: 'ROOM_ENDED' }],
  [
    'then not open yet',
    { ...everythingClosed, room: { state: 'live', locked: true } },
    { ok: false, code: 'ROOM_NOT_OPEN', opensAt: new Date(NOW.getTime() + 45 * MIN) },
  ],
  [
    'then removed, then locked, then waiting for the instructor, then the waiting room',
    {
      ...everythingClosed,
      room: { state: 'live', locked: true },
      settings: { ...everythingClosed.settings, startAt: null },
    },
    { ok: false, code: 'ROOM_PARTICIPANT_REMOVED' },
  ],
  [
    'an instructor passes every gate',
    { ...everythingClosed, role: 'instructor', room: { state: 'live', locked: true } },
    { ok: true, reopen: false },
  ],
  ['an instructor reopens an ended room', { ...everythingClosed, role: 'instructor' }, { ok: true, reopen: true }],
  [
    'an instructor opening a fresh room does not reopen',
    { role: 'instructor', room: { state: 'created' } },
    { ok: true, reopen: false },
  ],
];

describe('join policy: who gets a token, and the first reason a participant does not', () => {
  for (const [name, patch, expected] of ROWS) {
    it(name, () => assert.deepEqual(decideJoin(facts(patch)), expected));
  }

  it('names each refusal in order as the gates open one by one', () => {
    const order: string[] = [];
    let f = facts(everythingClosed);
    const open: Array<(f: JoinFacts) => JoinFacts> = [
      (x) => ({ ...x, room: { ...x.room, state: 'live' } }),
      (x) => ({ ...x, settings: { ...x.settings, startAt: null } }),
      (x) => ({ ...x, control: { waiting: 'denied' } }),
      (x) => ({ ...x, room: { ...x.room, locked: false } }),
      (x) => ({ ...x, instructorPresent: true }),
      (x) => ({ ...x, control: { waiting: 'pending' } }),
      (x) => ({ ...x, control: { waiting: 'admitted' } }),
      (x) => ({ ...x, participantCount: 1 }),
    ];
    for (const step of open) {
      const d = decideJoin(f);
      order.push(d.ok ? 'ok' : d.code);
      f = step(f);
    }
    const last = decideJoin(f);
    order.push(last.ok ? 'ok' : last.code);
    assert.deepEqual(order, [
      'ROOM_ENDED',
      'ROOM_NOT_OPEN',
      'ROOM_PARTICIPANT_REMOVED',
      'ROOM_LOCKED',
      'ROOM_WAITING_FOR_INSTRUCTOR',
      'ROOM_WAITING_DENIED',
      'ROOM_IN_WAITING_ROOM',
      'ROOM_FULL',
      'ok',
    ]);
  });
});
