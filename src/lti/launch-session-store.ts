import type { MessageType } from './claims.js';
import type { Role } from './roles.js';

/** A validated launch, as plain data: what the launcher and the domain modules may rely on. */
export interface LaunchSession {
  id: string;
  messageType: MessageType;
  platformId: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  user: { id: string; name: string; givenName?: string; familyName?: string; email?: string; picture?: string };
  role: Role;
  ltiRoles: string[];
  context?: { id: string; label?: string; title?: string };
  resourceLink?: { id: string; title?: string; description?: string };
  /** What the link said about its activity (custom parameter, launch URL): hints, cross-checked by rooms/. */
  activityHints: string[];
  /** The live class the launch opens, found at launch; absent while a link's default class awaits its teacher. */
  activityId?: string;
  locale?: string;
  timezone?: string;
  returnUrl?: string;
  services: {
    lineItems?: string;
    lineItem?: string;
    agsScopes?: string[];
    membershipsUrl?: string;
  };
  deepLinking?: {
    returnUrl: string;
    data?: string;
    acceptTypes: string[];
    acceptMultiple: boolean;
  };
  custom: Record<string, string>;
  createdAt: Date;
  expiresAt: Date;
}

export type NewLaunchSession = Omit<LaunchSession, 'id' | 'createdAt' | 'expiresAt'>;

/** Implemented in src/db/launch-session-store.ts. */
export interface SessionStore {
  /** Stores the session and returns the bearer token the launcher uses (only its hash is kept). */
  create(session: NewLaunchSession, ttlMs: number): Promise<{ token: string; session: LaunchSession }>;
  authenticate(token: string, now?: Date): Promise<LaunchSession | undefined>;
  /** Ends a session at once (its bearer token stops working); unknown ids are ignored. */
  revoke(id: string): Promise<void>;
}
