import { Router } from 'express';
import { SCOPES, membershipsUrl, paginate, params, parsePaging, type DemoContext } from './demo-context.js';
import { DEMO_COURSE, ROLE_CLAIMS, ROSTER, type DemoUser } from './demo-roster.js';
import { requireScope, type TokenStore } from './demo-token.js';

/** LTI Names and Role Provisioning Services 2.0: the demo course roster, paged with Link headers. */

const MEDIA = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

/**
 * Membership pages served by this process's demo LMS, token-checked or not: tests read it to see whether the
 * tool asked the LMS or answered from its cache. Per process, not per platform: the demo LMS is built inside
 * the tool, and a test process runs one tool at a time against it (or counts differences).
 */
let membershipRequests = 0;
export const membershipRequestsServed = (): number => membershipRequests;

/** Context roles only: institution roles are not memberships. */
const contextRoles = (user: DemoUser): string[] => ROLE_CLAIMS[user.role].filter((r) => r.includes('/membership'));

/** `role` may be a full role URI or its short name (`Learner`, `Instructor`, `TeachingAssistant`, `Mentor`). */
const hasRole = (user: DemoUser, role: string): boolean =>
  contextRoles(user).some((r) => r === role || r.endsWith(`#${role}`));

export function nrpsRouter(ctx: DemoContext, tokens: TokenStore): Router {
  const router = Router();
  router.use('/contexts/:contextId/memberships', (_req, _res, next) => {
    membershipRequests += 1;
    next();
  });
  router.get('/contexts/:contextId/memberships', requireScope(tokens, SCOPES.memberships), (req, res) => {
    if (req.params.contextId !== DEMO_COURSE.id) {
      res.status(404).json({ error: 'not_found', error_description: `no context ${req.params.contextId}` });
      return;
    }
    const query = params(req.query);
    const paging = parsePaging(query, 10);
    if (typeof paging === 'string') {
      res.status(400).json({ error: 'invalid_request', error_description: paging });
      return;
    }
    if (query.rlid !== undefined && !ctx.state.activity(query.rlid)) {
      res.status(400).json({ error: 'invalid_request', error_description: `rlid: no activity ${query.rlid}` });
      return;
    }
    const url = membershipsUrl(ctx, DEMO_COURSE.id);
    const matching = ROSTER.filter((u) => query.role === undefined || hasRole(u, query.role));
    const members = paginate(res, matching, url, query, paging).map((u) => ({
      status: 'Active',
      user_id: u.userId,
      name: u.name,
      given_name: u.givenName,
      family_name: u.familyName,
      email: u.email,
      roles: contextRoles(u),
    }));
    const body = {
      id: url,
      context: { id: DEMO_COURSE.id, label: DEMO_COURSE.label, title: DEMO_COURSE.title },
      members,
    };
    res.type(MEDIA).send(JSON.stringify(body));
  });
  return router;
}
