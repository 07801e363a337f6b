import type { AppError } from '../errors.js';
import { escapeHtml, htmlPage } from './html.js';

export interface ErrorPageContext {
  requestId: string;
  step?: string;
  /** When the browser blocked our state cookie: restart the launch as a top-level window. */
  restartUrl?: string;
  /** What to do instead of the usual "try again" when there is no restart link. */
  advice?: string;
}

/** What the student or teacher sees when a launch fails, with the facts their LMS admin needs. */
export function ltiErrorPage(err: AppError, ctx: ErrorPageContext): string {
  const restart = ctx.restartUrl
    ? `<p>This happens when the browser blocks cookies inside embedded pages. Opening the class in its own window fixes it.</p>
<p><a class="button" href="${escapeHtml(ctx.restartUrl)}" target="_blank" rel="noopener">Open the live class in a new window</a></p>`
    : `<p>${escapeHtml(ctx.advice ?? 'Try opening the activity again from your course.')} If it keeps failing, tell your LMS admin what is below.</p>`;
  const facts: Array<[string, string | undefined]> = [
    ['Error code', err.code],
    ['Check', ctx.step],
    ['Request id', ctx.requestId || undefined],
    ['Time (UTC)', new Date().toISOString()],
  ];
  const rows = facts
    .filter((f): f is [string, string] => Boolean(f[1]))
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd><code>${escapeHtml(v)}</code></dd>`)
    .join('');
  return htmlPage(
    'The live class could not open',
    `<h1>The live class could not open</h1>
<p role="alert">${escapeHtml(err.message)}</p>
${restart}
<div class="admin"><p><strong>For your LMS admin:</strong> the LTI launch was refused with code <code>${escapeHtml(err.code)}</code>.
The tool's documentation lists what each code means and how to fix the registration.</p><dl>${rows}</dl></div>`,
  );
}
