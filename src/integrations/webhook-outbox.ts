import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../log.js';
import type { ControlEvent } from '../rooms/room-actions.js';
import type { RoomOwner } from '../rooms/room-owner.js';
import type { TrackedEvent } from '../rooms/session-tracker.js';
import { LESSONSPACE_EVENT_OF, LESSONSPACE_EVENT_TYPES, type LessonspaceEventType } from './lessonspace.js';
import { isRoomSessionEvent, ROOM_SESSION_EVENT_OF, type RoomSessionEventType } from './room-session.js';
import { type Space, type SpaceStore, type SpaceWebhooks } from './space-store.js';

/**
 * Integrator webhooks, part 1: the outbox. The session tracker's events for rooms of a space with
 * `webhooks.url` become outbox items, inserted before LiveKit's webhook is acknowledged; the delivery
 * worker (webhook-delivery.ts) sends them. Items are unique by event id, so a redelivered LiveKit
 * webhook (or the same session start seen twice) is queued once.
 */

export const SPACE_EVENT_TYPES = [
  'session.started',
  'session.ended',
  'participant.joined',
  'participant.left',
  /** A session's attendance is final (docs/attendance.md): fetch it from `attendance.participants_url`. */
  'attendance.ready',
  /** The class's recording began writing; `.ended` once its file is complete (or it failed), with its length and size. */
  'recording.started',
  'recording.ended',
  /** A live stream out of the class (RTMP) began and ended. */
  'livestream.started',
  'livestream.ended',
] as const;
/** Ours, or Lessonspace's names for a space whose webhooks were given in its shape (lessonspace.ts). */
export type SpaceEventType = (typeof SPACE_EVENT_TYPES)[number] | LessonspaceEventType | RoomSessionEventType;

/** The JSON body POSTed to the integrator. */
export interface WebhookPayload {
  id: string;
  type: SpaceEventType;
  created_at: string;
  space_id: string;
  room_id: string;
  session_id: string | null;
  participant?: { user_id: string; name: string; role: string | null };
  /** Room-session events from a control: what was done (`mute-audio`, `lock`, `layout`, ...). */
  action?: string;
  /** `layout.changed`: the layout now (room-control-wire.ts). */
  layout?: { mode: string; hide_camera_off: boolean; raised_hands_first: boolean; locked: boolean };
  /** `attendance.ready` only (attendance-wire.ts). */
  attendance?: AttendanceReady;
  /** `recording.*` and `livestream.*` only (recording-wire.ts). */
  recording?: RecordingWire;
}

/** A recording or live stream of the session; a stream's target and key are never sent. */
export interface RecordingWire {
  recording_id: string;
  kind: 'recording' | 'livestream';
  /** `ready` (the file is complete) or `failed` in `.ended`; `recording` in `.started`. */
  status: 'recording' | 'ready' | 'failed';
  started_by: 'auto' | 'leader';
  started_at: string | null;
  ended_at: string | null;
  duration_seconds: number | null;
  /** Files only. */
  size_bytes: number | null;
}

/** A final session's attendance in counts; who came is at `participants_url` (GET, with the space's key). */
export interface AttendanceReady {
  started_at: string;
  ended_at: string | null;
  duration_minutes: number;
  participants_count: number;
  peak_participants: number;
  by_role: { instructor: number; participant: number; observer: number };
  late_count: number;
  left_early_count: number;
  inferred_count: number;
  participants_url: string;
}

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

export interface OutboxItem {
  /** Our event id (`evt_...`), also `payload.id` and the `x-liveclass-delivery` header. */
  id: string;
  /** Space.id: its current URL and secret are read at each attempt. */
  spaceRef: string;
  type: SpaceEventType;
  payload: WebhookPayload;
  status: OutboxStatus;
  /** Attempts started so far (counted when claimed, so a crash mid-attempt still counts). */
  attempts: number;
  nextAttemptAt: Date;
  /** A claim holds the item until then; another worker may take it over afterwards. */
  leaseUntil: Date;
  /** Random per claim: only the claim holder records the outcome. */
  leaseId?: string;
  lastStatusCode?: number;
  lastError?: string;
  createdAt: Date;
  /** Set when delivered or failed; the item expires 7 days later. */
  finishedAt?: Date;
}

