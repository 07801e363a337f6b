import { Track, type Participant } from 'livekit-client';
import type { Role } from '../api/contract';

/** Participant attributes the tool sets (src/rooms/grants.ts): the launch's role, and when a hand went up. */
export const ROLE_ATTRIBUTE = 'role';
export const HAND_ATTRIBUTE = 'hand';

const SCREEN_SHARE = Track.sourceToProto(Track.Source.ScreenShare);
const ROLES: ReadonlySet<string> = new Set<Role>(['instructor', 'participant', 'observer']);

/**
 * The role the tool gave a participant, read like the server does: the `role` attribute, trusted while the
 * SFU does not let the participant update its own attributes (no one may now). A participant that may (a
 * token of the earlier grants) gets the role its permission implies: only instructors share a screen,
 * only observers could not update their own metadata. Metadata only counts while no permission is known.
 */
export function roleOf(p: Participant): Role {
  const permission = p.permissions;
  if (permission) {
    const claimed = p.attributes[ROLE_ATTRIBUTE];
    if (!permission.canUpdateMetadata && claimed && ROLES.has(claimed)) return claimed as Role;
    if (permission.canPublishSources.includes(SCREEN_SHARE)) return 'instructor';
    return permission.canUpdateMetadata ? 'participant' : 'observer';
  }
  const role = parseRole(p.metadata);
  return role === 'instructor' || role === 'observer' ? role : 'participant';
}

/** When the participant's hand went up (ms since the epoch), or undefined while it is down. */
export function handRaisedAt(p: Participant): number | undefined {
  const at = Date.parse(p.attributes[HAND_ATTRIBUTE] ?? '');
  return Number.isNaN(at) ? undefined : at;
}

function parseRole(metadata: string | undefined): unknown {
  try {
    return (JSON.parse(metadata || '{}') as { role?: unknown }).role;
  } catch {
    return undefined;
  }
}
