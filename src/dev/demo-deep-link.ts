import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { DL, LTI, asyncRoute, badRequest, params, type DemoContext } from './demo-context.js';
import { JwtError, audienceIncludes, checkTimes, verifyJwt, type JwtPayload } from './demo-keys.js';
import { activityAddedPage } from './demo-pages.js';
import type { Activity } from './demo-state.js';

/** Receives the tool's LtiDeepLinkingResponse and adds the chosen resource link to the course. */

const scalar = z.union([z.string().max(1024), z.number(), z.boolean()]);
const resourceLinkSchema = z.object({
  type: z.literal('ltiResourceLink'),
  title: z.string().max(255).optional(),
  text: z.string().max(4096).optional(),
  url: z.url().max(2048).optional(),
  custom: z.record(z.string().max(255), scalar).optional(),
  lineItem: z
    .object({
      scoreMaximum: z.number().positive().max(1e9),
      label: z.string().max(255).optional(),
      resourceId: z.string().max(255).optional(),
      tag: z.string().max(255).optional(),
    })
    .optional(),
});
const contentItemsSchema = z.array(z.looseObject({ type: z.string() })).max(20);
type ResourceLinkItem = z.infer<typeof resourceLinkSchema>;

const refuse = (res: Response, problems: string[]): void =>
  badRequest(res, 'The deep linking response was refused', problems);

export function deepLinkRouter(ctx: DemoContext): Router {
  const router = Router();
  const usedNonces = new Map<string, number>();

  /** All claim checks of the response, as sentences; empty when valid. */
  const claimProblems = (payload: JwtPayload): string[] => {
    const problems: string[] = [];
    if (payload.iss !== ctx.clientId) problems.push(`iss must be the client id ${ctx.clientId}`);
    if (!audienceIncludes(payload.aud, ctx.issuer)) problems.push(`aud must be the platform issuer ${ctx.issuer}`);
    if (typeof payload.nonce !== 'string' || payload.nonce === '') problems.push('nonce is missing');
    else if (usedNonces.has(payload.nonce)) problems.push('nonce was already used');
    if (payload[`${LTI}/message_type`] !== 'LtiDeepLinkingResponse') {
      problems.push('message_type must be LtiDeepLinkingResponse');
    }
    if (payload[`${LTI}/version`] !== '1.3.0') problems.push('version must be 1.3.0');
    if (payload[`${LTI}/deployment_id`] !== ctx.deploymentId)
      problems.push(`deployment_id must be ${ctx.deploymentId}`);
    const data = payload[`${DL}/data`];
    if (typeof data !== 'string' || !ctx.state.hasDeepLinkData(data)) {
      problems.push('data must echo the deep_linking_settings.data of a pending request (each answers once)');
    }
    return problems;
  };

  /** The resource links to add, or problems with the content items. */
  const parseItems = (raw: unknown): { items: ResourceLinkItem[]; problems: string[] } => {
    if (raw === undefined) return { items: [], problems: [] };
    const list = contentItemsSchema.safeParse(raw);
    if (!list.success) return { items: [], problems: ['content_items must be an array of at most 20 objects'] };
    const items: ResourceLinkItem[] = [];
    const problems: string[] = [];
    list.data.forEach((entry, i) => {
      const parsed = resourceLinkSchema.safeParse(entry);
      if (entry.type !== 'ltiResourceLink') problems.push(`content_items[${i}]: type ${entry.type} is not accepted`);
      else if (parsed.success) items.push(parsed.data);
      else problems.push(...parsed.error.issues.map((is) => `content_items[${i}].${is.path.join('.')}: ${is.message}`));
    });
    if (items.length > 1) problems.push('accept_multiple is false: send at most one content item');
    return { items, problems };
  };

  const addActivity = (item: ResourceLinkItem): Activity => {
    const custom = Object.fromEntries(Object.entries(item.custom ?? {}).map(([k, v]) => [k, String(v)]));
    const title = item.title?.trim() || 'Untitled activity';
    const activity = ctx.state.addActivity({ title, custom, url: item.url, text: item.text });
    if (item.lineItem) {
      ctx.state.createLineItem({
        scoreMaximum: item.lineItem.scoreMaximum,
        label: item.lineItem.label ?? title,
        resourceId: item.lineItem.resourceId,
        tag: item.lineItem.tag,
        resourceLinkId: activity.resourceLinkId,
      });
    }
    ctx.logger.info(
      { resourceLinkId: activity.resourceLinkId, title },
      'demo platform: activity added by deep linking',
    );
    return activity;
  };

  router.post(
    '/deep-link-return',
    express.urlencoded({ extended: false, limit: '64kb' }),
    asyncRoute(async (req, res) => {
      const token = params(req.body).JWT;
      if (!token) return refuse(res, ['the form field JWT is missing']);
      let payload: JwtPayload;
      try {
        ({ payload } = await verifyJwt(token, ctx.toolJwks.resolve));
        checkTimes(payload);
      } catch (err) {
        if (!(err instanceof JwtError)) throw err;
        return refuse(res, [err.message]);
      }
      const problems = claimProblems(payload);
      const { items, problems: itemProblems } = parseItems(payload[`${DL}/content_items`]);
      problems.push(...itemProblems);
      if (problems.length > 0) {
        ctx.logger.info({ problems }, 'demo platform: deep linking response refused');
        return refuse(res, problems);
      }
      ctx.state.consumeDeepLinkData(payload[`${DL}/data`] as string);
      usedNonces.set(payload.nonce as string, Date.now());
      if (usedNonces.size > 1000) usedNonces.delete(usedNonces.keys().next().value as string);
      const added = items.map(addActivity);
      // ltijs 5.9.9 writes the error message claim with a trailing space in its name.
      const message = [`${DL}/msg`, `${DL}/errormsg`, `${DL}/errormsg `]
        .map((claim) => payload[claim])
        .find((m) => typeof m === 'string');
      const base = typeof res.locals.demoBase === 'string' ? res.locals.demoBase : `${ctx.publicUrl}/demo`;
      res.type('html').send(
        activityAddedPage(
          base,
          added.map((a) => a.title),
          message as string | undefined,
        ),
      );
    }),
  );
  return router;
}