export interface AttemptOutcome {
  status: OutboxStatus;
  nextAttemptAt: Date;
  lastStatusCode?: number;
  lastError?: string;
  finishedAt?: Date;
}

export interface OutboxStore {
  /** False when an item with this id already exists (unique index). */
  insert(item: OutboxItem): Promise<boolean>;
  /** Claims one due, unleased pending item by inserting the lease of its next attempt, and counts the attempt. */
  claimDue(now: Date, leaseUntil: Date, leaseId: string): Promise<OutboxItem | undefined>;
  /** Records an attempt's outcome, unless the lease was taken over meanwhile (then returns false). */
  complete(id: string, leaseId: string, outcome: AttemptOutcome): Promise<boolean>;
  get(id: string): Promise<OutboxItem | undefined>;
}

/** Delivered and failed items are kept this long (TTL index, or the cleanup job on FerretDB). */
export const OUTBOX_RETENTION_SECONDS = 7 * 24 * 60 * 60;
export const DEFAULT_MAX_ATTEMPTS = 8;
/** Delay after the 1st, 2nd, ... failed attempt; the last entry repeats. */
export const DEFAULT_BACKOFF_MS: readonly number[] = [5_000, 30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000];

export function backoffDelayMs(failedAttempts: number, schedule: readonly number[] = DEFAULT_BACKOFF_MS): number {
  if (schedule.length === 0) return 0;
  const index = Math.min(Math.max(failedAttempts, 1), schedule.length) - 1;
  return schedule[index] as number;
}

const isLessonspaceEvent = (type: string): type is LessonspaceEventType =>
  (LESSONSPACE_EVENT_TYPES as readonly string[]).includes(type);

/**
 * Where an event of this type goes, if anywhere: Lessonspace's names to their own URL, ours to `url`
 * (no `events` means every event; a given list, even an empty one, is a filter).
 */
export function webhookUrlFor(webhooks: SpaceWebhooks | undefined, type: SpaceEventType): string | undefined {
  if (isLessonspaceEvent(type)) return webhooks?.hooks?.find((h) => h.event === type)?.url;
  if (!webhooks?.url) return undefined;
  // The room-session naming replaces ours for the events it names, and only for the spaces that ask.
  const roomSession = webhooks.naming === 'room-session';
  if (isRoomSessionEvent(type) ? !roomSession : roomSession && ROOM_SESSION_EVENT_OF[type]) return undefined;
  return webhooks.events === undefined || webhooks.events.includes(type) ? webhooks.url : undefined;
}

export const wantsEvent = (webhooks: SpaceWebhooks | undefined, type: SpaceEventType): boolean =>
  webhookUrlFor(webhooks, type) !== undefined;

