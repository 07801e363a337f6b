import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../log.js';
import { errorPage } from './demo-pages.js';
import type { RemoteJwks, SigningKey } from './demo-keys.js';
import type { CourseState } from './demo-state.js';

/** What every demo route module receives: identity, keys, state and URLs of the demo platform. */
export interface DemoContext {
  publicUrl: string;
  /** `${publicUrl}/demo/platform` */
  issuer: string;
  clientId: string;
  deploymentId: string;
  tool: DemoTool;
  key: SigningKey;
  toolJwks: RemoteJwks;
  state: CourseState;
  logger: Logger;
  sign(payload: Record<string, unknown>): string;
}

/** The tool as the demo LMS has it configured. */
export interface DemoTool {
  loginUrl: string;
  launchUrl: string;
  jwksUrl: string;
  deepLinkUrl?: string;
  /** Tool-level custom parameters (from the registration); an admin can change them on the course page. */
  customParameters?: Record<string, string>;
}

export const LTI = 'https://purl.imsglobal.org/spec/lti/claim';
export const AGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
export const NRPS_CLAIM = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';
export const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim';

export const SCOPES = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  memberships: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const;
export const ALL_SCOPES: readonly string[] = Object.values(SCOPES);

export const contextUrl = (ctx: DemoContext, contextId: string): string =>
  `${ctx.issuer}/contexts/${encodeURIComponent(contextId)}`;
export const lineItemsUrl = (ctx: DemoContext, contextId: string): string => `${contextUrl(ctx, contextId)}/lineitems`;
export const membershipsUrl = (ctx: DemoContext, contextId: string): string =>
  `${contextUrl(ctx, contextId)}/memberships`;
export const tokenUrl = (ctx: DemoContext): string => `${ctx.issuer}/token`;
export const deepLinkReturnUrl = (ctx: DemoContext): string => `${ctx.issuer}/deep-link-return`;

/** Express 4 does not catch rejected promises: forward them to the router's error handler. */
export function asyncRoute(
  handler: (req: Request, res: Response, next: NextFunction) => Promise<void>,
): RequestHandler {
  return (req, res, next) => {
    handler(req, res, next).catch(next);
  };
}

/** A readable 400 page listing what was wrong with the request. */
export function badRequest(res: Response, title: string, problems: readonly string[]): void {
  res.status(400).set('cache-control', 'no-store').type('html').send(errorPage(title, problems));
}

/** Query/body values as single strings (express gives arrays for repeated keys). */
export function params(source: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!source || typeof source !== 'object') return out;
  for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

export interface Paging {
  limit: number;
  page: number;
}

/** `limit` (1..100, default `defaultLimit`) and `page` (1-based) query parameters, or a problem sentence. */
export function parsePaging(query: Record<string, string>, defaultLimit: number): Paging | string {
  const limit = query.limit === undefined ? defaultLimit : Number(query.limit);
  const page = query.page === undefined ? 1 : Number(query.page);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return 'limit must be an integer from 1 to 100';
  if (!Number.isInteger(page) || page < 1) return 'page must be a positive integer';
  return { limit, page };
}

/** The page's slice of `items`; sets `Link: <...>; rel="next"` (and first/prev) as LTI services do. */
export function paginate<T>(
  res: Response,
  items: readonly T[],
  url: string,
  query: Record<string, string>,
  paging: Paging,
): T[] {
  const start = (paging.page - 1) * paging.limit;
  const link = (page: number, rel: string): string => {
    const next = new URL(url);
    for (const [key, value] of Object.entries(query)) next.searchParams.set(key, value);
    next.searchParams.set('limit', String(paging.limit));
    next.searchParams.set('page', String(page));
    return `<${next.toString()}>; rel="${rel}"`;
  };
  const links = [link(1, 'first')];
  if (paging.page > 1) links.push(link(paging.page - 1, 'prev'));
  if (start + paging.limit < items.length) links.push(link(paging.page + 1, 'next'));
  res.set('link', links.join(', '));
  return items.slice(start, start + paging.limit);
}
