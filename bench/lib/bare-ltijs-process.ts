/**
 * A bare ltijs 5.9.9 tool as a benchmarked child process: ltijs's own launch flow and its own MongoDB
 * connection (a database of its own on the same FerretDB server), the platform registered the ltijs way.
 * The launch ends in onConnect answering the launch's user as JSON (what our /api/me answers).
 * Environment: BARE_PORT, BARE_MONGO_URI, BARE_ENCRYPTION_KEY, BARE_PLATFORM (JSON: issuer, clientId, name,
 * authLoginUrl, accessTokenUrl, jwksUrl).
 */
import ltijs from 'ltijs';
import { installProbe } from './child-probe.js';

installProbe();
const env = process.env;
const platform = JSON.parse(env.BARE_PLATFORM as string) as Record<string, string>;
const lti = ltijs.Provider;
lti.setup(
  env.BARE_ENCRYPTION_KEY as string,
  { url: env.BARE_MONGO_URI as string },
  {
    appRoute: '/lti/launch',
    loginRoute: '/lti/login',
    keysetRoute: '/lti/keys',
    cookies: { secure: false, sameSite: 'Lax' },
    devMode: false,
    tokenMaxAge: 60,
  },
);
lti.onConnect((token, _req, res) => {
  const t = token as { user?: string; platformContext?: { roles?: string[] } };
  res.json({ user: t.user, roles: t.platformContext?.roles ?? [] });
});
await lti.deploy({ serverless: true, silent: true });
await lti.registerPlatform({
  url: platform.issuer as string,
  clientId: platform.clientId as string,
  name: platform.name as string,
  authenticationEndpoint: platform.authLoginUrl as string,
  accesstokenEndpoint: platform.accessTokenUrl as string,
  authConfig: { method: 'JWK_SET', key: platform.jwksUrl as string },
});
const server = lti.app.listen(Number(env.BARE_PORT), '127.0.0.1', () => {
  process.send?.({ ready: `http://127.0.0.1:${env.BARE_PORT}` });
});
process.on('disconnect', () => {
  server.close();
  void lti.close({ silent: true }).then(() => process.exit(0));
});