/** Deterministic: the same fact (LiveKit webhook id or session id) and type always give the same id. */
export function outboxEventId(sourceId: string, type: SpaceEventType): string {
  return `evt_${createHash('sha256').update(`${sourceId}\n${type}`).digest('base64url').slice(0, 32)}`;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with the space's webhook secret. */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** What an integrator does on receipt (also used by our tests): check the MAC and the timestamp's age. */
export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = new Map((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const given = Buffer.from(parts.get('v1') ?? '', 'hex');
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureHeader(secret, body, t).split('v1=')[1] as string, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function payloadFor(space: Space, event: TrackedEvent, type: SpaceEventType = event.type): WebhookPayload {
  const p = event.participant;
  return {
    id: outboxEventId(event.sourceId, type),
    type,
    created_at: event.at.toISOString(),
    space_id: space.spaceId,
    room_id: event.room.key,
    session_id: event.sessionId ?? null,
    ...(p ? { participant: { user_id: p.identity, name: p.name, role: p.role ?? null } } : {}),
  };
}

/**
 * The names this fact is sent under for this space: ours, Lessonspace's, and `session.idle` when a leave
 * emptied the session (`empty` says whether it did; asked only when someone wants to know).
 */
async function typesFor(
  webhooks: SpaceWebhooks | undefined,
  event: TrackedEvent,
  empty: () => Promise<boolean>,
): Promise<SpaceEventType[]> {
  const theirs = LESSONSPACE_EVENT_OF[event.type];
  const named = ROOM_SESSION_EVENT_OF[event.type];
  const types: SpaceEventType[] = [event.type, ...(theirs ? [theirs] : []), ...(named ? [named] : [])];
  if (event.type === 'participant.left' && wantsEvent(webhooks, 'session.idle') && (await empty())) {
    types.push('session.idle');
  }
  return types.filter((type) => wantsEvent(webhooks, type));
}

export interface WebhookEnqueuerDeps {
  spaces: Pick<SpaceStore, 'find'>;
  /** How many are connected to the room now (after the leave being handled). */
  presentCount?: (roomKey: string) => Promise<number>;
  outbox: Pick<OutboxStore, 'insert'>;
  /** Called after a new item is stored (main wires it to the worker's kick). */
  onEnqueued?: () => void;
  logger: Logger;
  now?: () => Date;
}

/** The session tracker's `onEvent`: queues the event for the room's space, if that space wants it. */
export function createWebhookEnqueuer(deps: WebhookEnqueuerDeps): (event: TrackedEvent) => Promise<void> {
  const log = deps.logger.child({ module: 'webhooks' });
  const now = deps.now ?? (() => new Date());
  return async (event) => {
    const { owner } = event.room;
    if (owner.kind !== 'space') return;
    const space = await deps.spaces.find(owner.apiKeyId, owner.spaceId);
    if (!space) return;
    const empty = async () => (await deps.presentCount?.(event.room.key)) === 0;
    for (const type of await typesFor(space.webhooks, event, empty)) {
      const payload = payloadFor(space, event, type);
      const fresh = await queueWebhook(deps.outbox, space, payload, now());
      log.debug({ eventId: payload.id, type, roomKey: event.room.key, duplicate: !fresh }, 'webhook queued');
      if (fresh) deps.onEnqueued?.();
    }
  };
}

export interface ControlWebhookDeps {
  spaces: Pick<SpaceStore, 'find'>;
  /** The room's owner, to find its space. */
  roomOwner: (roomKey: string) => Promise<RoomOwner | undefined>;
  layoutOf: (roomKey: string) => Promise<WebhookPayload['layout']>;
  outbox: Pick<OutboxStore, 'insert'>;
  onEnqueued?: () => void;
}

/**
 * The room controls' `onChange`: room.updated, member.updated and layout.changed for a space with the
 * room-session naming, queued before the control answers. One event per control call (its time and
 * target name it), so a retried call is a new event, as it is a new audit entry.
 */
export function createControlWebhooks(deps: ControlWebhookDeps): (event: ControlEvent) => Promise<void> {
  return async (event) => {
    const owner = await deps.roomOwner(event.roomKey);
    if (owner?.kind !== 'space') return;
    const space = await deps.spaces.find(owner.apiKeyId, owner.spaceId);
    if (!space || !wantsEvent(space.webhooks, event.type)) return;
    const source = [event.roomKey, event.action, event.identity ?? '', event.at.toISOString()].join('\n');
    const payload: WebhookPayload = {
      id: outboxEventId(source, event.type),
      type: event.type,
      created_at: event.at.toISOString(),
      space_id: space.spaceId,
      room_id: event.roomKey,
      session_id: event.sessionId ?? null,
      action: event.action,
      ...(event.identity ? { participant: { user_id: event.identity, name: '', role: null } } : {}),
      ...(event.type === 'layout.changed' ? { layout: await deps.layoutOf(event.roomKey) } : {}),
    };
    if (await queueWebhook(deps.outbox, space, payload, event.at)) deps.onEnqueued?.();
  };
}

/** Stores the payload for delivery to the space; false when it was queued before (same event id). */
export function queueWebhook(
  outbox: Pick<OutboxStore, 'insert'>,
  space: Pick<Space, 'id'>,
  payload: WebhookPayload,
  at: Date,
): Promise<boolean> {
  return outbox.insert({
    id: payload.id,
    spaceRef: space.id,
    type: payload.type,
    payload,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    leaseUntil: new Date(0),
    createdAt: at,
  });
}
