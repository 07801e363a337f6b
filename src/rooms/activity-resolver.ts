import { createHash } from 'node:crypto';
import { AppError } from '../errors.js';
import { defaultSettings, type Activity, type ActivityStore } from './activity-settings.js';
import { roomKeyFor, type RoomScope } from './room-keys.js';
import type { Role } from './grants.js';

/** What a resource link launch tells us about the live class it opens. */
export interface ActivityLaunch extends RoomScope {
  role: Role;
  userId: string;
  /** The link's title in the LMS: the default class's title. */
  title?: string;
  /**
   * What the link says its activity is (custom parameter, launch URL), in order. Only hints: a platform may
   * override custom parameters (Moodle's tool-level ones win) or copy links between courses, so the first
   * that has the shape of our ids is cross-checked and anything else is ignored.
   */
  hints: readonly string[];
}

export type ResolvedActivity = { status: 'ready'; activity: Activity } | { status: 'pending' };

/** Our activity ids (random: deep linking; derived: a link's default class). */
export const ACTIVITY_ID_PATTERN = /^act_[A-Za-z0-9_-]{16}$/;

/** The id of the default class of a resource link nobody configured: derived, so every process finds it. */
export function defaultActivityId(scope: RoomScope): string {
  const key = [scope.platformId, scope.deploymentId, scope.contextId ?? '', scope.resourceLinkId].join('\u0000');
  return `act_${createHash('sha256').update(`default\u0000${key}`).digest('base64url').slice(0, 16)}`;
}

const belongs = (a: Activity, s: RoomScope): boolean =>
  a.platformId === s.platformId && a.deploymentId === s.deploymentId && (a.contextId ?? '') === (s.contextId ?? '');

/**
 * Finds the live class a resource link opens, from what the platform guarantees: the resource link within
 * its platform, deployment and context.
 * 1. A hint naming one of our activities of this platform, deployment and context wins, and the link is
 *    bound to it (a teacher who picks another class for the link moves it). A hint naming anything else is
 *    ACTIVITY_NOT_FOUND: an activity is never opened from another course.
 * 2. Otherwise the activity the link was bound to by an earlier launch.
 * 3. Otherwise the link's default class, created by the first instructor launch; before that, learners
 *    wait ('pending').
 */
export async function resolveActivity(launch: ActivityLaunch, store: ActivityStore): Promise<ResolvedActivity> {
  const linkKey = roomKeyFor(launch);
  const hint = launch.hints.find((h) => ACTIVITY_ID_PATTERN.test(h));
  if (hint) {
    const hinted = await store.find(launch.platformId, hint);
    if (!hinted || !belongs(hinted, launch)) throw new AppError('ACTIVITY_NOT_FOUND');
    if ((await store.linked(linkKey)) !== hinted.id) await store.link(linkKey, hinted.id);
    return { status: 'ready', activity: hinted };
  }
  const boundId = await store.linked(linkKey);
  if (boundId) {
    const bound = await store.find(launch.platformId, boundId);
    if (bound && belongs(bound, launch)) return { status: 'ready', activity: bound };
  }
  const id = defaultActivityId(launch);
  const existing = await store.find(launch.platformId, id);
  if (existing) return { status: 'ready', activity: existing };
  if (launch.role !== 'instructor') return { status: 'pending' };
  const created = await store.ensure({
    id,
    platformId: launch.platformId,
    deploymentId: launch.deploymentId,
    contextId: launch.contextId,
    settings: defaultSettings(launch.title ?? 'Live class'),
    createdBy: launch.userId,
  });
  return { status: 'ready', activity: created };
}
