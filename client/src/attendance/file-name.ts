/**
 * The file name a download's Content-Disposition header gives (RFC 6266: `filename*` in UTF-8 wins over
 * `filename`), reduced to a bare name: no folders, no control characters. Imports nothing (unit-tested).
 */
export function fileNameOf(contentDisposition: string | null | undefined, fallback: string): string {
  const header = contentDisposition ?? '';
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)?.[1];
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/.exec(header);
  let name: string | undefined;
  if (extended) {
    try {
      name = decodeURIComponent(extended.trim());
    } catch {
      name = undefined;
    }
  }
  name ??= plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2];
  const last = (name ?? '').split(/[/\\]/).pop() ?? '';
  const bare = [...last]
    .filter((c) => c.charCodeAt(0) > 0x1f && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim();
  return bare === '' || bare === '.' || bare === '..' ? fallback : bare;
}
