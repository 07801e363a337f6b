/**
 * Wall-clock time in an IANA timezone, with nothing but Intl. DOM-free, so mocha can test it under Node.
 * Offsets are milliseconds to add to UTC to get the zone's local time (Paris in summer: +2 h).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const DAY_MS = 24 * 60 * 60 * 1000;

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime knows `timeZone` (an IANA name such as 'Europe/Paris', or 'UTC'). */
export function isValidTimeZone(timeZone: string | undefined): timeZone is string {
  if (!timeZone) return false;
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds since the epoch of a wall-clock reading, as if it were UTC (years 0–99 too). */
function wallClockMs(year: number, month: number, day: number, hour: number, minute: number, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** The zone's UTC offset at `instantMs`, in milliseconds (whole seconds). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const values: Record<string, string> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(instantMs))) values[part.type] = part.value;
  const local = wallClockMs(
    Number(values.year),
    Number(values.month),
    Number(values.day),
    Number(values.hour),
    Number(values.minute),
    Number(values.second),
  );
  return local - Math.floor(instantMs / 1000) * 1000;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The UTC instant at which clocks in `timeZone` show `date` (YYYY-MM-DD) and `time` (HH:MM), as an ISO string.
 * Guess the instant with the offset found at the wall-clock reading, then correct it with the offset at the
 * guess, until it stops moving. Like Temporal's 'compatible' choice: a time that a DST switch skips
 * (02:30 when clocks jump to 03:00) moves forward by the gap; a time that occurs twice takes the earlier.
 * Returns undefined for malformed input or an unknown timezone.
 */
export function zonedTimeToUtc(date: string, time: string, timeZone: string): string | undefined {
  const d = DATE_RE.exec(date);
  const t = TIME_RE.exec(time);
  if (!d || !t || !isValidTimeZone(timeZone)) return undefined;
  const [year, month, day, hour, minute] = [d[1], d[2], d[3], t[1], t[2]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
  const wall = wallClockMs(year, month, day, hour, minute);
  if (new Date(wall).getUTCDate() !== day) return undefined; // 2025-02-30 and the like

  // Iterate: an instant is right when the zone's offset there maps it back onto the wall-clock reading.
  let guess = wall - zoneOffsetMs(wall, timeZone);
  for (let i = 0; i < 3; i++) {
    const next = wall - zoneOffsetMs(guess, timeZone);
    if (next === guess) break;
    guess = next;
  }
  // Ambiguity and gaps: try the offsets in force a day before and a day after.
  const before = zoneOffsetMs(wall - DAY_MS, timeZone);
  const after = zoneOffsetMs(wall + DAY_MS, timeZone);
  const exact = [...new Set([guess, wall - before, wall - after])].filter(
    (c) => c + zoneOffsetMs(c, timeZone) === wall,
  );
  // In a gap no instant fits: read the time with the offset before the switch, which lands after it.
  const instant = exact.length > 0 ? Math.min(...exact) : wall - before;
  return new Date(instant).toISOString();
}

/** The date (YYYY-MM-DD) and time (HH:MM) that clocks in `timeZone` show at `instant`. */
export function utcToZonedTime(instant: string | Date, timeZone: string): { date: string; time: string } {
  const ms = new Date(instant).getTime();
  const local = new Date(ms + zoneOffsetMs(ms, timeZone));
  const iso = local.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** The user's zone: the LMS's if the runtime knows it, else the browser's, else UTC. */
export function pickTimeZone(fromLms: string | undefined, fromBrowser: string | undefined): string {
  if (isValidTimeZone(fromLms)) return fromLms;
  if (isValidTimeZone(fromBrowser)) return fromBrowser;
  return 'UTC';
}

/**
 * A BCP 47 locale the runtime accepts, or undefined for the runtime's default. Some LMSs send POSIX-style
 * tags ('en_US'), which Intl rejects: read them with a hyphen.
 */
export function pickLocale(locale: string | undefined): string | undefined {
  if (!locale) return undefined;
  const tag = locale.replace(/_/g, '-');
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0 ? tag : undefined;
  } catch {
    return undefined;
  }
}

/** "Tuesday, 14 October 2025, 14:00–15:00 CEST" in the user's locale and zone. */
export function formatSchedule(
  startAt: string,
  durationMinutes: number,
  timeZone: string,
  locale: string | undefined,
): string {
  const start = new Date(startAt);
  const end = new Date(start.getTime() + durationMinutes * 60_000);
  const format = new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  return format.formatRange(start, end);
}
