import { createHash } from 'node:crypto';
import type { Source } from './grants.js';
import type { ParticipantControl, RoomState } from './room-store.js';

export type WaitingState = 'pending' | 'admitted' | 'denied';

/**
 * What a leader did, or what happened to a class session, as an insert-only fact. `opened`/`closed` mark a
 * class session's start and end; the rest are leader actions. Latest fact per slot (identity, kind, source)
 * wins; `at` then `id` order them, so every reader derives the same state from the same facts.
 */
export type FactKind =
  | 'muted'
  | 'removed'
  | 'promoted'
  | 'hand'
  | 'deaf'
  | 'waiting'
  | 'locked'
  | 'chat'
  | 'ended'
  | 'opened'
  | 'closed'
  | 'layout'
  | 'meta';

/** How every page lays the class out, as a leader set it (room-layout.ts); `auto` leaves it to each page. */
export type LayoutMode = 'auto' | 'grid' | 'speaker' | 'presentation';
export interface RoomLayout {
  mode: LayoutMode;
  /** Tiles of people with their camera off are left out. */
  hideCameraOff: boolean;
  /** People with a raised hand come first in the grid, in the order they raised it. */
  raisedHandsFirst: boolean;
  /** Pages may not choose a personal view. */
  locked: boolean;
}
export const LAYOUT_DEFAULTS: RoomLayout = {
  mode: 'auto',
  hideCameraOff: false,
  raisedHandsFirst: false,
  locked: false,
};
export type LayoutKey = keyof RoomLayout;

export interface ControlFact {
  /** Natural id: the same action from the same prior state is the same fact (see nextFact). */
  id: string;
  roomKey: string;
  /** The class session it belongs to (see RoomView.scope): a new session starts without the last one's. */
  sessionId: string;
  /** '' for the room's switches and the session markers. */
  identity: string;
  kind: FactKind;
  source?: Source;
  /** Layout facts: which setting; metadata facts: which key (one slot per key). */
  key?: string;
  /** A metadata fact's null deletes its key. */
  value: boolean | WaitingState | string | null;
  /** Waiting facts: who knocked, and since when (the wait that a decision decides). */
  name?: string;
  role?: string;
  waitingSince?: Date;
  at: Date;
}

/** A leader action (or a knock) as the store is asked to record it. */
export type ControlChange =
  | { kind: 'muted'; identity: string; source: Source; value: boolean }
  | { kind: 'removed' | 'promoted' | 'hand' | 'deaf'; identity: string; value: boolean }
  | { kind: 'layout'; key: LayoutKey; value: string | boolean }
  /** Room metadata (identity '') or a member's: null deletes the key. */
  | { kind: 'meta'; identity: string; key: string; value: string | null }
  | { kind: 'knock'; identity: string; name: string; role: string }
  | { kind: 'locked' | 'chat' | 'ended'; value: boolean };

/** The facts a room's state is derived from: its latest class session's and its successor's. */
export interface RoomView {
  roomKey: string;
  /** The latest class session opened (open or closed); undefined before the first. */
  sessionId?: string;
  open: boolean;
  /** Where facts recorded now belong: the open session, else the next one (so a new session starts clean). */
  scope: string;
  /** The session after `sessionId`: where an `ended` fact goes (the room stays ended until reopened). */
  next: string;
  facts: ControlFact[];
  /** Stored before facts: a session opened then has no markers, a room ended then no `ended` fact. */
  legacyState?: RoomState;
}

/** Deterministic id of the session that follows `previous` in a room (or its first session). */
export function successorId(roomKey: string, previous: string | undefined): string {
  const digest = createHash('sha256')
    .update(`${roomKey}\n${previous ?? ''}`)
    .digest('base64url');
  return `ses_${digest.slice(0, 16)}`;
}

export const factId = (...parts: string[]): string =>
  `f_${createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 22)}`;

const slotOf = (f: Pick<ControlFact, 'identity' | 'kind' | 'source' | 'key'>) =>
  `${f.identity}\n${f.kind}\n${f.source ?? f.key ?? ''}`;
const later = (a: ControlFact, b: ControlFact) => a.at.getTime() - b.at.getTime() || (a.id > b.id ? 1 : -1);

function latestBySlot(facts: readonly ControlFact[]): Map<string, ControlFact> {
  const latest = new Map<string, ControlFact>();
  for (const f of facts) {
    const seen = latest.get(slotOf(f));
    if (!seen || later(f, seen) > 0) latest.set(slotOf(f), f);
  }
  return latest;
}

