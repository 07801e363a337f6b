import { AppError } from '../errors.js';
import type { LtiProvider } from './provider.js';
import type { PlatformService } from './platform-store.js';
import { mapLtiRoles, type Role } from './roles.js';
import type { LaunchSession } from './launch-session-store.js';

export interface RosterMember {
  userId: string;
  name: string;
  email?: string;
  role: Role;
  ltiRoles: string[];
  /** NRPS status: only Active members are expected in class. */
  active: boolean;
}

export interface RosterService {
  /** Every member of the launch's context, across all NRPS pages. */
  getRoster(session: LaunchSession): Promise<RosterMember[]>;
}

export function createRosterService(
  lti: Pick<LtiProvider, 'getAllMembers'>,
  platforms: Pick<PlatformService, 'get'>,
): RosterService {
  return {
    async getRoster(session) {
      const url = session.services.membershipsUrl;
      if (!url)
        throw new AppError('FORBIDDEN', {
          message: 'The LMS did not offer the course roster (Names and Role Provisioning) to this tool.',
        });
      const platform = await platforms.get(session.platformId);
      if (!platform) throw new AppError('PLATFORM_NOT_FOUND');
      const members = await lti.getAllMembers({
        issuer: session.issuer,
        clientId: session.clientId,
        deploymentId: session.deploymentId,
        userId: session.user.id,
        namesRoles: { context_memberships_url: url },
      });
      return members.flatMap((m) => toMember(m, platform.roleMapping));
    },
  };
}

function toMember(raw: unknown, options: Parameters<typeof mapLtiRoles>[1]): RosterMember[] {
  const m = raw as {
    user_id?: unknown;
    name?: unknown;
    given_name?: unknown;
    family_name?: unknown;
    email?: unknown;
    roles?: unknown;
    status?: unknown;
  };
  if (typeof m.user_id !== 'string') return [];
  const roles = Array.isArray(m.roles) ? m.roles.filter((r): r is string => typeof r === 'string') : [];
  const name =
    typeof m.name === 'string' ? m.name : [m.given_name, m.family_name].filter((p) => typeof p === 'string').join(' ');
  return [
    {
      userId: m.user_id,
      name: name || m.user_id,
      email: typeof m.email === 'string' ? m.email : undefined,
      role: mapLtiRoles(roles, options),
      ltiRoles: roles,
      active: m.status === undefined || m.status === 'Active',
    },
  ];
}
