import { Router, type Request, type Response } from 'express';
import { AppError, errorBody, isAppError } from '../errors.js';
import type { RecordingLibrary } from '../recordings/recording-library.js';
import type { LinkGrant, RecordingLinks } from '../recordings/recording-links.js';
import { asyncHandler } from './async-handler.js';
import { contentDisposition } from './content-disposition.js';
import { escapeHtml, htmlPage } from './html.js';
import { recordingIdSchema } from './recordings-router.js';

export interface RecordingFileRouterDeps {
  links: RecordingLinks;
  recordings: Pick<RecordingLibrary, 'fileFor'>;
}

/**
 * GET /recordings/:recordingId?token=…: a recording's file, only through a signed link (no other route
 * serves the recordings folder). Byte ranges (206, 416) for players that seek, the type the file is, inline
 * or as a download with the activity's title and date for its name, never cached and never passing the
 * link on as a Referer. A refusal is JSON for a player, a short page for a person who followed the link.
 */
export function recordingFileRouter(deps: RecordingFileRouterDeps): Router {
  const router = Router();

  const grantOf = async (req: Request): Promise<{ grant: LinkGrant; expiresAt: Date }> => {
    const token = req.query.token;
    if (typeof token !== 'string' || token === '') throw new AppError('RECORDING_LINK_INVALID');
    const checked = await deps.links.verify(token);
    if (!checked.ok)
      throw new AppError(checked.reason === 'expired' ? 'RECORDING_LINK_EXPIRED' : 'RECORDING_LINK_INVALID');
    // A link opens the recording it was minted for, not one whose id was put in its place.
    const id = recordingIdSchema.safeParse(req.params.recordingId);
    if (!id.success || id.data !== checked.grant.recordingId) throw new AppError('RECORDING_LINK_INVALID');
    return checked;
  };

  router.get(
    '/:recordingId',
    asyncHandler(async (req, res) => {
      // The answer is the file or a refusal, never something a browser or proxy keeps.
      res.set({ 'cache-control': 'private, no-store', 'referrer-policy': 'no-referrer', 'x-robots-tag': 'noindex' });
      try {
        const { grant, expiresAt } = await grantOf(req);
        const disposition = contentDisposition(grant.download ? 'attachment' : 'inline', grant.fileName);
        const file = await deps.recordings.fileFor(grant, { expiresAt, contentDisposition: disposition });
        req.log?.debug(
          { recordingId: grant.recordingId, viewer: grant.viewer, range: req.headers.range },
          'recording file',
        );
        // A bucket's file: its presigned GET, as long as the link lives, answers ranges itself. The redirect
        // keeps no-store and no-referrer, so neither the link nor the presigned URL is kept or passed on.
        if (file.handover.kind === 'redirect') return res.redirect(302, file.handover.url);
        await send(res, file.handover.path, {
          'content-type': file.contentType,
          'content-disposition': disposition,
          // A launcher's link plays in the tool's own page; an integrator's in theirs.
          'cross-origin-resource-policy': grant.basis === 'api' ? 'cross-origin' : 'same-origin',
        });
      } catch (err) {
        if (!isAppError(err) || res.headersSent) throw err;
        refuse(req, res, err);
      }
    }),
  );
  return router;
}

/** res.sendFile (the `send` package: Range, If-Range, ETag, HEAD), its refusals as our errors. */
function send(res: Response, file: string, headers: Record<string, string>): Promise<void> {
  res.set(headers);
  return new Promise((resolve, reject) => {
    // The name was checked to be a plain name inside the recordings folder (recording-files.ts), whatever
    // dot folders lead to it.
    res.sendFile(file, { cacheControl: false, acceptRanges: true, dotfiles: 'allow' }, (err?: unknown) => {
      if (!err) return resolve();
      const e = err as { status?: number; code?: string; headers?: Record<string, string> };
      // The player went away mid-file (a seek, a closed tab): nothing to answer.
      if (res.headersSent || e.code === 'ECONNABORTED') return resolve();
      res.removeHeader('content-disposition');
      if (e.status === 416) {
        for (const [name, value] of Object.entries(e.headers ?? {})) res.setHeader(name, value);
        return reject(new AppError('RECORDING_RANGE_NOT_SATISFIABLE'));
      }
      if (e.status === 412) return resolve(void res.status(412).end());
      if (e.code === 'ENOENT' || e.status === 404) return reject(new AppError('RECORDING_FILE_MISSING'));
      reject(err);
    });
  });
}

function refuse(req: Request, res: Response, err: AppError): void {
  res.removeHeader('content-disposition');
  res.removeHeader('content-type');
  res.status(err.status);
  if (req.accepts(['json', 'html']) === 'html') {
    const body = `<h1>${escapeHtml(err.message)}</h1><p>Code: <code>${escapeHtml(err.code)}</code></p>`;
    res.type('html').send(htmlPage('Recording', body));
  } else res.json(errorBody(err));
}
