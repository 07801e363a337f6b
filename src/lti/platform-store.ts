import type { Branding } from '../branding.js';
import type { LtiPlatformKeys } from './provider.js';
import type { RoleMappingOptions } from './roles.js';

/** An LMS registration: who may launch us, from which deployments, and how its roles map. */
export interface Platform extends LtiPlatformKeys {
  id: string;
  deploymentIds: string[];
  active: boolean;
  source: 'admin' | 'dynamic' | 'demo';
  roleMapping: RoleMappingOptions;
  /** Extra origins allowed to frame the tool (e.g. a Canvas school domain); issuer and login origins always are. */
  frameOrigins: string[];
  /** This school's look in the launcher, over the tool default (empty: the default). */
  branding: Branding;
  /**
   * The `aud` the LMS's token endpoint expects in our client assertion, when it is not the endpoint's URL
   * (Brightspace: `https://api.brightspace.com/auth/token`).
   */
  tokenAudience?: string;
  /** When it was last deactivated (or removed): launch sessions opened before then stay revoked. */
  deactivatedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface PlatformInput extends LtiPlatformKeys {
  deploymentIds: string[];
  active?: boolean;
  source?: Platform['source'];
  roleMapping?: RoleMappingOptions;
  frameOrigins?: string[];
  /** Replaces the platform's branding when given (`{}` clears it). */
  branding?: Branding;
  /** Sets the token audience when given (`''` clears it: the token URL again). */
  tokenAudience?: string;
}

/** Implemented in src/db/platform-store.ts. */
export interface PlatformService {
  /** Creates the platform, or merges deployments and updates endpoints of an existing (issuer, clientId). */
  upsert(input: PlatformInput): Promise<{ platform: Platform; created: boolean }>;
  list(): Promise<Platform[]>;
  get(id: string): Promise<Platform | undefined>;
  find(issuer: string, clientId: string): Promise<Platform | undefined>;
  findByIssuer(issuer: string): Promise<Platform[]>;
  /** Ends the platform's launch sessions and empties its live rooms (onRevoked), then deletes it. */
  remove(id: string): Promise<void>;
  activate(id: string): Promise<Platform>;
  /** Refuses its launches and ends its launch sessions (for good) and live rooms, keeping the registration. */
  deactivate(id: string): Promise<Platform>;
  /** Origins of every active platform, for Content-Security-Policy frame-ancestors. Cached briefly. */
  frameAncestors(): Promise<string[]>;
  /** Origins of the logos active platforms brand the launcher with, for img-src. Cached briefly. */
  logoOrigins(): Promise<string[]>;
}
