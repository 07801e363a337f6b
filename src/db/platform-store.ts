import { Schema, type Connection, type Model } from 'mongoose';
import { logoOrigin } from '../branding.js';
import { AppError } from '../errors.js';
import type { Platform, PlatformService } from '../lti/platform-store.js';
import type { LtiProvider } from '../lti/provider.js';
import type { Role, RoleMappingOptions } from '../lti/roles.js';
import type { IndexSpec } from './indexes.js';
import { createReadCache } from './read-cache.js';

export const PLATFORM_COLLECTION = 'lti_platforms';
/** How stale another instance's view of a platform change may be (see the cache in createPlatformService). */
export const PLATFORM_CACHE_TTL_MS = 3000;

export const PLATFORM_INDEXES: readonly IndexSpec[] = [
  { collection: PLATFORM_COLLECTION, keys: { issuer: 1, clientId: 1 }, name: 'issuer_client_unique', unique: true },
];

interface PlatformDoc extends Omit<Platform, 'id' | 'roleMapping'> {
  _id: unknown;
  roleMapping?: StoredRoleMapping;
}

/**
 * Role overrides are keyed by role URIs, and the store refuses keys with a dot (or a leading `$`), and
 * nested arrays: they are kept as `{ role, appRole }` entries. Records written as a map still read.
 */
interface StoredRoleMapping {
  systemAdminIsInstructor?: boolean;
  overrides?: Array<{ role: string; appRole: Role }> | Record<string, Role>;
}

function storedRoleMapping(mapping: RoleMappingOptions): StoredRoleMapping {
  return {
    ...(mapping.systemAdminIsInstructor !== undefined
      ? { systemAdminIsInstructor: mapping.systemAdminIsInstructor }
      : {}),
    ...(mapping.overrides
      ? { overrides: Object.entries(mapping.overrides).map(([role, appRole]) => ({ role, appRole })) }
      : {}),
  };
}

function readRoleMapping(stored: StoredRoleMapping | undefined): RoleMappingOptions {
  const overrides = stored?.overrides;
  return {
    ...(stored?.systemAdminIsInstructor !== undefined
      ? { systemAdminIsInstructor: stored.systemAdminIsInstructor }
      : {}),
    ...(overrides
      ? {
          overrides: Array.isArray(overrides)
            ? Object.fromEntries(overrides.map((o) => [o.role, o.appRole]))
            : { ...overrides },
        }
      : {}),
  };
}

const schema = new Schema<PlatformDoc>(
  {
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    name: { type: String, required: true },
    authLoginUrl: { type: String, required: true },
    accessTokenUrl: { type: String, required: true },
    jwksUrl: { type: String, required: true },
    deploymentIds: { type: [String], default: [] },
    active: { type: Boolean, default: true },
    source: { type: String, enum: ['admin', 'dynamic', 'demo'], default: 'admin' },
    roleMapping: { type: Schema.Types.Mixed, default: {} },
    frameOrigins: { type: [String], default: [] },
    branding: { type: Schema.Types.Mixed, default: {} },
    tokenAudience: { type: String, default: undefined },
    deactivatedAt: { type: Date, default: undefined },
  },
  { collection: PLATFORM_COLLECTION, timestamps: true, minimize: false },
);

