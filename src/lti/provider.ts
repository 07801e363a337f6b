import type { RequestHandler } from 'express';
import { Router } from 'express';
import ltijs from 'ltijs';
import type { IndexSpec } from '../db/indexes.js';
import type { Logger } from '../log.js';

/** What the tool needs from ltijs: per-platform tool keys, the tool JWKS, signed service calls. */
export interface LtiProvider {
  /** Serves GET /keys (the tool JWKS) when mounted at /lti. */
  keysRouter: RequestHandler;
  /** Creates the tool's key pair for this platform, or updates its endpoints. */
  savePlatform(platform: LtiPlatformKeys): Promise<void>;
  removePlatform(issuer: string, clientId: string): Promise<void>;
  /** Signs an LtiDeepLinkingResponse JWT with the tool key for this platform. */
  signDeepLinkingResponse(context: ServiceContext, contentItems: unknown[], message?: string): Promise<string>;
  /** Every page of the NRPS memberships of the launch's context. */
  getAllMembers(context: ServiceContext): Promise<unknown[]>;
  /**
   * The tool's private key for this platform (PEM) and its kid: grade passback signs its own client
   * assertions, so it can name the audience a platform expects and see each token answer's status.
   */
  signingKey(issuer: string, clientId: string): Promise<{ kid: string; privateKeyPem: string } | undefined>;
  close(): Promise<void>;
}

export interface LtiPlatformKeys {
  issuer: string;
  clientId: string;
  name: string;
  authLoginUrl: string;
  accessTokenUrl: string;
  jwksUrl: string;
}

/** The launch facts ltijs services read (its "idtoken" object), built from our validated launch. */
export interface ServiceContext {
  issuer: string;
  clientId: string;
  deploymentId: string;
  userId: string;
  deepLinkingSettings?: Record<string, unknown>;
  namesRoles?: { context_memberships_url: string };
  resourceLinkId?: string;
}

export interface LtiProviderOptions {
  encryptionKey: string;
  mongoUri: string;
  logger: Logger;
}

/**
 * Of ltijs's collections only the service access-token cache is still written (its launch flow is not
 * mounted). Where the store rejects TTL indexes our cleanup job enforces ltijs's lifetime (5.9.9: 1 h).
 */
export const LTIJS_EXPIRING_COLLECTIONS: readonly IndexSpec[] = [
  { collection: 'accesstokens', keys: { createdAt: 1 }, name: 'createdAt_ttl', expireAfterSeconds: 3600 },
];

let shared: { provider: Promise<LtiProvider>; encryptionKey: string; mongoUri: string; users: number } | undefined;

/**
 * ltijs is a process-wide singleton whose setup() throws when called twice, so this is memoized: a second
 * tool in the same process (tests) shares it, and must use the same database and key. Each caller gets
 * its own close(); ltijs closes when the last one does.
 * We use it for tool keys, the JWKS and service calls; login and launch validation are ours
 * (src/lti/login.ts, src/lti/launch/), because ltijs leaves gaps there (see docs/architecture.md).
 */
export async function setupLtiProvider(options: LtiProviderOptions): Promise<LtiProvider> {
  if (shared && (shared.encryptionKey !== options.encryptionKey || shared.mongoUri !== options.mongoUri)) {
    throw new Error('ltijs is already set up in this process with another database or encryption key');
  }
  shared ??= {
    provider: createProvider(options),
    encryptionKey: options.encryptionKey,
    mongoUri: options.mongoUri,
    users: 0,
  };
  const current = shared;
  const provider = await current.provider;
  current.users += 1;
  let closed = false;
  return {
    ...provider,
    async close() {
      if (closed) return;
      closed = true;
      current.users -= 1;
      if (current.users === 0) await provider.close();
    },
  };
}

async function createProvider(options: LtiProviderOptions): Promise<LtiProvider> {
  const lti = ltijs.Provider;
  lti.setup(
    options.encryptionKey,
    { url: options.mongoUri, connection: { serverSelectionTimeoutMS: 5000 } },
    { keysetRoute: '/keys', cors: false, ltiaas: true, devMode: false, cookies: { secure: true, sameSite: 'None' } },
  );

  // deploy() installs a SIGINT handler that calls process.exit(); main.ts owns shutdown instead.
  const before = new Set(process.listeners('SIGINT'));
  await lti.deploy({ serverless: true, silent: true });
  for (const listener of process.listeners('SIGINT')) {
    if (!before.has(listener)) process.removeListener('SIGINT', listener);
  }
  options.logger.child({ module: 'lti' }).info('ltijs ready');

  const keysRouter = Router();
  keysRouter.get('/keys', lti.app);

  return {
    keysRouter,
    async savePlatform(p) {
      await lti.registerPlatform({
        url: p.issuer,
        clientId: p.clientId,
        name: p.name,
        authenticationEndpoint: p.authLoginUrl,
        accesstokenEndpoint: p.accessTokenUrl,
        authConfig: { method: 'JWK_SET', key: p.jwksUrl },
      });
    },
    async removePlatform(issuer, clientId) {
      await lti.deletePlatform(issuer, clientId);
    },
    signDeepLinkingResponse: (context, contentItems, message) =>
      lti.DeepLinking.createDeepLinkingMessage(toIdToken(context), contentItems, message ? { message } : undefined),
    async getAllMembers(context) {
      const get = () => lti.NamesAndRoles.getMembers(toIdToken(context), { pages: false, resourceLinkId: false });
      let result: Awaited<ReturnType<typeof get>>;
      try {
        result = await get();
      } catch (err) {
        // ltijs stores the LMS's access token by a unique insert: when two first calls race (two processes,
        // two rosters of one LMS), the slower fails with a duplicate key although the token is now stored.
        if (!isDuplicateKeyError(err)) throw err;
        result = await get();
      }
      return result.members ?? [];
    },
    async signingKey(issuer, clientId) {
      const platform = await lti.getPlatform(issuer, clientId);
      if (!platform) return undefined;
      const [kid, privateKeyPem] = await Promise.all([platform.platformKid(), platform.platformPrivateKey()]);
      return kid && privateKeyPem ? { kid, privateKeyPem } : undefined;
    },
    async close() {
      await lti.close({ silent: true });
    },
  };
}

function toIdToken(c: ServiceContext) {
  return {
    iss: c.issuer,
    clientId: c.clientId,
    deploymentId: c.deploymentId,
    user: c.userId,
    platformContext: {
      deepLinkingSettings: c.deepLinkingSettings,
      namesRoles: c.namesRoles,
      resource: c.resourceLinkId ? { id: c.resourceLinkId } : undefined,
    },
  };
}

const isDuplicateKeyError = (err: unknown): boolean => {
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === 11000 || (typeof e?.message === 'string' && e.message.includes('E11000'));
};
