/**
 * The room-session document's event names (docs/integrator-api.md#room-session-controls), for a space
 * whose webhooks ask for them (`webhooks.naming: "room-session"`): sent to `webhooks.url` in place of ours.
 */
export const ROOM_SESSION_EVENT_TYPES = [
  'room.started',
  'room.updated',
  'room.ended',
  'member.joined',
  'member.updated',
  'member.left',
  'layout.changed',
] as const;
export type RoomSessionEventType = (typeof ROOM_SESSION_EVENT_TYPES)[number];

/** Our event each of theirs replaces; room.updated, member.updated and layout.changed come from the controls. */
export const ROOM_SESSION_EVENT_OF: Readonly<Record<string, RoomSessionEventType>> = {
  'session.started': 'room.started',
  'session.ended': 'room.ended',
  'participant.joined': 'member.joined',
  'participant.left': 'member.left',
};

export const isRoomSessionEvent = (type: string): type is RoomSessionEventType =>
  (ROOM_SESSION_EVENT_TYPES as readonly string[]).includes(type);
