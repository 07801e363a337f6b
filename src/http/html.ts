import { createHash } from 'node:crypto';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (value: unknown): string => String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch] as string);

/** A CSP source allowing exactly this inline `<script>` or `<style>` text (its SHA-256), nothing else inline. */
export const inlineSource = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const PAGE_CSS = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; padding: 2rem; color: #1d2330; background: #f6f7f9; }
  main { max-width: 40rem; margin: 0 auto; background: #fff; border-radius: 8px; padding: 1.5rem 2rem; box-shadow: 0 1px 3px #0002; }
  h1 { font-size: 1.35rem; margin-top: 0; }
  code { background: #eef0f4; padding: 0.1rem 0.3rem; border-radius: 4px; }
  .admin { border-left: 4px solid #c2410c; padding: 0.5rem 1rem; background: #fff7ed; }
  a.button, button { display: inline-block; background: #1d4ed8; color: #fff; border: 0; border-radius: 6px; padding: 0.6rem 1rem; font: inherit; text-decoration: none; cursor: pointer; }
  a.button:focus-visible, button:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; font-size: 0.9rem; color: #4b5563; }
  @media (prefers-color-scheme: dark) { body { background: #111827; color: #e5e7eb; } main { background: #1f2937; } code { background: #374151; } .admin { background: #431407; } dl { color: #d1d5db; } }
`;

/** The style-src source of htmlPage's one inline stylesheet, so the strict policy need not allow any other. */
export const PAGE_STYLE_SOURCE = inlineSource(PAGE_CSS);

/** A minimal, self-contained page (no external assets), readable inside an LMS iframe. */
export function htmlPage(title: string, body: string, lang = 'en'): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body><main>${body}</main></body>
</html>`;
}
