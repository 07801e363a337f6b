import express, { Router } from 'express';
import { z } from 'zod';
import { badRequest, params, type DemoContext } from './demo-context.js';

/**
 * What a teacher and an LMS admin change in a real LMS without the tool: a plain link to the tool added
 * without deep linking (Moodle's "External tool" activity with the preconfigured tool, no Select content),
 * and the tool-level custom parameters of the tool's configuration (Moodle: Site administration > Manage
 * tools > the tool > Custom parameters, one `name=value` a line).
 */

const plainLinkSchema = z.object({ title: z.string().trim().min(1).max(255) });
const toolSettingsSchema = z.object({ custom: z.string().max(4096) });
const customLine = /^([A-Za-z0-9_]{1,64})=(.{0,1024})$/;

/** Moodle's custom parameter box: `name=value` lines; blank lines ignored. */
export function parseCustomParameters(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const match = customLine.exec(line);
    if (!match) return `not a name=value line: ${line.slice(0, 80)}`;
    out[match[1] as string] = match[2] as string;
  }
  return out;
}

export function courseAdminRouter(ctx: DemoContext): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  router.post('/activities', form, (req, res) => {
    const parsed = plainLinkSchema.safeParse(params(req.body));
    if (!parsed.success)
      return badRequest(res, 'Not saved', ['title: give the activity a name (at most 255 characters)']);
    const activity = ctx.state.addActivity({ title: parsed.data.title, custom: {} });
    ctx.logger.info({ resourceLinkId: activity.resourceLinkId }, 'demo platform: plain link added');
    res.redirect(303, req.baseUrl || '/');
  });

  router.post('/tool-settings', form, (req, res) => {
    const parsed = toolSettingsSchema.safeParse(params(req.body));
    const custom = parsed.success ? parseCustomParameters(parsed.data.custom) : 'custom: at most 4096 characters';
    if (typeof custom === 'string') return badRequest(res, 'Not saved', [custom]);
    ctx.state.toolCustom = custom;
    ctx.logger.info({ names: Object.keys(custom) }, 'demo platform: tool-level custom parameters changed');
    res.redirect(303, req.baseUrl || '/');
  });
  return router;
}
