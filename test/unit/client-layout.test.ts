import assert from 'node:assert/strict';
import {
  featuredOf,
  galleryOrder,
  gridFor,
  pageOf,
  pageSizeFor,
  stagePlan,
  stripFor,
  type Layout,
  type StagePerson,
} from '../../client/src/room/layout.js';

const person = (identity: string, o: Partial<StagePerson> = {}): StagePerson => ({
  identity,
  isLocal: false,
  role: 'participant',
  lastSpokeAt: 0,
  ...o,
});
const ids = (people: StagePerson[]) => people.map((p) => p.identity);

describe('room layout (client)', () => {
  describe('gridFor', () => {
    it('fills the stage row by row, rows as even as can be, the worst cell closest to 4:3', () => {
      assert.deepEqual(gridFor(7, 752, 620).perRow, [3, 2, 2]);
      assert.deepEqual(gridFor(2, 752, 620).perRow, [1, 1]);
      assert.deepEqual(gridFor(2, 1084, 560).perRow, [2]);
      assert.deepEqual(gridFor(25, 1084, 560).perRow, [5, 5, 5, 5, 5]);
      assert.deepEqual(gridFor(4, 374, 700).perRow, [1, 1, 1, 1]);
    });
    it('sizes the cells from both width and height, gaps between', () => {
      const g = gridFor(4, 808, 608);
      assert.deepEqual([g.perRow, g.widths, g.tileHeight], [[2, 2], [400, 400], 300]);
      assert.deepEqual(gridFor(3, 808, 608).widths, [400, 808]);
    });
    it('is whole for one person and for a stage not measured yet', () => {
      assert.deepEqual(gridFor(1, 1000, 600).perRow, [1]);
      assert.deepEqual(gridFor(3, 0, 0).perRow, [3]);
    });
  });

  describe('pageSizeFor', () => {
    it('shows up to 5 × 5 on a desktop frame, fewer where tiles would get too small', () => {
      assert.equal(pageSizeFor(1084, 560), 25);
      assert.equal(pageSizeFor(784, 380), 20);
      assert.equal(pageSizeFor(374, 700), 18);
    });
    it('never goes above 25, nor below 1', () => {
      assert.equal(pageSizeFor(4000, 4000), 25);
      assert.equal(pageSizeFor(120, 90), 1);
    });
    it('uses a sensible default before the stage is measured', () => {
      assert.equal(pageSizeFor(0, 0), 9);
      assert.equal(pageSizeFor(Number.NaN, 500), 9);
    });
  });

  describe('stripFor', () => {
    it('keeps a fifth of the stage for a strip of 16:9 tiles, 72 to 120 px high', () => {
      assert.deepEqual(stripFor(1084, 560), { height: 112, count: 5 });
      assert.deepEqual(stripFor(374, 300), { height: 72, count: 2 });
      assert.equal(stripFor(2000, 1000).height, 120);
    });
  });

  describe('galleryOrder', () => {
    const now = 1_000_000;
    const people = [
      person('me', { isLocal: true }),
      person('teacher', { role: 'instructor' }),
      person('a'),
      person('b'),
      person('c', { lastSpokeAt: now - 5_000 }),
      person('d', { lastSpokeAt: now - 1_000 }),
      person('e', { lastSpokeAt: now - 60_000 }),
    ];
    it('keeps the given order while everyone fits on one page', () => {
      assert.deepEqual(ids(galleryOrder(people, 8, now)), ids(people));
    });
    it('moves recent speakers onto the first page of a crowded room, latest first', () => {
      assert.deepEqual(ids(galleryOrder(people, 4, now)), ['me', 'teacher', 'd', 'c', 'a', 'b', 'e']);
    });
  });

  describe('pageOf', () => {
    const items = [1, 2, 3, 4, 5, 6, 7];
    it('slices pages and counts them', () => {
      assert.deepEqual(pageOf(items, 3, 1), { items: [4, 5, 6], page: 1, pages: 3 });
      assert.deepEqual(pageOf(items, 3, 2), { items: [7], page: 2, pages: 3 });
    });
    it('clamps a page that no longer exists (people left)', () => {
      assert.deepEqual(pageOf(items, 3, 9), { items: [7], page: 2, pages: 3 });
      assert.deepEqual(pageOf([], 3, 2), { items: [], page: 0, pages: 1 });
    });
  });

  describe('featuredOf', () => {
    it('features a shared screen first, another person’s before your own', () => {
      const people = [person('me', { isLocal: true, screenTrack: {} }), person('t', { screenTrack: {} }), person('a')];
      assert.equal(featuredOf(people)?.identity, 't');
      assert.equal(featuredOf([person('me', { isLocal: true, screenTrack: {} }), person('a')])?.identity, 'me');
      assert.equal(featuredOf(people, 'presentation')?.identity, 't');
    });
    it('speaker view: the last speaker other than you, then a teacher, then anyone', () => {
      const me = person('me', { isLocal: true, lastSpokeAt: 99 });
      assert.equal(featuredOf([me, person('a', { lastSpokeAt: 5 }), person('b', { lastSpokeAt: 9 })])?.identity, 'b');
      assert.equal(featuredOf([me, person('a'), person('t', { role: 'instructor' })])?.identity, 't');
      assert.equal(featuredOf([me, person('a')])?.identity, 'a');
      assert.equal(featuredOf([me])?.identity, 'me');
      const talking = [me, person('t', { role: 'instructor', lastSpokeAt: 5 }), person('a', { lastSpokeAt: 9 })];
      assert.equal(featuredOf(talking, 'speaker')?.identity, 'a');
    });

    const PRESENTER: Array<[string, StagePerson[], string]> = [
      [
        'the teacher, though a student spoke last',
        [
          person('me', { isLocal: true }),
          person('t', { role: 'instructor', lastSpokeAt: 5 }),
          person('a', { lastSpokeAt: 9 }),
        ],
        't',
      ],
      [
        'the teacher who never spoke',
        [person('me', { isLocal: true }), person('a', { lastSpokeAt: 9 }), person('t', { role: 'instructor' })],
        't',
      ],
      [
        'of two teachers, the one who spoke last',
        [
          person('me', { isLocal: true }),
          person('t1', { role: 'instructor', lastSpokeAt: 3 }),
          person('t2', { role: 'instructor', lastSpokeAt: 7 }),
          person('a', { lastSpokeAt: 9 }),
        ],
        't2',
      ],
      [
        'on the teacher’s own page, the active speaker',
        [
          person('me', { isLocal: true, role: 'instructor', lastSpokeAt: 99 }),
          person('a'),
          person('b', { lastSpokeAt: 4 }),
        ],
        'b',
      ],
      [
        'with no teacher in the room, the active speaker',
        [person('me', { isLocal: true }), person('a', { lastSpokeAt: 2 }), person('b')],
        'a',
      ],
    ];
    for (const [name, people, expected] of PRESENTER) {
      it(`presentation view: ${name}`, () => assert.equal(featuredOf(people, 'presentation')?.identity, expected));
    }
  });

  describe('stagePlan', () => {
    const me = person('me', { isLocal: true });
    const teacher = person('t', { role: 'instructor' });
    const talker = person('a', { lastSpokeAt: 9 });
    const sharer = person('s', { role: 'instructor', screenTrack: {} });
    const plan = (people: StagePerson[], view: Layout, width: number) => {
      const p = stagePlan(people, view, width);
      return { view: p.view, spot: p.spot && `${p.spot.kind}:${p.spot.person.identity}`, strip: p.strip };
    };
    const CASES: Array<[string, StagePerson[], Layout, number, ReturnType<typeof plan>]> = [
      [
        'gallery, nobody sharing: pages of tiles',
        [me, teacher, talker],
        'gallery',
        1084,
        { view: 'gallery', spot: undefined, strip: false },
      ],
      [
        'gallery, a screen shared: it goes large over the strip',
        [me, sharer, talker],
        'gallery',
        1084,
        { view: 'speaker', spot: 'screen:s', strip: true },
      ],
      [
        'speaker, nobody sharing: the active speaker',
        [me, teacher, talker],
        'speaker',
        1084,
        { view: 'speaker', spot: 'person:a', strip: true },
      ],
      [
        'presentation, nobody sharing: the teacher',
        [me, teacher, talker],
        'presentation',
        1084,
        { view: 'presentation', spot: 'person:t', strip: true },
      ],
      [
        'presentation, a screen shared: the screen over the strip',
        [me, sharer, talker],
        'presentation',
        784,
        { view: 'presentation', spot: 'screen:s', strip: true },
      ],
      [
        'presentation on a phone: the screen alone, people hidden',
        [me, sharer, talker],
        'presentation',
        374,
        { view: 'presentation', spot: 'screen:s', strip: false },
      ],
      [
        'speaker on a phone: the screen keeps its strip',
        [me, sharer, talker],
        'speaker',
        374,
        { view: 'speaker', spot: 'screen:s', strip: true },
      ],
      [
        'presentation, not measured yet: the strip kept',
        [me, sharer],
        'presentation',
        0,
        { view: 'presentation', spot: 'screen:s', strip: true },
      ],
      [
        'the one sharing sees that they share, the people in the strip even on a phone',
        [person('me', { isLocal: true, role: 'instructor', screenTrack: {} }), talker],
        'presentation',
        374,
        { view: 'presentation', spot: 'sharing:me', strip: true },
      ],
      [
        'alone: the gallery (the large spot would be you)',
        [person('me', { isLocal: true, role: 'instructor' })],
        'presentation',
        1084,
        { view: 'gallery', spot: undefined, strip: false },
      ],
    ];
    for (const [name, people, view, width, expected] of CASES) {
      it(name, () => assert.deepEqual(plan(people, view, width), expected));
    }
  });
});
