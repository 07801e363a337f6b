import { createHash } from 'node:crypto';

const digest = (parts: readonly string[], length: number): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, length);

export interface RoomScope {
  platformId: string;
  deploymentId: string;
  contextId?: string;
  resourceLinkId: string;
}

/**
 * One room per activity placement: platform + deployment + context + resource link. A relaunch gets the
 * same room; a copied course (new resource link id) a new one. The LiveKit name is derived, stable, and
 * reveals nothing about the course.
 */
export function roomKeyFor(scope: RoomScope): string {
  return `lc-${digest([scope.platformId, scope.deploymentId, scope.contextId ?? '', scope.resourceLinkId], 32)}`;
}

/** Stable per platform user; LiveKit identities are visible to every participant, so no raw LMS ids. */
export function identityFor(platformId: string, userId: string): string {
  return `u-${digest([platformId, userId], 24)}`;
}
