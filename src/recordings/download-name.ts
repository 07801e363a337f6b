import path from 'node:path';

/** How long a title may be in a file name (code points); the date and extension come on top. */
const TITLE_MAX = 80;

/**
 * Characters a file name must not carry on any desktop: path separators and what Windows reserves, control
 * and format characters (among them the bidirectional overrides that make `exe.mp4` read as `4pm.exe`).
 */
const UNSAFE = /[\\/:*?"<>|\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** The title as a file name part: unsafe characters dropped, spaces squeezed, no dots at the ends. */
export function safeTitle(title: string): string {
  const cleaned = title
    .normalize('NFC')
    .replace(UNSAFE, ' ')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/gu, '');
  const cut = [...cleaned].slice(0, TITLE_MAX).join('').trim();
  return cut || 'Recording';
}

/** `2026-12-03 14.05` in `timeZone` (an unknown zone: UTC). */
export function fileDate(at: Date, timeZone = 'UTC'): string {
  const format = (zone: string) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(at);
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = format(timeZone);
  } catch {
    parts = format('UTC');
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}.${part('minute')}`;
}

/**
 * What a downloaded recording is called: the activity's title and when the recording began, with the file's
 * own extension, e.g. `Física 101 - 2026-12-03 14.05.mp4`.
 */
export function downloadName(title: string, at: Date, fileName: string, timeZone?: string): string {
  const ext = path.extname(fileName).toLowerCase();
  return `${safeTitle(title)} - ${fileDate(at, timeZone)}${/^\.[a-z0-9]{1,5}$/.test(ext) ? ext : ''}`;
}
