/**
 * A Content-Disposition header (RFC 6266) for a file name in any script: a plain ASCII `filename` for old
 * clients and, when the name is not plain ASCII, its UTF-8 form in `filename*` (RFC 5987), which every
 * current browser prefers.
 */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const fallback = asciiFallback(name);
  const header = `${type}; filename="${fallback}"`;
  return fallback === name ? header : `${header}; filename*=UTF-8''${rfc5987(name)}`;
}

/** Accents dropped (é → e), anything else outside printable ASCII, and quotes and backslashes, as `_`. */
export function asciiFallback(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
}

/** RFC 5987 `value-chars`: UTF-8, percent-encoded except for attr-char (encodeURIComponent spares `'()*`). */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