/**
 * The view from the room's session hint and the facts of that session (`current`) and its successor
 * (`next`). The caller walks on while `next` has an `opened` marker (the hint is only a hint).
 */
export function viewOf(input: {
  roomKey: string;
  sessionId?: string;
  current: readonly ControlFact[];
  next: readonly ControlFact[];
  legacyState?: RoomState;
}): RoomView {
  const { roomKey, sessionId, current } = input;
  const marked = current.some((f) => f.kind === 'opened');
  const closed = current.some((f) => f.kind === 'closed');
  const open = !!sessionId && !closed && (marked || input.legacyState === 'live');
  const next = successorId(roomKey, sessionId);
  return {
    roomKey,
    sessionId,
    open,
    scope: open ? (sessionId as string) : next,
    next,
    facts: [...current, ...input.next],
    legacyState: input.legacyState,
  };
}

/** Waits still pending in a session's facts: a new session carries them over (they knocked before it). */
export function pendingWaits(facts: readonly ControlFact[], sessionId: string): ControlFact[] {
  const own = facts.filter((f) => f.sessionId === sessionId && f.kind === 'waiting');
  return [...latestBySlot(own).values()].filter((f) => f.value === 'pending');
}

/**
 * What a session hands on to the next: waits still pending (they knocked before it), the room's layout and
 * the room's metadata (a room setting, not a class's), as the session left them.
 */
export function carriedFacts(facts: readonly ControlFact[], sessionId: string): ControlFact[] {
  const own = facts.filter(
    (f) => f.sessionId === sessionId && (f.kind === 'layout' || (f.kind === 'meta' && !f.identity)),
  );
  return [...pendingWaits(facts, sessionId), ...latestBySlot(own).values()];
}

/** The facts of the scope, with what the closed session before it carries over. */
function scopeFacts(view: RoomView): ControlFact[] {
  const own = view.facts.filter((f) => f.sessionId === view.scope);
  if (view.open || !view.sessionId) return own;
  return [...carriedFacts(view.facts, view.sessionId), ...own];
}

export interface DerivedRoom {
  state: RoomState;
  locked: boolean;
  chatEnabled: boolean;
  layout: RoomLayout;
  /** The room's metadata keys (an integrator's, set over the API). */
  metadata: Record<string, string>;
  controls: Record<string, ParticipantControl>;
}

function layoutOf(latest: Map<string, ControlFact>): RoomLayout {
  const layout: RoomLayout = { ...LAYOUT_DEFAULTS };
  for (const f of latest.values()) {
    if (f.kind !== 'layout' || f.identity) continue;
    if (f.key === 'mode' && typeof f.value === 'string') layout.mode = f.value as LayoutMode;
    if (f.key !== 'mode' && f.key && f.key in layout && typeof f.value === 'boolean')
      Object.assign(layout, { [f.key]: f.value });
  }
  return layout;
}

export function deriveRoom(view: RoomView): DerivedRoom {
  const latest = latestBySlot(scopeFacts(view));
  const value = (identity: string, kind: FactKind) => latest.get(slotOf({ identity, kind }))?.value;
  const ended = [...latestBySlot(view.facts.filter((f) => f.kind === 'ended')).values()][0];
  const state: RoomState = ended
    ? ended.value === true
      ? 'ended'
      : view.open
        ? 'live'
        : 'created'
    : view.open
      ? 'live'
      : view.legacyState === 'ended'
        ? 'ended'
        : 'created';
  const controls: Record<string, ParticipantControl> = {};
  const metadata: Record<string, string> = {};
  for (const f of latest.values()) {
    if (f.kind === 'meta' && typeof f.value === 'string') {
      if (!f.identity) metadata[f.key as string] = f.value;
      else ((controls[f.identity] ??= {}).metadata ??= {})[f.key as string] = f.value;
    }
    if (!f.identity || f.kind === 'meta') continue;
    const c = (controls[f.identity] ??= {});
    if (f.kind === 'muted') {
      const muted = new Set(c.mutedSources ?? []);
      if (f.value === true) muted.add(f.source as Source);
      c.mutedSources = [...muted].sort();
    } else if (f.kind === 'promoted') c.promoted = f.value === true;
    else if (f.kind === 'removed') c.removed = f.value === true;
    else if (f.kind === 'hand') c.handRaised = f.value === true;
    else if (f.kind === 'deaf') c.deaf = f.value === true;
    else if (f.kind === 'waiting') {
      Object.assign(c, { waiting: f.value as WaitingState, name: f.name, role: f.role });
      c.waitingSince = f.waitingSince;
    }
  }
  return {
    state,
    locked: value('', 'locked') === true,
    chatEnabled: value('', 'chat') !== false,
    layout: layoutOf(latest),
    metadata,
    controls,
  };
}

