import { identityFor, roomKeyFor, type RoomScope } from './room-keys.js';

/** Who a room belongs to: an activity placement in an LMS, or an integrator's space. */
export type RoomOwner =
  | { kind: 'lti'; platformId: string; deploymentId: string; contextId?: string; resourceLinkId: string }
  | { kind: 'space'; apiKeyId: string; spaceId: string };

/** Whose rooms to look up: every room of one LMS registration, or of one integrator API key. */
export type OwnerRef = { kind: 'lti'; platformId: string } | { kind: 'space'; apiKeyId: string };

/**
 * Launch sessions, activities and participant identities of a space live under this id in place of a
 * platform id. Room keys and identities were derived from it before rooms recorded their owner, so it stays
 * as it is: existing rooms keep their LiveKit names and integrators the `user_id`s they were given.
 */
const SPACE_PREFIX = 'space:';
/** The deployment id a space's launch sessions and activities carry. */
export const SPACE_DEPLOYMENT = 'space';

/** The id the owner's launch sessions, activities and identities are filed under. */
export function namespaceOf(owner: RoomOwner | OwnerRef): string {
  return owner.kind === 'space' ? `${SPACE_PREFIX}${owner.apiKeyId}` : owner.platformId;
}

/** Which owner an id namespace (a launch session's or activity's platform id) stands for. */
export function ownerRefOf(namespace: string): OwnerRef {
  return namespace.startsWith(SPACE_PREFIX)
    ? { kind: 'space', apiKeyId: namespace.slice(SPACE_PREFIX.length) }
    : { kind: 'lti', platformId: namespace };
}

/** The owner of the room a launch opens: a space join link's launch has a space's namespace. */
export function ownerOfLaunch(scope: RoomScope): RoomOwner {
  const ref = ownerRefOf(scope.platformId);
  if (ref.kind === 'space') return { kind: 'space', apiKeyId: ref.apiKeyId, spaceId: scope.resourceLinkId };
  return {
    kind: 'lti',
    platformId: scope.platformId,
    deploymentId: scope.deploymentId,
    ...(scope.contextId !== undefined ? { contextId: scope.contextId } : {}),
    resourceLinkId: scope.resourceLinkId,
  };
}

/** The room key (also the LiveKit room name): a space's is derived as when spaces posed as a platform. */
export function roomKeyOf(owner: RoomOwner): string {
  return owner.kind === 'space'
    ? roomKeyFor({ platformId: namespaceOf(owner), deploymentId: SPACE_DEPLOYMENT, resourceLinkId: owner.spaceId })
    : roomKeyFor(owner);
}

/** A user's LiveKit identity in the owner's rooms. */
export function identityIn(owner: RoomOwner | OwnerRef, userId: string): string {
  return identityFor(namespaceOf(owner), userId);
}
