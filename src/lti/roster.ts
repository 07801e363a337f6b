import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { LtiProvider } from './provider.js';
import type { PlatformService } from './platform-store.js';
import { mapLtiRoles } from './roles.js';
import type { LaunchSession } from './launch-session-store.js';
import type { ContextLaunches, CourseMember, RosterStore } from './roster-store.js';

export type { CourseMember };

export interface Roster {
  /** `nrps`: the LMS's course roster; `launches`: everyone with a launch session in the course (no NRPS). */
  source: 'nrps' | 'launches';
  fetchedAt: Date;
  members: CourseMember[];
}

/**
 * What reading a course's roster needs of a launch: the registration, the course and its NRPS URL. A
 * stored launch session has it, and so has what a room keeps of its latest launch (grading after class).
 */
export type RosterRequest = Pick<LaunchSession, 'platformId' | 'issuer' | 'clientId' | 'deploymentId' | 'context'> & {
  user: { id: string };
  services: { membershipsUrl?: string };
};

export interface RosterService {
  /**
   * Everyone in the launch's course: the LMS's roster (all NRPS pages), reused while younger than the
   * cache time unless `refresh`; without NRPS, or when NRPS fails, the course's launchers.
   */
  getRoster(session: RosterRequest, options?: { refresh?: boolean }): Promise<Roster>;
}

export interface RosterDeps {
  lti: Pick<LtiProvider, 'getAllMembers'>;
  platforms: Pick<PlatformService, 'get'>;
  store: RosterStore;
  launches: ContextLaunches;
  cacheMs: number;
  logger: Logger;
  now?: () => Date;
}

export function createRosterService(deps: RosterDeps): RosterService {
  const now = deps.now ?? (() => new Date());
  const fromLaunches = async (session: RosterRequest, contextId: string): Promise<Roster> => {
    const at = now();
    return {
      source: 'launches',
      fetchedAt: at,
      members: await deps.launches.launchersOf(session.platformId, contextId, at),
    };
  };
  /** Course rosters being read from the LMS now: callers asking at once share one NRPS walk. */
  const reading = new Map<string, Promise<Roster>>();
  const readOnce = (key: string, read: () => Promise<Roster>): Promise<Roster> => {
    const inFlight = reading.get(key);
    if (inFlight) return inFlight;
    const started = read().finally(() => reading.delete(key));
    reading.set(key, started);
    return started;
  };
  return {
    async getRoster(session, options = {}) {
      const contextId = session.context?.id;
      if (!contextId)
        throw new AppError('FORBIDDEN', { message: 'This launch did not come from a course, so it has no roster.' });
      const url = session.services.membershipsUrl;
      if (!url) return fromLaunches(session, contextId);
      if (!options.refresh) {
        const cached = await deps.store.get(session.platformId, contextId);
        if (cached && now().getTime() - cached.fetchedAt.getTime() < deps.cacheMs) {
          return { source: 'nrps', fetchedAt: cached.fetchedAt, members: cached.members };
        }
      }
      return readOnce(`${session.platformId}\n${contextId}`, () => fromLms(session, url, contextId));
    },
  };

  async function fromLms(session: RosterRequest, url: string, contextId: string): Promise<Roster> {
    const platform = await deps.platforms.get(session.platformId);
    if (!platform) throw new AppError('PLATFORM_NOT_FOUND');
    const fetchedAt = now();
    let raw: unknown[];
    try {
      raw = await deps.lti.getAllMembers({
        issuer: session.issuer,
        clientId: session.clientId,
        deploymentId: session.deploymentId,
        userId: session.user.id,
        namesRoles: { context_memberships_url: url },
      });
    } catch (err) {
      // An LMS that advertises NRPS but refuses it (scope not granted, service off): who launched is
      // the best roster left. Not cached: the next call asks the LMS again.
      deps.logger.warn({ err, platformId: session.platformId, contextId }, 'NRPS failed, roster from launches');
      return fromLaunches(session, contextId);
    }
    const members = raw.flatMap((m) => toMember(m, platform.roleMapping));
    await deps.store.put({ platformId: session.platformId, contextId, fetchedAt, members });
    return { source: 'nrps', fetchedAt, members };
  }
}

function toMember(raw: unknown, options: Parameters<typeof mapLtiRoles>[1]): CourseMember[] {
  const m = raw as {
    user_id?: unknown;
    name?: unknown;
    given_name?: unknown;
    family_name?: unknown;
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
      role: mapLtiRoles(roles, options),
      active: m.status === undefined || m.status === 'Active',
    },
  ];
}
