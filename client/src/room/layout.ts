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

const GAP = 8;
const MAX_COLUMNS = 5;
const MAX_PAGE = 25;
/** Smallest tile a face is still recognisable in; phones get a little less than desktops. */
const MIN_TILE = { width: 140, height: 84 };
const MIN_TILE_NARROW = { width: 108, height: 96 };
const NARROW = 600;
/** Cameras send 4:3 or 16:9; cells near 4:3 crop least either way. */
const IDEAL_ASPECT = 4 / 3;
/** Someone who spoke this recently is kept on the first page of a crowded gallery. */
const RECENT_SPEAKER_MS = 30_000;

export interface Grid {
  /** Tiles in each row, top first: as even as can be, fuller rows first (7 → 3, 2, 2). */
  perRow: number[];
  /** The cells fill the stage: each row shares the width; the video is cropped to its cell. */
  tileHeight: number;
  /** Each row's tile width, in px. */
  widths: number[];
}

/** `count` tiles in `rows` rows, as even as can be, fuller rows first. */
const spread = (count: number, rows: number): number[] =>
  Array.from({ length: rows }, (_, i) => Math.floor(count / rows) + (i < count % rows ? 1 : 0));

/**
 * How `count` tiles fill a `width` × `height` stage: of the row counts that keep rows to at most 5 tiles,
 * the one whose worst cell is closest to 4:3, so the least of any camera is cropped.
 */
export function gridFor(count: number, width: number, height: number): Grid {
  const n = Math.max(1, count);
  let best: (Grid & { score: number }) | undefined;
  for (let rows = Math.ceil(n / MAX_COLUMNS); rows <= n; rows += 1) {
    const perRow = spread(n, rows);
    const tileHeight = (height - GAP * (rows - 1)) / rows;
    const widths = perRow.map((k) => (width - GAP * (k - 1)) / k);
    if (tileHeight <= 0 || widths.some((w) => w <= 0)) break;
    const score = Math.max(...widths.map((w) => Math.abs(Math.log(w / tileHeight / IDEAL_ASPECT))));
    if (!best || score < best.score) best = { perRow, tileHeight, widths, score };
  }
  if (!best) return { perRow: [n], tileHeight: Math.max(0, height), widths: [Math.max(0, width / n)] };
  const { score: _score, ...grid } = best;
  return grid;
}

/** The most tiles (up to 5 × 5) a page of the gallery shows on this stage, each at least the smallest size. */
export function pageSizeFor(width: number, height: number): number {
  if (!(width > 0) || !(height > 0)) return 9;
  const min = width < NARROW ? MIN_TILE_NARROW : MIN_TILE;
  for (let n = MAX_PAGE; n > 1; n -= 1) {
    const g = gridFor(n, width, height);
    if (Math.min(...g.widths) >= min.width && g.tileHeight >= min.height) return n;
  }
  return 1;
}

export interface Strip {
  /** Tiles that fit in the strip under the featured tile. */
  count: number;
  height: number;
}

/** Speaker and presentation views: a strip of small tiles below the large one, a fifth of the stage high. */
export function stripFor(width: number, height: number): Strip {
  const stripHeight = Math.round(Math.min(120, Math.max(72, height * 0.2)));
  const tileWidth = (stripHeight * 16) / 9;
  return { height: stripHeight, count: Math.max(1, Math.floor((width + GAP) / (tileWidth + GAP))) };
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

/** Where your own camera goes: a tile like everyone's, a small picture in the stage's corner, or nowhere. */
export type SelfView = 'tile' | 'corner' | 'hidden';

/** The layout a leader set for the class (room metadata `layout`, written by the tool only). */
export interface ClassLayout {
  mode: 'auto' | 'grid' | 'speaker' | 'presentation';
  hideCameraOff: boolean;
  raisedHandsFirst: boolean;
  locked: boolean;
}

/**
 * The view a page shows: the leader's, unless they left it to each page (`auto`) or the person chose their
 * own since the leader last set it (`personal`), which a lock overrides. Presentation is speaker view,
 * where a shared screen takes the large spot anyway.
 */
export function viewFor(room: Partial<ClassLayout> | undefined, personal: Layout | undefined): Layout {
  const set: Layout | undefined =
    room?.mode === 'grid'
      ? 'gallery'
      : room?.mode === 'speaker' || room?.mode === 'presentation'
        ? 'speaker'
        : undefined;
  if (room?.locked && set) return set;
  return personal ?? set ?? 'gallery';
}

/**
 * Who gets a tile, in which order, under the class layout: without camera-off tiles (yourself always
 * kept, so you see that you are there), and raised hands first, in the order they went up.
 */
export function arrange<T extends StagePerson & { cameraOn: boolean; handRaised: boolean; handRaisedAt: number }>(
  people: T[],
  room: Partial<ClassLayout> | undefined,
): T[] {
  const shown = room?.hideCameraOff ? people.filter((p) => p.isLocal || p.cameraOn || p.screenTrack) : people;
  if (!room?.raisedHandsFirst) return shown;
  const hands = shown.filter((p) => p.handRaised).sort((a, b) => a.handRaisedAt - b.handRaisedAt);
  return [...hands, ...shown.filter((p) => !p.handRaised)];
}
