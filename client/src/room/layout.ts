/**
 * Where tiles go: how many fit, which page shows whom, and who takes the large spot in speaker and
 * presentation views. DOM-free so mocha can test it; the stage measures itself and passes sizes in.
 */

/** Gallery: pages of tiles. Speaker: the active speaker large. Presentation: a shared screen or the teacher large. */
export type Layout = 'gallery' | 'speaker' | 'presentation';

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

/** The shared screen the stage shows: another person's before your own. */
export function sharerOf<T extends StagePerson>(people: T[]): T | undefined {
  return people.find((p) => p.screenTrack && !p.isLocal) ?? people.find((p) => p.screenTrack);
}

/** Of `people`, the one who spoke last, if anyone spoke. */
function lastSpokeOf<T extends StagePerson>(people: T[]): T | undefined {
  return people.filter((p) => p.lastSpokeAt > 0).sort((a, b) => b.lastSpokeAt - a.lastSpokeAt)[0];
}

/** Speaker view's person: whoever spoke last (never yourself while others are here), then a teacher, then anyone. */
function activeSpeakerOf<T extends StagePerson>(people: T[]): T | undefined {
  const others = people.filter((p) => !p.isLocal);
  return lastSpokeOf(others) ?? others.find((p) => p.role === 'instructor') ?? others[0] ?? people[0];
}

/**
 * Presentation view's person: the teacher, whoever else speaks (with co-teachers, the one who spoke last).
 * The teacher's own page, like a class without one, falls back to the active speaker: a presenter is
 * better served by the class than by their own camera mirrored large.
 */
function presenterOf<T extends StagePerson>(people: T[]): T | undefined {
  const teachers = people.filter((p) => !p.isLocal && p.role === 'instructor');
  return lastSpokeOf(teachers) ?? teachers[0] ?? activeSpeakerOf(people);
}

/**
 * The large spot's owner: a shared screen first, then in presentation view the presenter (the teacher),
 * in speaker view the active speaker.
 */
export function featuredOf<T extends StagePerson>(people: T[], view: Layout = 'speaker'): T | undefined {
  return sharerOf(people) ?? (view === 'presentation' ? presenterOf(people) : activeSpeakerOf(people));
}

/** What the large spot holds: someone's screen, the notice that you share yours, or a person's camera. */
export type Spot<T> = { kind: 'screen'; person: T } | { kind: 'sharing'; person: T } | { kind: 'person'; person: T };

export interface StagePlan<T> {
  /** The stage's arrangement: pages of tiles (gallery), or a large spot over a strip. */
  view: Layout;
  spot?: Spot<T>;
  /** The people's strip under the large spot; off where a screen needs the whole (phone-size) stage. */
  strip: boolean;
}

/**
 * How the stage is arranged. A shared screen takes a large spot in every view (in the gallery, as in
 * speaker view); presentation view on a phone-size stage gives the screen the whole of it, the people
 * staying in the People list. Someone alone in the room gets the gallery: the large spot would be them.
 */
export function stagePlan<T extends StagePerson>(people: T[], view: Layout, width: number): StagePlan<T> {
  const sharer = sharerOf(people);
  if (sharer) {
    const large = view === 'gallery' ? 'speaker' : view;
    if (sharer.isLocal) return { view: large, spot: { kind: 'sharing', person: sharer }, strip: true };
    const wholeStage = view === 'presentation' && width > 0 && width < NARROW;
    return { view: large, spot: { kind: 'screen', person: sharer }, strip: !wholeStage };
  }
  const person = view !== 'gallery' && people.length > 1 ? featuredOf(people, view) : undefined;
  return person ? { view, spot: { kind: 'person', person }, strip: true } : { view: 'gallery', strip: false };
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

const VIEW_OF_MODE: Record<ClassLayout['mode'], Layout | undefined> = {
  auto: undefined,
  grid: 'gallery',
  speaker: 'speaker',
  presentation: 'presentation',
};

/**
 * The view a page shows: the leader's, unless they left it to each page (`auto`) or the person chose their
 * own since the leader last set it (`personal`), which a lock overrides.
 */
export function viewFor(room: Partial<ClassLayout> | undefined, personal: Layout | undefined): Layout {
  const set = room?.mode ? VIEW_OF_MODE[room.mode] : undefined;
  if (room?.locked && set) return set;
  return personal ?? set ?? 'gallery';
}

/**
 * Who gets a tile, in which order, under the class layout: without camera-off tiles (yourself always
 * kept, so you see that you are there; in presentation view the teachers too, whose tile is the large
 * spot even with their camera off), and raised hands first, in the order they went up.
 */
export function arrange<T extends StagePerson & { cameraOn: boolean; handRaised: boolean; handRaisedAt: number }>(
  people: T[],
  room: Partial<ClassLayout> | undefined,
  view?: Layout,
): T[] {
  const kept = (p: T) =>
    p.isLocal || p.cameraOn || p.screenTrack || (view === 'presentation' && p.role === 'instructor');
  const shown = room?.hideCameraOff ? people.filter(kept) : people;
  if (!room?.raisedHandsFirst) return shown;
  const hands = shown.filter((p) => p.handRaised).sort((a, b) => a.handRaisedAt - b.handRaisedAt);
  return [...hands, ...shown.filter((p) => !p.handRaised)];
}
