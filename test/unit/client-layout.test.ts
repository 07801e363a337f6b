import assert from 'node:assert/strict';
import { featuredOf, galleryOrder, pageOf, pageSizeFor, type StagePerson } from '../../client/src/room/layout.js';

const person = (identity: string, o: Partial<StagePerson> = {}): StagePerson => ({
  identity,
  isLocal: false,
  role: 'participant',
  lastSpokeAt: 0,
  ...o,
});
const ids = (people: StagePerson[]) => people.map((p) => p.identity);

describe('room layout (client)', () => {
  describe('pageSizeFor', () => {
    it('fits 4:3 tiles of at least 224 px into the stage', () => {
      assert.equal(pageSizeFor(1280, 700), 15); // 5 columns of 249 px → 187 px high → 3 rows
      assert.equal(pageSizeFor(700, 450), 6); // 3 columns of 228 px → 171 px high → 2 rows
    });
    it('never goes below 4 tiles or above 25', () => {
      assert.equal(pageSizeFor(300, 200), 4);
      assert.equal(pageSizeFor(4000, 4000), 25);
    });
    it('uses a sensible default before the stage is measured', () => {
      assert.equal(pageSizeFor(0, 0), 8);
      assert.equal(pageSizeFor(Number.NaN, 500), 8);
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
