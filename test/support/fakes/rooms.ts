import { createLogger } from '../../../src/log.js';
import type { LiveKitEvent } from '../../../src/livekit/webhooks.js';
import { defaultSettings, type ActivitySettings } from '../../../src/rooms/activity-settings.js';
import { grantsFor, ROLE_ATTRIBUTE, type Role } from '../../../src/rooms/grants.js';
import { createRoomControls, type ControlDeps } from '../../../src/rooms/room-controls.js';
import { identityIn, roomKeyOf, type RoomOwner } from '../../../src/rooms/room-owner.js';
import { createRoomService, type Member } from '../../../src/rooms/room-service.js';
import { createSessionTracker, type TrackedEvent } from '../../../src/rooms/session-tracker.js';
import { FakeLiveKit } from './livekit-gateway.js';
import { MemoryAuditStore, MemoryRoomStore, MemoryWebhookStore } from './room-store.js';
import { MemoryWaitlistStore } from './waitlist-store.js';

/**
 * The rooms module on fakes: the room service, leader controls and session tracker over an in-memory
 * store and SFU, with a clock the test moves. For unit tests only.
 */
export function fakeRooms(settings: Partial<ActivitySettings> = {}) {
  let clock = new Date('2030-01-01T09:00:00Z').getTime();
  const now = () => new Date(clock);
  const logger = createLogger('silent');
  const store = new MemoryRoomStore();
  const audit = new MemoryAuditStore();
  const webhooks = new MemoryWebhookStore();
  const livekit = new FakeLiveKit();
  const waitlist = new MemoryWaitlistStore();
  const events: TrackedEvent[] = [];
  const rooms = createRoomService({
    store,
    waitlist,
    livekit,
    livekitUrl: 'ws://sfu.test',
    tokenTtlSeconds: 300,
    logger,
    now,
  });
  const controls = createRoomControls({ store, audit, livekit, rooms, now });
  /** The same controls with more of their dependencies (say, an onChange listener). */
  const controlsWith = (more: Partial<ControlDeps>) =>
    createRoomControls({ store, audit, livekit, rooms, now, ...more });
  const tracker = createSessionTracker({ store, webhooks, livekit, logger, onEvent: async (e) => void events.push(e) });
  const owner: RoomOwner = { kind: 'lti', platformId: 'p1', deploymentId: 'd1', resourceLinkId: 'link-1' };
  const roomKey = roomKeyOf(owner);
  const activitySettings = { ...defaultSettings('Class'), ...settings };
  let webhookIds = 0;

  const member = (role: Role, userId: string): Member => ({
    owner,
    userId,
    name: userId,
    role,
    settings: activitySettings,
  });
  const identity = (m: Member) => identityIn(m.owner, m.userId);

  /** Connects `m` to the SFU with the grants its token carried (or would carry now). */
  const connect = async (m: Member, tracks: Array<{ sid: string; source: 'microphone' | 'camera' }> = []) => {
    const room = (await store.get(roomKey)) ?? (await rooms.ensureRoom(m));
    const permission = grantsFor(m.role, m.settings, room, room.controls[identity(m)]);
    livekit.connect(roomKey, {
      identity: identity(m),
      name: m.name,
      attributes: { [ROLE_ATTRIBUTE]: m.role },
      permission,
      tracks: tracks.map((t) => ({ ...t, muted: false })),
    });
    return livekit.participant(roomKey, identity(m));
  };

  /** A webhook as the verifier hands it over (fresh id unless given). */
  const webhook = (event: string, extra: Partial<LiveKitEvent> = {}): LiveKitEvent => ({
    id: `EV_${++webhookIds}`,
    event,
    createdAt: now(),
    room: { name: roomKey, sid: 'RM_1', numParticipants: 0 },
    ...extra,
  });

  return {
    store,
    waitlist,
    audit,
    webhooks,
    livekit,
    rooms,
    controls,
    controlsWith,
    tracker,
    events,
    roomKey,
    member,
    identity,
    connect,
    webhook,
    now,
    tick: (ms = 1000) => void (clock += ms),
  };
}
