/**
 * Where tiles go: how many fit, which page shows whom, and who is featured in speaker view. DOM-free so
 * mocha can test it; the stage measures itself and passes sizes in.
 */

export type Layout = 'gallery' | 'speaker';

export interface StagePerson {
  identity: string;
  isLocal: boolean;
  role: string;
  lastSpokeAt: number;
  /** Set while this person shares a screen. */
  screenTrack?: unknown;
}

const MIN_TILE_WIDTH = 224;
const GAP = 8;
const MAX_COLUMNS = 5;
const MIN_PAGE = 4;
const MAX_PAGE = 25;
/** Someone who spoke this recently is kept on the first page of a crowded gallery. */
const RECENT_SPEAKER_MS = 30_000;

/** Tiles (4:3) that fit in a `width` × `height` stage without scrolling; never fewer than 4 or more than 25. */
export function pageSizeFor(width: number, height: number): number {
  if (!(width > 0) || !(height > 0)) return MIN_PAGE * 2;
  const columns = Math.min(MAX_COLUMNS, Math.max(1, Math.floor((width + GAP) / (MIN_TILE_WIDTH + GAP))));
  const tileHeight = ((width - GAP * (columns - 1)) / columns) * 0.75;
  const rows = Math.max(1, Math.floor((height + GAP) / (tileHeight + GAP)));
  return Math.min(MAX_PAGE, Math.max(MIN_PAGE, columns * rows));
}

/**
 * Gallery order: as given (you, teachers, others by name) while everyone fits on one page. In a crowded
 * room, people who spoke in the last 30 s move up right after you and the teachers, so the person talking
 * is on page 1 while the silent majority pages (and, unrendered, costs no video).
 */
export function galleryOrder<T extends StagePerson>(people: T[], pageSize: number, now: number): T[] {
  if (people.length <= pageSize) return people;
  const pinned = people.filter((p) => p.isLocal || p.role === 'instructor');
  const rest = people.filter((p) => !p.isLocal && p.role !== 'instructor');
  const recent = rest
    .filter((p) => now - p.lastSpokeAt < RECENT_SPEAKER_MS)
    .sort((a, b) => b.lastSpokeAt - a.lastSpokeAt);
  const quiet = rest.filter((p) => !recent.includes(p));
  return [...pinned, ...recent, ...quiet];
}

export interface Page<T> {
  items: T[];
  /** Zero-based, clamped to the pages there are. */
  page: number;
  pages: number;
}

export function pageOf<T>(items: T[], pageSize: number, page: number): Page<T> {
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  const current = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(current * pageSize, (current + 1) * pageSize), page: current, pages };
}

/**
 * Speaker view's main tile: a shared screen first, then whoever spoke last (never yourself while others
 * are here), then the first teacher, then anyone.
 */
export function featuredOf<T extends StagePerson>(people: T[]): T | undefined {
  const sharing = people.find((p) => p.screenTrack && !p.isLocal) ?? people.find((p) => p.screenTrack);
  if (sharing) return sharing;
  const others = people.filter((p) => !p.isLocal);
  const spoke = others.filter((p) => p.lastSpokeAt > 0).sort((a, b) => b.lastSpokeAt - a.lastSpokeAt)[0];
  return spoke ?? others.find((p) => p.role === 'instructor') ?? others[0] ?? people[0];
}
