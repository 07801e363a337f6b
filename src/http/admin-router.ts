import { timingSafeEqual, createHash } from 'node:crypto';
import { Router, json, type RequestHandler } from 'express';
import { z } from 'zod';
import { brandingSchema } from '../branding.js';
import { AppError } from '../errors.js';
import type { ApiKeyService } from '../integrations/api-keys.js';
import type { PlatformService } from '../lti/platform-store.js';
import { urlSchema } from '../urls.js';
import { asyncHandler } from './async-handler.js';
import { refuseNul } from './nul-guard.js';
import { apiKeyAdminRoutes } from './integrator-router.js';

const httpUrl = urlSchema(['http:', 'https:']);
const appRole = z.enum(['instructor', 'participant', 'observer']);

export const platformInputSchema = z
  .object({
    issuer: z.string().min(1).max(2048),
    clientId: z.string().min(1).max(512),
    name: z.string().min(1).max(200),
    authLoginUrl: httpUrl,
    accessTokenUrl: httpUrl,
    jwksUrl: httpUrl,
    deploymentIds: z.array(z.string().min(1).max(512)).min(1).max(100),
    roleMapping: z
      .object({
        systemAdminIsInstructor: z.boolean().optional(),
        overrides: z.record(z.string().max(512), appRole).optional(),
      })
      .strict()
      .optional(),
    frameOrigins: z.array(httpUrl).max(20).optional(),
    branding: brandingSchema.optional(),
    /** Brightspace: the audience its token endpoint expects (`https://api.brightspace.com/auth/token`). */
    tokenAudience: z.union([z.literal(''), z.string().trim().min(1).max(2048)]).optional(),
  })
  .strict();

/** One person: an LMS user (registration id + LTI user id) or an integrator's user (API key id + user id). */
export const erasePersonSchema = z.union([
  z.object({ platformId: z.string().min(1).max(200), userId: z.string().min(1).max(512) }).strict(),
  z.object({ apiKeyId: z.string().min(1).max(200), userId: z.string().min(1).max(512) }).strict(),
]);
export type ErasePersonInput = z.infer<typeof erasePersonSchema>;

/** Branding mistakes get their own code: the admin fixes a colour or a logo address, not the registration. */
function parsePlatformInput(body: unknown): z.infer<typeof platformInputSchema> {
  const branding = brandingSchema.optional().safeParse((body as { branding?: unknown } | null)?.branding);
  if (!branding.success) {
    const fields = branding.error.issues.map((i) => ({ path: ['branding', ...i.path].join('.'), message: i.message }));
    throw new AppError('PLATFORM_BRANDING_INVALID', { details: { fields } });
  }
  return platformInputSchema.parse(body);
}

/** `Authorization: Bearer <ADMIN_API_KEY>`, compared in constant time. */
export function adminAuth(apiKey: string): RequestHandler {
  const expected = createHash('sha256').update(apiKey).digest();
  return (req, _res, next) => {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const given = createHash('sha256')
      .update(match?.[1] ?? '')
      .digest();
    if (!match || !timingSafeEqual(given, expected))
      return next(new AppError('UNAUTHENTICATED', { message: 'A valid admin API key is required.' }));
    next();
  };
}

/**
 * LMS registrations: POST/GET /api/admin/platforms (POST creates, or merges into the same issuer+client;
 * `branding` given replaces the platform's branding), DELETE /:id, POST /:id/activate, POST /:id/deactivate;
 * integrator API keys: POST/GET /api/admin/api-keys, DELETE /:id. Deleting a platform or key and deactivating
 * a platform end its launch sessions and empty its live rooms before answering.
 */
export function adminRouter(deps: {
  apiKey: string;
  platforms: PlatformService;
  apiKeys?: ApiKeyService;
  /** Erases one person's data everywhere it is stored; answers counts per store and the erasure's record id. */
  eraseUser?: (person: ErasePersonInput) => Promise<{ erased: Record<string, number>; erasureId: string }>;
}): Router {
  const router = Router();
  router.use(adminAuth(deps.apiKey), json({ limit: '32kb' }), refuseNul);
  if (deps.apiKeys) router.use(apiKeyAdminRoutes(deps.apiKeys));
  const { eraseUser } = deps;
  if (eraseUser) {
    router.post(
      '/erase-user',
      asyncHandler(async (req, res) => {
        const person = erasePersonSchema.parse(req.body);
        const { erased, erasureId } = await eraseUser(person);
        // Counts only: who was erased is kept nowhere as given, the log included (the record keeps a digest).
        req.log?.info({ erased, erasureId }, 'user data erased');
        res.json({ erased, erasureId });
      }),
    );
  }

  router.post(
    '/platforms',
    asyncHandler(async (req, res) => {
      const input = parsePlatformInput(req.body);
      const { platform, created } = await deps.platforms.upsert({ ...input, source: 'admin' });
      req.log?.info({ platformId: platform.id, issuer: platform.issuer, created }, 'platform saved');
      res.status(created ? 201 : 200).json(platform);
    }),
  );
  router.get(
    '/platforms',
    asyncHandler(async (_req, res) => {
      res.json({ platforms: await deps.platforms.list() });
    }),
  );
  router.delete(
    '/platforms/:id',
    asyncHandler(async (req, res) => {
      await deps.platforms.remove(String(req.params.id));
      res.status(204).end();
    }),
  );
  router.post(
    '/platforms/:id/activate',
    asyncHandler(async (req, res) => {
      res.json(await deps.platforms.activate(String(req.params.id)));
    }),
  );
  router.post(
    '/platforms/:id/deactivate',
    asyncHandler(async (req, res) => {
      const platform = await deps.platforms.deactivate(String(req.params.id));
      req.log?.info({ platformId: platform.id }, 'platform deactivated');
      res.json(platform);
    }),
  );
  return router;
}
