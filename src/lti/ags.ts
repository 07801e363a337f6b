import { createPrivateKey, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { AGS_SCOPES, type GradeTarget } from '../attendance/grade-target.js';
import {
  LmsCallError,
  NotPostableError,
  type AgsClient,
  type LmsAnswer,
  type LmsLineItem,
  type LmsScore,
} from '../attendance/lms-grades.js';
import { LINE_ITEM_TAG } from './deep-linking.js';
import { boundedFetch, BoundedFetchError, type BoundedAnswer } from '../net/bounded-fetch.js';
import type { PlatformService } from './platform-store.js';
import type { LtiProvider } from './provider.js';

/**
 * LTI Assignment and Grade Services over HTTP, with our own client-credentials tokens: signed with the
 * tool's key for the platform (from ltijs), addressed to the audience the platform expects (Brightspace has
 * its own), cached in this process until shortly before they expire. Every answer that is not a success
 * reaches the caller whole (status, body, headers) so the domain can classify it.
 */

const MEDIA = {
  container: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  score: 'application/vnd.ims.lis.v1.score+json',
};
const CLIENT_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const TIMEOUT_MS = 15_000;
const MAX_BYTES = 1024 * 1024;
/** A line item container page; the filters leave one or two items, so one page is plenty. */
const PAGE_LIMIT = 100;

export interface AgsDeps {
  lti: Pick<LtiProvider, 'signingKey'>;
  platforms: Pick<PlatformService, 'get'>;
  fetch?: typeof fetch;
  now?: () => Date;
}

export function createAgsClient(deps: AgsDeps): AgsClient {
  const now = deps.now ?? (() => new Date());
  const tokens = new Map<string, { token: string; until: number }>();

  const call = async (
    stage: 'token' | 'service',
    url: string,
    init: Omit<RequestInit, 'redirect' | 'signal'>,
  ): Promise<LmsAnswer & { status: number }> => {
    let answer: BoundedAnswer;
    try {
      answer = await boundedFetch(url, init, { timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES, fetch: deps.fetch });
    } catch (err) {
      if (err instanceof BoundedFetchError) throw new LmsCallError({ stage, network: err.message });
      throw err;
    }
    return { stage, status: answer.status, body: answer.text, headers: Object.fromEntries(answer.headers) };
  };
  const ok = (a: LmsAnswer) => a.status !== undefined && a.status >= 200 && a.status < 300;

  const accessToken = async (target: GradeTarget, scope: string, fresh = false): Promise<string> => {
    const cacheKey = `${target.platformId}\n${scope}`;
    const cached = tokens.get(cacheKey);
    if (!fresh && cached && cached.until > now().getTime()) return cached.token;
    const platform = await deps.platforms.get(target.platformId);
    if (!platform) throw new NotPostableError('the LMS registration of this class no longer exists');
    const key = await deps.lti.signingKey(platform.issuer, platform.clientId);
    if (!key) throw new NotPostableError('the tool has no signing key for this LMS registration');
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(platform.clientId)
      .setSubject(platform.clientId)
      .setAudience(platform.tokenAudience ?? platform.accessTokenUrl)
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(createPrivateKey(key.privateKeyPem));
    const answer = await call('token', platform.accessTokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: CLIENT_ASSERTION,
        client_assertion: assertion,
        scope,
      }).toString(),
    });
    if (!ok(answer)) throw new LmsCallError(answer);
    let parsed: { access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(answer.body) as typeof parsed;
    } catch {
      throw new LmsCallError({ ...answer, status: 502, body: 'the token answer is not JSON' });
    }
    if (typeof parsed.access_token !== 'string') {
      throw new LmsCallError({ ...answer, status: 502, body: 'the token answer has no access_token' });
    }
    const lifetime = typeof parsed.expires_in === 'number' ? parsed.expires_in : 3600;
    // Renewed a minute early: a token that expires in flight is a 401 and a retry for nothing.
    tokens.set(cacheKey, { token: parsed.access_token, until: now().getTime() + Math.max(0, lifetime - 60) * 1000 });
    return parsed.access_token;
  };

  /** Strict platforms refuse the read-only scope to a tool granted the full one: ask for what was granted. */
  const lineItemScope = (t: GradeTarget) =>
    t.scopes.includes(AGS_SCOPES.lineItem) ? AGS_SCOPES.lineItem : AGS_SCOPES.lineItemReadOnly;

  const service = async (target: GradeTarget, scope: string, url: string, init: RequestInit, fresh = false) => {
    const token = await accessToken(target, scope, fresh);
    const headers = { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` };
    return call('service', url, { ...init, headers });
  };

  const lineItemOf = (raw: unknown): LmsLineItem | undefined => {
    const o = raw as Record<string, unknown> | null;
    if (!o || typeof o.id !== 'string' || typeof o.scoreMaximum !== 'number') return undefined;
    return {
      url: o.id,
      label: typeof o.label === 'string' ? o.label : '',
      scoreMaximum: o.scoreMaximum,
      ...(typeof o.resourceLinkId === 'string' ? { resourceLinkId: o.resourceLinkId } : {}),
      ...(typeof o.resourceId === 'string' ? { resourceId: o.resourceId } : {}),
      ...(typeof o.tag === 'string' ? { tag: o.tag } : {}),
      ...(typeof o.gradesReleased === 'boolean' ? { gradesReleased: o.gradesReleased } : {}),
    };
  };
  const json = (answer: LmsAnswer & { status: number }): unknown => {
    try {
      return JSON.parse(answer.body);
    } catch {
      throw new LmsCallError({ ...answer, status: 502, body: 'the LMS answered with something other than JSON' });
    }
  };

  return {
    async findLineItem(target) {
      if (!target.lineItemsUrl) return undefined;
      const url = new URL(target.lineItemsUrl);
      url.searchParams.set('resource_link_id', target.resourceLinkId);
      url.searchParams.set('tag', LINE_ITEM_TAG);
      url.searchParams.set('limit', String(PAGE_LIMIT));
      const answer = await service(target, lineItemScope(target), url.toString(), {
        method: 'GET',
        headers: { accept: MEDIA.container },
      });
      if (!ok(answer)) throw new LmsCallError(answer);
      const list = json(answer);
      if (!Array.isArray(list)) return undefined;
      // Some LMSs ignore the filters: check them here too.
      return list
        .map(lineItemOf)
        .find((i) => i && i.tag === LINE_ITEM_TAG && (!i.resourceLinkId || i.resourceLinkId === target.resourceLinkId));
    },

    async createLineItem(target) {
      if (!target.lineItemsUrl) throw new NotPostableError('the LMS gave no line item service for this class');
      const answer = await service(target, AGS_SCOPES.lineItem, target.lineItemsUrl, {
        method: 'POST',
        headers: { 'content-type': MEDIA.lineItem, accept: MEDIA.lineItem },
        body: JSON.stringify({
          label: target.label,
          scoreMaximum: target.scoreMaximum,
          resourceLinkId: target.resourceLinkId,
          resourceId: target.activityId,
          tag: LINE_ITEM_TAG,
        }),
      });
      if (!ok(answer)) throw new LmsCallError(answer);
      const item = lineItemOf(json(answer));
      if (!item) throw new LmsCallError({ ...answer, status: 502, body: 'the created line item has no id' });
      return item;
    },

    async setGradesReleased(target, lineItemUrl, released) {
      const scope = AGS_SCOPES.lineItem;
      const read = await service(target, scope, lineItemUrl, { method: 'GET', headers: { accept: MEDIA.lineItem } });
      if (!ok(read)) throw new LmsCallError(read);
      const current = json(read) as Record<string, unknown>;
      if (current.gradesReleased === released) return lineItemOf(current) as LmsLineItem;
      const answer = await service(target, scope, lineItemUrl, {
        method: 'PUT',
        headers: { 'content-type': MEDIA.lineItem, accept: MEDIA.lineItem },
        body: JSON.stringify({ ...current, gradesReleased: released }),
      });
      if (!ok(answer)) throw new LmsCallError(answer);
      return lineItemOf(json(answer)) ?? (lineItemOf({ ...current, gradesReleased: released }) as LmsLineItem);
    },

    async postScore(target, lineItemUrl, score: LmsScore, options = {}) {
      const url = new URL(lineItemUrl);
      url.pathname = `${url.pathname.replace(/\/$/, '')}/scores`;
      try {
        return await service(
          target,
          AGS_SCOPES.score,
          url.toString(),
          {
            method: 'POST',
            headers: { 'content-type': MEDIA.score },
            // A fresh timestamp per attempt: an LMS keeps the score with the latest one.
            body: JSON.stringify({ ...score, timestamp: now().toISOString() }),
          },
          options.freshToken,
        );
      } catch (err) {
        if (err instanceof LmsCallError) return err.answer;
        throw err;
      }
    },
  };
}
