import express, { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { SCOPES, lineItemsUrl, paginate, params, parsePaging, type DemoContext } from './demo-context.js';
import { ScoreFaults, faultsRouter } from './demo-ags-faults.js';
import { DEMO_COURSE, ROSTER } from './demo-roster.js';
import type { LineItem } from './demo-state.js';
import { requireScope, type TokenStore } from './demo-token.js';

/** LTI Assignment and Grade Services 2.0: line items, scores, results for the demo course. */

const MEDIA = {
  container: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  score: 'application/vnd.ims.lis.v1.score+json',
  results: 'application/vnd.ims.lis.v2.resultcontainer+json',
};

const dateTime = z.iso.datetime({ offset: true });
const lineItemSchema = z.object({
  id: z.string().optional(),
  scoreMaximum: z.number().positive().max(1e9),
  label: z.string().trim().min(1).max(255),
  resourceId: z.string().max(255).optional(),
  tag: z.string().max(255).optional(),
  resourceLinkId: z.string().max(255).optional(),
  startDateTime: dateTime.optional(),
  endDateTime: dateTime.optional(),
  gradesReleased: z.boolean().optional(),
});

const scoreSchema = z
  .object({
    userId: z.string().min(1).max(255),
    scoreGiven: z.number().min(0).max(1e9).optional(),
    scoreMaximum: z.number().positive().max(1e9).optional(),
    comment: z.string().max(4096).optional(),
    activityProgress: z.enum(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']),
    gradingProgress: z.enum(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']),
    timestamp: dateTime,
  })
  .refine((s) => s.scoreGiven === undefined || s.scoreMaximum !== undefined, {
    message: 'scoreMaximum is required when scoreGiven is present',
    path: ['scoreMaximum'],
  });

/** Only the course's learners can be graded, as in a strict LMS (teachers, mentors, strangers cannot). */
const LEARNERS: ReadonlySet<string> = new Set(ROSTER.filter((u) => u.role === 'student').map((u) => u.userId));

const json = express.json({ type: ['application/json', 'application/*+json'], limit: '64kb' });

function fail(res: Response, status: number, error: string, description: string | string[]): void {
  res
    .status(status)
    .json({ error, error_description: Array.isArray(description) ? description.join('; ') : description });
}

const zodProblems = (error: z.ZodError): string[] =>
  error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);

/** Refuses bodies that are not JSON of one of `types` with 415. */
const accepts =
  (...types: string[]): RequestHandler =>
  (req, res, next) => {
    if (req.is([...types, 'application/json'])) return next();
    fail(res, 415, 'unsupported_media_type', `Content-Type must be ${types.join(' or ')}`);
  };

export function agsRouter(ctx: DemoContext, tokens: TokenStore, faults = new ScoreFaults()): Router {
  const router = Router();
  router.use(faultsRouter(faults));
  const { state } = ctx;
  const base = lineItemsUrl(ctx, DEMO_COURSE.id);
  const toJson = (item: LineItem) => ({ ...item, id: `${base}/${item.id}` });
  const read = requireScope(tokens, SCOPES.lineItem, SCOPES.lineItemReadOnly);
  const write = requireScope(tokens, SCOPES.lineItem);

  router.param('contextId', (_req, res, next, contextId: string) => {
    if (contextId === DEMO_COURSE.id) return next();
    fail(res, 404, 'not_found', `no context ${contextId}`);
  });
  const item: RequestHandler = (req, res, next) => {
    const found = state.lineItem(String(req.params.id));
    if (found) {
      res.locals.lineItem = found;
      return next();
    }
    fail(res, 404, 'not_found', `no line item ${String(req.params.id)}`);
  };

  /** Validates a line item body; a resourceLinkId must name an activity of the course. */
  const parseLineItem = (body: unknown, res: Response): Omit<LineItem, 'id'> | undefined => {
    const parsed = lineItemSchema.safeParse(body);
    if (!parsed.success) return void fail(res, 400, 'invalid_request', zodProblems(parsed.error));
    const { id: _id, ...data } = parsed.data;
    if (data.resourceLinkId && !state.activity(data.resourceLinkId)) {
      return void fail(
        res,
        400,
        'invalid_request',
        `resourceLinkId: no activity ${data.resourceLinkId} in this course`,
      );
    }
    return data;
  };

  router.get('/contexts/:contextId/lineitems', read, (req, res) => {
    const query = params(req.query);
    const paging = parsePaging(query, 100);
    if (typeof paging === 'string') return fail(res, 400, 'invalid_request', paging);
    const items = state
      .listLineItems()
      .filter((i) => query.resource_link_id === undefined || i.resourceLinkId === query.resource_link_id)
      .filter((i) => query.tag === undefined || i.tag === query.tag)
      .filter((i) => query.resource_id === undefined || i.resourceId === query.resource_id);
    res.type(MEDIA.container).send(JSON.stringify(paginate(res, items, base, query, paging).map(toJson)));
  });

  router.post('/contexts/:contextId/lineitems', write, accepts(MEDIA.lineItem), json, (req, res) => {
    const data = parseLineItem(req.body, res);
    if (!data) return;
    const created = state.createLineItem(data);
    ctx.logger.info({ lineItemId: created.id, label: created.label }, 'demo platform: line item created');
    res
      .status(201)
      .location(`${base}/${created.id}`)
      .type(MEDIA.lineItem)
      .send(JSON.stringify(toJson(created)));
  });

  router.get('/contexts/:contextId/lineitems/:id', read, item, (_req, res) => {
    res.type(MEDIA.lineItem).send(JSON.stringify(toJson(res.locals.lineItem as LineItem)));
  });

  router.put('/contexts/:contextId/lineitems/:id', write, item, accepts(MEDIA.lineItem), json, (req, res) => {
    const current = res.locals.lineItem as LineItem;
    const body = req.body as { id?: unknown } | undefined;
    if (body?.id !== undefined && body.id !== `${base}/${current.id}`) {
      return fail(res, 400, 'invalid_request', 'id does not match the line item URL');
    }
    const data = parseLineItem(req.body, res);
    if (!data) return;
    const updated = state.replaceLineItem(current.id, data) as LineItem;
    res.type(MEDIA.lineItem).send(JSON.stringify(toJson(updated)));
  });

  router.delete('/contexts/:contextId/lineitems/:id', write, item, (_req, res) => {
    state.deleteLineItem((res.locals.lineItem as LineItem).id);
    res.status(204).end();
  });

  const scope = requireScope(tokens, SCOPES.score);
  router.post('/contexts/:contextId/lineitems/:id/scores', scope, item, accepts(MEDIA.score), json, (req, res) => {
    const current = res.locals.lineItem as LineItem;
    const parsed = scoreSchema.safeParse(req.body);
    if (!parsed.success) return fail(res, 400, 'invalid_request', zodProblems(parsed.error));
    if (faults.intercept(res)) return;
    if (!LEARNERS.has(parsed.data.userId)) return faults.refuseNonLearner(res);
    if (!state.putScore(current.id, parsed.data)) return faults.refuseStale(res);
    faults.accepted(current.id, parsed.data.userId);
    const { userId, scoreGiven, scoreMaximum, gradingProgress } = parsed.data;
    ctx.logger.info({ lineItemId: current.id, userId, scoreGiven, scoreMaximum, gradingProgress }, 'grade posted');
    res.json({ resultUrl: `${base}/${current.id}/results/${encodeURIComponent(userId)}` });
  });

  const results = requireScope(tokens, SCOPES.resultReadOnly);
  router.get('/contexts/:contextId/lineitems/:id/results', results, item, (req, res) => {
    const current = res.locals.lineItem as LineItem;
    const query = params(req.query);
    const paging = parsePaging(query, 100);
    if (typeof paging === 'string') return fail(res, 400, 'invalid_request', paging);
    const itemUrl = `${base}/${current.id}`;
    const all = state
      .scoresOf(current.id)
      .filter((s) => query.user_id === undefined || s.userId === query.user_id)
      .map((s) => ({
        id: `${itemUrl}/results/${encodeURIComponent(s.userId)}`,
        scoreOf: itemUrl,
        userId: s.userId,
        // Scaled to the line item's maximum, as an LMS gradebook shows it.
        resultScore:
          s.scoreGiven === undefined ? undefined : (s.scoreGiven * current.scoreMaximum) / (s.scoreMaximum ?? 1),
        resultMaximum: current.scoreMaximum,
        comment: s.comment,
        timestamp: s.timestamp,
      }));
    res.type(MEDIA.results).send(JSON.stringify(paginate(res, all, `${itemUrl}/results`, query, paging)));
  });
  return router;
}
