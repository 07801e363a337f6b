import type { RequestHandler } from 'express';
import type { IndexSpec } from '../db/indexes.js';
import type { ReadinessCheck } from '../http/health-router.js';

/** A router and the path it answers under. */
export interface Mount {
  path: string;
  router: RequestHandler;
}

/**
 * What one part of the tool contributes to the running whole. startTool ensures every module's indexes,
 * then starts their jobs, mounts their routers and, on shutdown, stops them in reverse order.
 */
export interface ToolModule {
  name: string;
  mounts?: readonly Mount[];
  indexes?: readonly IndexSpec[];
  readiness?: readonly ReadinessCheck[];
  /** Background work; started once the indexes exist. */
  start?(): void | Promise<void>;
  /** Stops background work and closes what the module opened; the store closes last. */
  stop?(): Promise<void>;
}
