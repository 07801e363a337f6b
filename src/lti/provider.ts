import type { RequestHandler } from 'express';
import ltijs from 'ltijs';
import type { IndexSpec } from '../db/indexes.js';
import type { Logger } from '../log.js';

/** The only place that touches ltijs. */
export interface LtiProvider {
  /** Mounted at /lti by createApp: /lti/login, /lti/launch, /lti/keys, /lti/register. */
  handler: RequestHandler;
  close(): Promise<void>;
}

export interface LtiProviderOptions {
  encryptionKey: string;
  mongoUri: string;
  clockSkewSeconds: number;
  logger: Logger;
}

/**
 * ltijs keeps short-lived launch data in collections with TTL indexes on createdAt. Where the store
 * rejects TTL indexes our cleanup job enforces the same lifetimes (seconds, as in ltijs 5.9.9).
 */
export const LTIJS_EXPIRING_COLLECTIONS: readonly IndexSpec[] = [
  { collection: 'nonces', keys: { createdAt: 1 }, name: 'createdAt_ttl', expireAfterSeconds: 10 },
  { collection: 'states', keys: { createdAt: 1 }, name: 'createdAt_ttl', expireAfterSeconds: 600 },
  { collection: 'accesstokens', keys: { createdAt: 1 }, name: 'createdAt_ttl', expireAfterSeconds: 3600 },
  { collection: 'idtokens', keys: { createdAt: 1 }, name: 'createdAt_ttl', expireAfterSeconds: 86400 },
  { collection: 'contexttokens', keys: { createdAt: 1 }, name: 'createdAt_ttl', expireAfterSeconds: 86400 },
];

let provider: LtiProvider | undefined;

/** ltijs is a process-wide singleton whose setup() throws when called twice, so this is memoized. */
export async function setupLtiProvider(options: LtiProviderOptions): Promise<LtiProvider> {
  if (provider) return provider;
  const lti = ltijs.Provider;
  lti.setup(
    options.encryptionKey,
    { url: options.mongoUri, connection: { serverSelectionTimeoutMS: 5000 } },
    {
      appRoute: '/launch',
      loginRoute: '/login',
      keysetRoute: '/keys',
      dynRegRoute: '/register',
      // ltijs's default CORS reflects every origin with credentials.
      cors: false,
      // The launcher authenticates API calls with a Bearer ltik, not with ltijs's session cookie.
      ltiaas: true,
      tokenMaxAge: options.clockSkewSeconds,
      cookies: { secure: true, sameSite: 'None' },
    },
  );

  // deploy() installs a SIGINT handler that calls process.exit(); main.ts owns shutdown instead.
  const before = new Set(process.listeners('SIGINT'));
  await lti.deploy({ serverless: true, silent: true });
  for (const listener of process.listeners('SIGINT')) {
    if (!before.has(listener)) process.removeListener('SIGINT', listener);
  }
  options.logger.child({ module: 'lti' }).info('ltijs ready');

  const current: LtiProvider = {
    handler: lti.app,
    async close() {
      await lti.close({ silent: true });
    },
  };
  provider = current;
  return current;
}
