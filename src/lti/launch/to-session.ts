import { CLAIM } from '../claims.js';
import { LINK_CUSTOM, LINK_QUERY } from '../link-parameters.js';
import { mapLtiRoles } from '../roles.js';
import type { NewLaunchSession } from '../launch-session-store.js';
import { DEEP_LINKING_DATA_MAX, type ValidatedLaunch } from './validate-launch.js';

type Claims = Record<string, unknown>;

const str = (value: unknown, max = 1000): string | undefined =>
  typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined;
const obj = (value: unknown): Claims =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Claims) : {};
/** Custom parameter names become keys of the stored session: the store refuses `$`-prefixed, dotted and NUL keys. */
const storableKey = (key: string): boolean =>
  key.length > 0 &&
  key.length <= 100 &&
  !key.startsWith('$') &&
  !key.includes('.') &&
  !key.includes('\u0000') &&
  key !== '__proto__';
const MAX_CUSTOM = 100;
/** A variable the platform did not substitute (Moodle leaves `$Message.locale` as text): not a value. */
const unsubstituted = (value: string): boolean => /^\$[A-Za-z][\w.]*$/.test(value);

/** An IANA zone, or nothing: Moodle sends `99` for "the server's timezone". */
function ianaTimezone(value: string | undefined): string | undefined {
  if (!value || !/^[A-Za-z][A-Za-z0-9_+/-]{0,63}$/.test(value)) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value;
  } catch {
    return undefined;
  }
}

/**
 * The activity the link names, as hints to cross-check: the custom parameter deep linking wrote, then the
 * `activity` query of the launch URL it wrote (a platform-level custom parameter of the same name overrides
 * the link's in Moodle; the target link URI is the link's own).
 */
function activityHints(custom: Record<string, string>, targetLinkUri: unknown): string[] {
  const hints = custom[LINK_CUSTOM.activityId] ? [custom[LINK_CUSTOM.activityId] as string] : [];
  try {
    const fromUrl = new URL(String(targetLinkUri)).searchParams.get(LINK_QUERY.activityId);
    if (fromUrl) hints.push(fromUrl.slice(0, 100));
  } catch {
    // Not a URL: validation already required it to point at the tool, so there is nothing more to read.
  }
  return hints;
}

/**
 * The claims with NUL characters taken out of every string: the store (PostgreSQL under FerretDB) cannot
 * hold them, and no LMS means one. The signature was checked on the token as sent.
 */
function withoutNul(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => withoutNul(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNul(v, depth + 1)]));
}

/** Plain launch facts from validated claims; anything optional and malformed is dropped, not trusted. */
export function toLaunchSession(launch: ValidatedLaunch): NewLaunchSession {
  const c = withoutNul(launch.claims) as Claims;
  const ltiRoles = c[CLAIM.roles] as string[];
  const context = obj(c[CLAIM.context]);
  const link = obj(c[CLAIM.resourceLink]);
  const presentation = obj(c[CLAIM.launchPresentation]);
  const ags = obj(c[CLAIM.agsEndpoint]);
  const nrps = obj(c[CLAIM.nrps]);
  const custom = Object.fromEntries(
    Object.entries(obj(c[CLAIM.custom]))
      .filter(([k, v]) => storableKey(k) && ['string', 'number', 'boolean'].includes(typeof v))
      .slice(0, MAX_CUSTOM)
      .map(([k, v]) => [k, String(v).slice(0, 1000)])
      .filter(([, v]) => !unsubstituted(v as string)),
  );
  const given = str(c.given_name, 200);
  const family = str(c.family_name, 200);
  const name = str(c.name, 200) ?? ([given, family].filter(Boolean).join(' ') || 'Participant');
  const dl = obj(c[CLAIM.deepLinkingSettings]);

  return {
    messageType: launch.messageType,
    platformId: launch.platform.id,
    issuer: launch.platform.issuer,
    clientId: launch.platform.clientId,
    deploymentId: launch.deploymentId,
    user: {
      id: c.sub as string,
      name,
      givenName: given,
      familyName: family,
      email: str(c.email, 320),
      picture: str(c.picture, 2048),
    },
    role: mapLtiRoles(ltiRoles, launch.platform.roleMapping),
    ltiRoles,
    context: str(context.id)
      ? { id: context.id as string, label: str(context.label, 200), title: str(context.title, 500) }
      : undefined,
    resourceLink: str(link.id)
      ? { id: link.id as string, title: str(link.title, 500), description: str(link.description, 4000) }
      : undefined,
    activityHints: link.id ? activityHints(custom, c[CLAIM.targetLinkUri]) : [],
    locale: str(presentation.locale, 35) ?? str(c.locale, 35),
    timezone: ianaTimezone(custom.user_timezone),
    returnUrl: str(presentation.return_url, 2048),
    services: {
      lineItems: str(ags.lineitems, 2048),
      lineItem: str(ags.lineitem, 2048),
      agsScopes: Array.isArray(ags.scope) ? ags.scope.filter((s): s is string => typeof s === 'string') : undefined,
      membershipsUrl: str(nrps.context_memberships_url, 2048),
    },
    deepLinking:
      launch.messageType === 'LtiDeepLinkingRequest'
        ? {
            // Only the fields the response needs, as plain values: the platform's object itself may carry
            // keys the store refuses (`$set`, dots), and validation already refused data we could not echo.
            returnUrl: dl.deep_link_return_url as string,
            data: str(dl.data, DEEP_LINKING_DATA_MAX),
            acceptTypes: Array.isArray(dl.accept_types)
              ? dl.accept_types.filter((t): t is string => typeof t === 'string').slice(0, 20)
              : [],
            acceptMultiple: dl.accept_multiple !== false && dl.accept_multiple !== 'false',
          }
        : undefined,
    custom,
  };
}
