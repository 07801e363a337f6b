import { z } from 'zod';

/** `new URL(value)` without the throw: undefined for anything that is not an absolute URL. */
export function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** WHATWG parsing silently drops tabs and newlines and trims spaces: a stored value must be the URL it parses to. */
const hasSpaceOrControl = (value: string): boolean =>
  [...value].some((ch) => ch.charCodeAt(0) <= 0x20 || ch.charCodeAt(0) === 0x7f);

/** `must be an http or https URL` from `['http:', 'https:']`. */
const protocolMessage = (protocols: readonly string[]): string =>
  `must be an ${protocols.map((p) => p.replace(/:$/, '')).join(' or ')} URL`;

/**
 * An absolute URL with one of `protocols` (`'https:'`, with the colon), at most `max` characters, checked in
 * one refinement that never throws. Zod runs every refinement even after `.url()` failed, so a refinement
 * that calls `new URL` throws on a non-URL and the request answers 500 instead of naming the field.
 */
export function urlSchema(
  protocols: readonly string[],
  options: { max?: number; message?: string; accept?: (url: URL) => boolean } = {},
) {
  const max = options.max ?? 2048;
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine(
      (value) => {
        if (value.length > max || hasSpaceOrControl(value)) return false;
        const url = parseUrl(value);
        return url !== undefined && protocols.includes(url.protocol) && (options.accept?.(url) ?? true);
      },
      options.message ?? protocolMessage(protocols),
    );
}
