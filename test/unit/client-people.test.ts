import assert from 'node:assert/strict';
import {
  foldName,
  matchesQuery,
  orderPeople,
  type PeopleOrder,
  type PersonFacts,
} from '../../client/src/room/people-order.js';

/**
 * badges.ts imports the i18n module (a bundler-style import without extension): loaded by path at run
 * time, like client-i18n.test.ts does, with local types for what the tests call.
 */
const load = (path: string): Promise<unknown> => import(new URL(`../../client/src/${path}`, import.meta.url).href);
interface Counts {
  waiting: number;
  hands: number;
  unreadChat: number;
}
const { badgeCounts, peopleBadgeText, chatBadgeText, newKnocks } = (await load('room/badges.ts')) as {
  badgeCounts(input: {
    waiting: readonly unknown[];
    participants: readonly { isLocal: boolean; handRaised: boolean }[];
    unreadChat: number;
    chatOpen: boolean;
    isLeader: boolean;
  }): Counts;
  peopleBadgeText(counts: Counts): string;
  chatBadgeText(counts: Counts): string;
  newKnocks<T extends { identity: string }>(before: readonly T[] | undefined, now: readonly T[]): T[];
};

const person = (name: string, o: Partial<PersonFacts> = {}): PersonFacts => ({
  name,
  isLocal: false,
  handRaised: false,
  handRaisedAt: 0,
  speaking: false,
  lastSpokeAt: 0,
  ...o,
});
const names = (people: PersonFacts[]) => people.map((p) => p.name);

describe('people panel (client)', () => {
  describe('search', () => {
    const cases: [name: string, query: string, matches: boolean][] = [
      ['José Álvarez', '', true],
      ['José Álvarez', '   ', true],
      ['José Álvarez', 'jose', true],
      ['José Álvarez', 'ÁLVAREZ', true],
      ['José Álvarez', 'alv jos', true],
      ['José Álvarez', 'josé  álvarez', true],
      ['José Álvarez', 'maria', false],
      ['José Álvarez', 'jose maria', false],
      ['Mariana', 'ana', true],
      ['Demo student-12', 'student-1', true],
    ];
    for (const [name, query, matches] of cases) {
      it(`${JSON.stringify(query)} ${matches ? 'finds' : 'does not find'} ${name}`, () => {
        assert.equal(matchesQuery(name, query), matches);
      });
    }
    it('folds case, accents and runs of spaces', () => {
      assert.equal(foldName('  Ñandú   ÉLÈVE '), 'nandu eleve');
    });
  });

  describe('order', () => {
    const people = [
      person('Carla', { handRaised: true, handRaisedAt: 3000, lastSpokeAt: 500 }),
      person('ana', { speaking: true, lastSpokeAt: 900 }),
      person('Bea', { handRaised: true, handRaisedAt: 1000, lastSpokeAt: 800 }),
      person('Dora', { handRaised: true, handRaisedAt: 0 }),
      person('Émile', { speaking: true, lastSpokeAt: 950 }),
      person('You', { isLocal: true }),
      person('Student 10'),
      person('Student 9'),
    ];
    const table: [PeopleOrder, string[]][] = [
      // Hands in the order they went up (an unknown time last), then everyone else by name.
      ['hand', ['You', 'Bea', 'Carla', 'Dora', 'ana', 'Émile', 'Student 9', 'Student 10']],
      // Speaking now (latest first), then by when they last spoke, then those who never did by name.
      ['speaking', ['You', 'Émile', 'ana', 'Bea', 'Carla', 'Dora', 'Student 9', 'Student 10']],
      ['name', ['You', 'ana', 'Bea', 'Carla', 'Dora', 'Émile', 'Student 9', 'Student 10']],
    ];
    for (const [order, expected] of table) {
      it(`by ${order}: you first, then ${expected.slice(1, 3).join(', ')}…`, () => {
        assert.deepEqual(names(orderPeople(people, order, '', 'en')), expected);
      });
    }
    it('filters by the search and never changes the input', () => {
      const before = names(people);
      assert.deepEqual(names(orderPeople(people, 'hand', 'a', 'en')), ['Bea', 'Carla', 'Dora', 'ana']);
      assert.deepEqual(names(orderPeople(people, 'name', 'emile', 'en')), ['Émile']);
      assert.deepEqual(orderPeople(people, 'name', 'nobody'), []);
      assert.deepEqual(names(people), before);
    });
    it('keeps 300 people in order quickly', () => {
      const crowd = Array.from({ length: 300 }, (_, i) =>
        person(`Student ${300 - i}`, { handRaised: i % 7 === 0, handRaisedAt: i, lastSpokeAt: i % 5 }),
      );
      const started = performance.now();
      for (const order of ['hand', 'speaking', 'name'] as const) orderPeople(crowd, order, 'stud');
      assert.ok(performance.now() - started < 100);
      assert.equal(orderPeople(crowd, 'name')[0]?.name, 'Student 1');
    });
  });

  describe('badge counts', () => {
    const participants = [
      { isLocal: true, handRaised: true },
      { isLocal: false, handRaised: true },
      { isLocal: false, handRaised: false },
      { isLocal: false, handRaised: true },
    ];
    const table: [label: string, input: Parameters<typeof badgeCounts>[0], expected: Counts][] = [
      [
        'a teacher with two waiting, chat closed',
        { waiting: [{}, {}], participants, unreadChat: 4, chatOpen: false, isLeader: true },
        { waiting: 2, hands: 2, unreadChat: 4 },
      ],
      [
        'chat open: nothing unread',
        { waiting: [], participants, unreadChat: 4, chatOpen: true, isLeader: true },
        { waiting: 0, hands: 2, unreadChat: 0 },
      ],
      [
        'a student is told no queue',
        { waiting: [{}], participants, unreadChat: 1, chatOpen: false, isLeader: false },
        { waiting: 0, hands: 2, unreadChat: 1 },
      ],
      [
        'an empty room',
        { waiting: [], participants: [], unreadChat: -1, chatOpen: false, isLeader: true },
        { waiting: 0, hands: 0, unreadChat: 0 },
      ],
    ];
    for (const [label, input, expected] of table) {
      it(label, () => assert.deepEqual(badgeCounts(input), expected));
    }
    it('says the counts in words', () => {
      assert.equal(peopleBadgeText({ waiting: 1, hands: 3, unreadChat: 2 }), '1 waiting, 3 raised hands');
      assert.equal(peopleBadgeText({ waiting: 0, hands: 1, unreadChat: 0 }), '1 raised hand');
      assert.equal(peopleBadgeText({ waiting: 0, hands: 0, unreadChat: 5 }), '');
      assert.equal(chatBadgeText({ waiting: 0, hands: 0, unreadChat: 1 }), '1 new message');
      assert.equal(chatBadgeText({ waiting: 3, hands: 0, unreadChat: 0 }), '');
    });
  });

  describe('new knocks', () => {
    const a = { identity: 'u-a', name: 'A' };
    const b = { identity: 'u-b', name: 'B' };
    const c = { identity: 'u-c', name: 'C' };
    it('names who is in the queue now and was not before, in queue order', () => {
      assert.deepEqual(newKnocks([a], [a, b, c]), [b, c]);
      assert.deepEqual(newKnocks([a, b], [b]), []);
      assert.deepEqual(newKnocks([], [a]), [a]);
    });
    it('the first queue knocks nobody', () => assert.deepEqual(newKnocks(undefined, [a, b]), []));
  });
});