const DEFAULTS: Partial<Record<FactKind, boolean | null>> = { chat: true, meta: null };
const defaultOf = (kind: FactKind, key: string | undefined): ControlFact['value'] =>
  kind === 'layout' ? LAYOUT_DEFAULTS[key as LayoutKey] : (DEFAULTS[kind] ?? false);

/**
 * The fact recording `change`, or undefined when the room already is that way (a retry, or a second leader
 * doing the same). Its id names the fact it follows in its slot, so a retried or concurrently repeated
 * action from the same state is one fact (the insert of the second is a duplicate key), while different
 * actions, or the same after a change in between, are facts of their own.
 */
export function nextFact(view: RoomView, change: ControlChange, now: Date): ControlFact | undefined {
  const identity = 'identity' in change ? change.identity : '';
  const kind: FactKind = change.kind === 'knock' ? 'waiting' : change.kind;
  const source = change.kind === 'muted' ? change.source : undefined;
  const key = change.kind === 'layout' || change.kind === 'meta' ? change.key : undefined;
  const sessionId = kind === 'ended' ? view.next : view.scope;
  const pool = kind === 'ended' ? view.facts : scopeFacts(view);
  const prior = latestBySlot(pool.filter((f) => slotOf(f) === slotOf({ identity, kind, source, key })))
    .values()
    .next().value as ControlFact | undefined;
  const value: ControlFact['value'] = change.kind === 'knock' ? 'pending' : change.value;
  if ((prior?.value ?? defaultOf(kind, key)) === value) return undefined;
  // Never before the fact it follows, whatever another process's clock says.
  const at = new Date(Math.max(now.getTime(), (prior?.at.getTime() ?? 0) + 1));
  const fact: ControlFact = {
    id: factId(sessionId, identity, kind, source ?? key ?? '', String(value), prior?.id ?? ''),
    roomKey: view.roomKey,
    sessionId,
    identity,
    kind,
    ...(source ? { source } : {}),
    ...(key !== undefined ? { key } : {}),
    value,
    at,
  };
  if (change.kind === 'knock') Object.assign(fact, { name: change.name, role: change.role, waitingSince: at });
  return fact;
}

/** The wait an identity is in now (pending or decided), from the room's view. */
export function currentWait(view: RoomView, identity: string): ControlFact | undefined {
  return latestBySlot(scopeFacts(view).filter((f) => f.identity === identity && f.kind === 'waiting'))
    .values()
    .next().value as ControlFact | undefined;
}

/** One fact per wait, decision and scope: every instructor deciding a wait writes this same document. */
export function decisionFact(
  view: RoomView,
  wait: ControlFact,
  decision: 'admitted' | 'denied',
  decidedAt: Date,
): ControlFact {
  const since = wait.waitingSince?.toISOString() ?? '';
  return {
    id: factId(view.scope, wait.identity, 'decision', since),
    roomKey: view.roomKey,
    sessionId: view.scope,
    identity: wait.identity,
    kind: 'waiting',
    value: decision,
    name: wait.name,
    role: wait.role,
    waitingSince: wait.waitingSince,
    at: new Date(Math.max(decidedAt.getTime(), wait.at.getTime() + 1)),
  };
}

/** The session markers and carried-over waits an opener records for `sessionId` (the view's next). */
export function openingFacts(view: RoomView, sessionId: string, at: Date): ControlFact[] {
  const carried = view.sessionId ? carriedFacts(view.facts, view.sessionId) : [];
  return [
    // Copies keep their time, so a knock or decision made since (in the new session's scope) wins.
    ...carried.map((w) => ({ ...w, id: factId(sessionId, 'carry', w.id), sessionId })),
    marker(view.roomKey, sessionId, 'opened', at),
  ];
}

export const marker = (roomKey: string, sessionId: string, kind: 'opened' | 'closed', at: Date): ControlFact => ({
  id: factId(sessionId, kind),
  roomKey,
  sessionId,
  identity: '',
  kind,
  value: true,
  at,
});
