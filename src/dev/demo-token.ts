import { randomBytes } from 'node:crypto';
import express, { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { ALL_SCOPES, asyncRoute, params, tokenUrl, type DemoContext } from './demo-context.js';
import { JwtError, audienceIncludes, checkTimes, verifyJwt } from './demo-keys.js';

/** OAuth 2.0 client_credentials with a JWT client assertion (RFC 7523), and Bearer checks for the services. */

const TOKEN_TTL_SECONDS = 3600;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

interface IssuedToken {
  scopes: ReadonlySet<string>;
  expiresAt: number;
}

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  /** client-assertion jti -> exp (ms), so an assertion cannot be replayed while it is valid. */
  private readonly usedJti = new Map<string, number>();

  issue(scopes: readonly string[], ttlSeconds = TOKEN_TTL_SECONDS): string {
    this.prune();
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, { scopes: new Set(scopes), expiresAt: Date.now() + ttlSeconds * 1000 });
    return token;
  }

  lookup(token: string): IssuedToken | undefined {
    const entry = this.tokens.get(token);
    return entry && entry.expiresAt > Date.now() ? entry : undefined;
  }

  /** False if the jti was already used. */
  useJti(jti: string, expMs: number): boolean {
    if (this.usedJti.has(jti)) return false;
    this.usedJti.set(jti, expMs);
    return true;
  }

  private prune(): void {
    const now = Date.now();
    for (const [token, entry] of this.tokens) if (entry.expiresAt <= now) this.tokens.delete(token);
    for (const [jti, exp] of this.usedJti) if (exp <= now) this.usedJti.delete(jti);
  }
}

type OAuthError = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'invalid_scope' | 'unsupported_grant_type';

function oauthError(res: Response, status: number, error: OAuthError, description: string): void {
  res.status(status).set('cache-control', 'no-store').json({ error, error_description: description });
}

const tokenRequestSchema = z.object({
  grant_type: z.string().min(1),
  client_assertion_type: z.string().min(1),
  client_assertion: z.string().min(1).max(16_384),
  scope: z.string().min(1).max(4096),
});

export function tokenRouter(ctx: DemoContext, tokens: TokenStore): Router {
  const router = Router();
  const audience = tokenUrl(ctx);

  router.post(
    '/token',
    express.urlencoded({ extended: false, limit: '32kb' }),
    asyncRoute(async (req, res) => {
      const parsed = tokenRequestSchema.safeParse(params(req.body));
      if (!parsed.success) {
        const missing = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
        return oauthError(res, 400, 'invalid_request', `missing or invalid parameters: ${missing}`);
      }
      const body = parsed.data;
      if (body.grant_type !== 'client_credentials') {
        return oauthError(res, 400, 'unsupported_grant_type', 'grant_type must be client_credentials');
      }
      if (body.client_assertion_type !== ASSERTION_TYPE) {
        return oauthError(res, 400, 'invalid_request', `client_assertion_type must be ${ASSERTION_TYPE}`);
      }
      const requested = body.scope.split(' ').filter(Boolean);
      const granted = requested.filter((s) => ALL_SCOPES.includes(s));
      if (granted.length === 0) return oauthError(res, 400, 'invalid_scope', 'none of the requested scopes is offered');

      let payload: Record<string, unknown>;
      try {
        ({ payload } = await verifyJwt(body.client_assertion, ctx.toolJwks.resolve));
        if (payload.iss !== ctx.clientId || payload.sub !== ctx.clientId) {
          throw new JwtError(`iss and sub must both be the client id ${ctx.clientId}`);
        }
        if (!audienceIncludes(payload.aud, audience)) throw new JwtError(`aud must contain ${audience}`);
        checkTimes(payload);
      } catch (err) {
        if (!(err instanceof JwtError)) throw err;
        ctx.logger.info({ reason: err.message }, 'demo platform: client assertion refused');
        return oauthError(res, 401, 'invalid_client', `client assertion refused: ${err.message}`);
      }
      if (typeof payload.jti === 'string' && !tokens.useJti(payload.jti, (payload.exp as number) * 1000 + 60_000)) {
        return oauthError(res, 400, 'invalid_grant', 'this client assertion (jti) was already used');
      }

      const scope = granted.join(' ');
      ctx.logger.debug({ scope }, 'demo platform: access token issued');
      res
        .set('cache-control', 'no-store')
        .json({ access_token: tokens.issue(granted), token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS, scope });
    }),
  );
  return router;
}

/** Bearer token with at least one of `anyOf` scopes, else 401 (RFC 6750 invalid_token) or 403 insufficient_scope. */
export function requireScope(tokens: TokenStore, ...anyOf: string[]): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const entry = match?.[1] ? tokens.lookup(match[1]) : undefined;
    if (!entry) {
      res.set('www-authenticate', 'Bearer realm="demo-platform", error="invalid_token"');
      res.status(401).json({ error: 'invalid_token', error_description: 'a valid Bearer access token is required' });
      return;
    }
    if (!anyOf.some((scope) => entry.scopes.has(scope))) {
      res.set(
        'www-authenticate',
        `Bearer realm="demo-platform", error="insufficient_scope", scope="${anyOf.join(' ')}"`,
      );
      res.status(403).json({ error: 'insufficient_scope', error_description: `requires one of: ${anyOf.join(' ')}` });
      return;
    }
    next();
  };
}