export function createPlatformService(
  connection: Connection,
  lti: Pick<LtiProvider, 'savePlatform' | 'removePlatform'>,
  /** Runs after a platform stopped vouching for its sessions, before remove() deletes it (live rooms). */
  onRevoked: (platformId: string) => Promise<void> = async () => undefined,
): PlatformService {
  const Records: Model<PlatformDoc> = connection.model<PlatformDoc>('LtiPlatformRecord', schema);

  const toPlatform = (doc: PlatformDoc): Platform => ({
    id: String(doc._id),
    issuer: doc.issuer,
    clientId: doc.clientId,
    name: doc.name,
    authLoginUrl: doc.authLoginUrl,
    accessTokenUrl: doc.accessTokenUrl,
    jwksUrl: doc.jwksUrl,
    deploymentIds: [...doc.deploymentIds],
    active: doc.active,
    source: doc.source,
    roleMapping: readRoleMapping(doc.roleMapping),
    frameOrigins: [...(doc.frameOrigins ?? [])],
    branding: { ...doc.branding },
    ...(doc.tokenAudience ? { tokenAudience: doc.tokenAudience } : {}),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    ...(doc.deactivatedAt ? { deactivatedAt: doc.deactivatedAt } : {}),
  });

  /** The Content-Security-Policy origins every response needs, from the active platforms. */
  interface PolicyOrigins {
    frame: string[];
    logos: string[];
  }
  let policy: { at: number; origins: Promise<PolicyOrigins> } | undefined;
  /**
   * Every launch reads its platform three times (login, launch, and the owner check of each authenticated
   * request), and platforms change a few times a year. This instance's own changes clear the cache before
   * and after the write (so a revocation here reaches the next request at once, and no read in flight
   * across the write refills it); another instance's change reaches this one within PLATFORM_CACHE_TTL_MS.
   */
  const records = createReadCache<PlatformDoc>({ ttlMs: PLATFORM_CACHE_TTL_MS, maxEntries: 1000 });
  const invalidate = (): void => {
    policy = undefined;
    records.clear();
  };
  const loadPolicyOrigins = async (): Promise<PolicyOrigins> => {
    const frame = new Set<string>();
    const logos = new Set<string>();
    for (const p of await Records.find({ active: true }).lean<PlatformDoc[]>()) {
      for (const url of [p.issuer, p.authLoginUrl, ...(p.frameOrigins ?? [])]) {
        const origin = originOf(url);
        if (origin) frame.add(origin);
      }
      const logo = logoOrigin(p.branding);
      if (logo) logos.add(logo);
    }
    return { frame: [...frame].sort(), logos: [...logos].sort() };
  };
  const policyOrigins = (): Promise<PolicyOrigins> => {
    // Other tool instances may change platforms too: a short cache bounds how stale this gets.
    if (!policy || Date.now() - policy.at > 30_000) {
      const entry = { at: Date.now(), origins: loadPolicyOrigins() };
      // A failed read (the store restarting) is not cached: the next request asks again.
      entry.origins.catch(() => {
        if (policy === entry) policy = undefined;
      });
      policy = entry;
    }
    return policy.origins;
  };

  const byId = async (id: string): Promise<PlatformDoc | null> =>
    /^[0-9a-f]{24}$/.test(id) ? Records.findById(id).lean<PlatformDoc>() : null;
  const cachedById = (id: string) => records.get(`id\n${id}`, async () => (await byId(id)) ?? undefined);
  const cachedByClient = (issuer: string, clientId: string) =>
    records.get(
      `client\n${issuer}\n${clientId}`,
      async () => (await Records.findOne({ issuer, clientId }).lean<PlatformDoc>()) ?? undefined,
    );

  /**
   * Inactive from now: launch sessions opened before `deactivatedAt` stay revoked even if it is activated
   * again (src/http/session-revocation.ts). Then its live rooms are emptied (onRevoked).
   */
  const deactivate = async (doc: PlatformDoc): Promise<PlatformDoc> => {
    invalidate();
    const updated = await Records.findByIdAndUpdate(
      doc._id,
      { active: false, deactivatedAt: new Date() },
      { new: true },
    ).lean<PlatformDoc>();
    invalidate();
    await onRevoked(String(doc._id));
    return updated ?? doc;
  };

  return {
    async upsert(input) {
      invalidate();
      // Keys first: a record without tool keys could not sign service calls.
      await lti.savePlatform(input);
      const existing = await Records.findOne({ issuer: input.issuer, clientId: input.clientId }).lean<PlatformDoc>();
      const fields = {
        name: input.name,
        authLoginUrl: input.authLoginUrl,
        accessTokenUrl: input.accessTokenUrl,
        jwksUrl: input.jwksUrl,
        ...(input.roleMapping ? { roleMapping: storedRoleMapping(input.roleMapping) } : {}),
        ...(input.frameOrigins ? { frameOrigins: input.frameOrigins } : {}),
        ...(input.branding ? { branding: input.branding } : {}),
        ...(input.tokenAudience !== undefined ? { tokenAudience: input.tokenAudience || null } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
      };
      if (existing) {
        const deploymentIds = [...new Set([...existing.deploymentIds, ...input.deploymentIds])];
        const updated = await Records.findByIdAndUpdate(
          existing._id,
          { ...fields, deploymentIds },
          { new: true },
        ).lean<PlatformDoc>();
        invalidate();
        return { platform: toPlatform(updated as PlatformDoc), created: false };
      }
      const created = await Records.create({
        issuer: input.issuer,
        clientId: input.clientId,
        deploymentIds: [...new Set(input.deploymentIds)],
        source: input.source ?? 'admin',
        active: input.active ?? true,
        roleMapping: storedRoleMapping(input.roleMapping ?? {}),
        ...fields,
      });
      invalidate();
      return { platform: toPlatform(created.toObject() as PlatformDoc), created: true };
    },
    async list() {
      return (await Records.find().sort({ createdAt: 1 }).lean<PlatformDoc[]>()).map(toPlatform);
    },
    async get(id) {
      const doc = await cachedById(id);
      return doc ? toPlatform(doc) : undefined;
    },
    async find(issuer, clientId) {
      const doc = await cachedByClient(issuer, clientId);
      return doc ? toPlatform(doc) : undefined;
    },
    async findByIssuer(issuer) {
      return (await Records.find({ issuer }).lean<PlatformDoc[]>()).map(toPlatform);
    },
    async remove(id) {
      const doc = await byId(id);
      if (!doc) throw new AppError('PLATFORM_NOT_FOUND');
      // Deactivated first, so its sessions end before its rooms are emptied; should emptying fail, the
      // inactive record is still there for the admin to remove again.
      await deactivate(doc);
      await Records.deleteOne({ _id: doc._id });
      invalidate();
      await lti.removePlatform(doc.issuer, doc.clientId);
    },
    async deactivate(id) {
      const doc = await byId(id);
      if (!doc) throw new AppError('PLATFORM_NOT_FOUND');
      return toPlatform(await deactivate(doc));
    },
    async activate(id) {
      const doc = await byId(id);
      if (!doc) throw new AppError('PLATFORM_NOT_FOUND');
      invalidate();
      const updated = await Records.findByIdAndUpdate(doc._id, { active: true }, { new: true }).lean<PlatformDoc>();
      invalidate();
      return toPlatform(updated as PlatformDoc);
    },
    async frameAncestors() {
      return (await policyOrigins()).frame;
    },
    async logoOrigins() {
      return (await policyOrigins()).logos;
    },
  };
}

function originOf(url: string): string | undefined {
  try {
    const { protocol, origin } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? origin : undefined;
  } catch {
    return undefined;
  }
}
