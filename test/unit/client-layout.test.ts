import assert from 'node:assert/strict';
import {
  featuredOf,
  galleryOrder,
  gridFor,
  pageOf,
  pageSizeFor,
  stripFor,
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
    });
    it('then the last speaker other than you, then a teacher, then anyone', () => {
      const me = person('me', { isLocal: true, lastSpokeAt: 99 });
      assert.equal(featuredOf([me, person('a', { lastSpokeAt: 5 }), person('b', { lastSpokeAt: 9 })])?.identity, 'b');
      assert.equal(featuredOf([me, person('a'), person('t', { role: 'instructor' })])?.identity, 't');
      assert.equal(featuredOf([me, person('a')])?.identity, 'a');
      assert.equal(featuredOf([me])?.identity, 'me');
    });
  });
});
