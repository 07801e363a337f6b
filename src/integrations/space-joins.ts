import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { NewLaunchSession } from '../lti/launch-session-store.js';
import type { Role } from '../rooms/grants.js';
import { namespaceOf, SPACE_DEPLOYMENT } from '../rooms/room-owner.js';
import type { ApiKey, ApiKeyStore } from './api-keys.js';
import type { LinkSessions } from './link-sessions.js';
import { passcodeMatches } from './space-passcodes.js';
import type { JoinLink, JoinLinkStore, Space, SpaceStore } from './space-store.js';

const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A new per-user join link for a space; returns the token (only its hash is stored). */
export async function issueJoinLink(
  links: Pick<JoinLinkStore, 'create'>,
  link: Omit<JoinLink, 'tokenHash' | 'expiresAt'>,
  ttlMs: number,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await links.create({
    ...link,
    tokenHash: hashToken(token),
    expiresAt: new Date(link.createdAt.getTime() + ttlMs),
  });
  return token;
}

export interface SpaceJoinDeps {
  spaces: Pick<SpaceStore, 'get'>;
  links: Pick<JoinLinkStore, 'findValid'>;
  apiKeys: Pick<ApiKeyStore, 'get'>;
  /** Opens (and bounds) the launcher sessions of each link. */
  linkSessions: LinkSessions;
  now?: () => Date;
}

/** Who a redeemed link let in, for the log. */
export interface Joined {
  bearer: string;
  apiKeyId: string;
  spaceId: string;
  role: Role;
}

/** Arriving with a link: straight to the launcher (`bearer`), or first the passcode, or first a guest's name. */
export type Arrival =
  { kind: 'launcher'; joined?: Joined; bearer: string } | { kind: 'passcode' } | { kind: 'name'; passcode: boolean };

/** A guest's name: what others see, so printable and short. */
export const GUEST_NAME_MAX = 64;
const guestNameOf = (value: string | undefined): string => {
  const name = (value ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
  // Control and format characters (bidi overrides, zero-width) could disguise a name as someone else's.
  if (name.length === 0 || name.length > GUEST_NAME_MAX || /[\p{Cc}\p{Cf}]/u.test(name)) {
    throw new AppError('SPACE_GUEST_NAME_INVALID');
  }
  return name;
};

/**
 * /space/join: a join link becomes a launch-like session for the launcher, so the launcher and /api/room
 * work as for an LTI launch. The session is filed under the space's namespace (src/rooms/room-owner.ts),
 * which is how its room, its identities and its revocation find their way back to the space and its key.
 */
export function createSpaceJoins(deps: SpaceJoinDeps) {
  const now = deps.now ?? (() => new Date());

  const linkFor = async (token: string | undefined): Promise<{ link: JoinLink; space: Space; key: ApiKey }> => {
    const link = token && LINK_TOKEN.test(token) ? await deps.links.findValid(hashToken(token), now()) : undefined;
    const [space, key] = link
      ? await Promise.all([deps.spaces.get(link.spaceRef), deps.apiKeys.get(link.apiKeyId)])
      : [undefined, undefined];
    if (!link || !space || !key || key.revokedAt) throw new AppError('SPACE_LINK_INVALID');
    return { link, space, key };
  };

  const launchOf = (link: JoinLink, space: Space, key: ApiKey): NewLaunchSession => ({
    messageType: 'LtiResourceLinkRequest',
    platformId: namespaceOf({ kind: 'space', apiKeyId: key.id }),
    issuer: key.name,
    clientId: key.id,
    deploymentId: SPACE_DEPLOYMENT,
    user: link.user,
    role: link.role,
    ltiRoles: [],
    resourceLink: { id: space.spaceId },
    activityHints: [],
    activityId: space.activityId,
    services: {},
    custom: {},
  });

  /**
   * A guest link stands for whoever follows it: each gets their own user id and the name they typed, and
   * is a participant whatever the link says, so a shared link can never hand out leader powers.
   */
  const asGuest = (link: JoinLink, name: string | undefined): JoinLink => ({
    ...link,
    user: { id: `guest-${randomBytes(12).toString('base64url')}`, name: guestNameOf(name) },
    role: 'participant',
  });

  /** A new launcher session for the link, once the passcode (if the space has one) matches. */
  const redeem = async (token: string, passcode?: string, guestName?: string): Promise<Joined> => {
    const found = await linkFor(token);
    const { space, key } = found;
    const link = found.link.guest ? asGuest(found.link, guestName) : found.link;
    if (space.passcodeHash && !(passcode && (await passcodeMatches(passcode, space.passcodeHash)))) {
      throw new AppError('SPACE_PASSCODE_INVALID');
    }
    // A guest link is shared by a class: the per-link cap would end one guest's session for the next.
    const { token: bearer } = await deps.linkSessions.open(token, launchOf(link, space, key), !link.guest);
    return { bearer, apiKeyId: key.id, spaceId: space.spaceId, role: link.role };
  };

  return {
    /**
     * GET /space/join: a browser already holding a session of this link (`held`, its cookie) gets it back,
     * as on a reload; otherwise the passcode is asked for, or a new session opened. Throws
     * SPACE_LINK_INVALID for an unknown, expired or revoked link.
     */
    async arrive(token: string | undefined, held: string | undefined): Promise<Arrival> {
      const { space, link } = await linkFor(token);
      const reused = await deps.linkSessions.reuse(token as string, held);
      if (reused) return { kind: 'launcher', bearer: reused };
      if (link.guest) return { kind: 'name', passcode: Boolean(space.passcodeHash) };
      if (space.passcodeHash) return { kind: 'passcode' };
      const joined = await redeem(token as string);
      return { kind: 'launcher', joined, bearer: joined.bearer };
    },

    /**
     * POST /space/join: the passcode form, or a guest's name form. Throws SPACE_PASSCODE_INVALID when the
     * passcode does not match, SPACE_GUEST_NAME_INVALID for a guest's empty or unusable name.
     */
    redeem,
  };
}

export type SpaceJoins = ReturnType<typeof createSpaceJoins>;
