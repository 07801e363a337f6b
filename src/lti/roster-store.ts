import type { Role } from './roles.js';
import { sha256 } from './tokens.js';

/** One person of a course, as attendance needs them: who, under which name, in which role, still enrolled. */
export interface CourseMember {
  userId: string;
  name: string;
  role: Role;
  /** NRPS status: only Active members are expected in class. */
  active: boolean;
}

/** A course's roster as fetched from the LMS at `fetchedAt`. */
export interface CachedRoster {
  platformId: string;
  contextId: string;
  fetchedAt: Date;
  members: CourseMember[];
}

/** Implemented in src/db/roster-store.ts: the last roster fetched per course (platform + context). */
export interface RosterStore {
  get(platformId: string, contextId: string): Promise<CachedRoster | undefined>;
  /** Replaces the course's cached roster. */
  put(roster: CachedRoster): Promise<void>;
}

/** Implemented by the launch session store: who launched into a course, for LMSs that offer no NRPS. */
export interface ContextLaunches {
  /** One entry per user with a stored (unexpired) launch session in the context, newest launch first. */
  launchersOf(platformId: string, contextId: string, now?: Date): Promise<CourseMember[]>;
}

/**
 * One fixed-length key per course. Hashed because both parts are free text from the LMS (a context id may
 * contain any separator we could pick); JSON keeps ("a:b", "c") and ("a", "b:c") apart.
 */
export function contextKeyOf(platformId: string, contextId: string): string {
  return sha256(JSON.stringify([platformId, contextId]));
}
