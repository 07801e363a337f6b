import { z } from 'zod';

/**
 * The launcher's look per school: an accent colour and a logo. A tool-wide default lives in config
 * (`branding`), a platform may override it (admin API); the launcher gets the merge from GET /api/me.
 * The same rules hold in both places, so they are defined once here.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const isLoopback = (hostname: string): boolean =>
  LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname.endsWith('.localhost');

/** https only: the launcher runs inside an https LMS page, where an http image is mixed content. */
export const logoUrlSchema = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine((value) => {
    try {
      const url = new URL(value);
      if (url.username || url.password) return false;
      return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
    } catch {
      return false;
    }
  }, 'must be an https URL without credentials (http only for localhost)');

export const brandingSchema = z
  .object({
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour')
      .transform((value) => value.toLowerCase())
      .optional(),
    logoUrl: logoUrlSchema.optional(),
  })
  .strict();

export type Branding = z.infer<typeof brandingSchema>;

/** Field by field, the platform's choice wins over the tool default; empty fields are left out. */
export function mergeBranding(toolDefault: Branding, platform: Branding | undefined): Branding | undefined {
  const color = platform?.color ?? toolDefault.color;
  const logoUrl = platform?.logoUrl ?? toolDefault.logoUrl;
  if (!color && !logoUrl) return undefined;
  return { ...(color ? { color } : {}), ...(logoUrl ? { logoUrl } : {}) };
}

/** The origin a logo is loaded from, for the Content-Security-Policy img-src list. */
export function logoOrigin(branding: Branding | undefined): string | undefined {
  if (!branding?.logoUrl) return undefined;
  try {
    return new URL(branding.logoUrl).origin;
  } catch {
    return undefined;
  }
}
