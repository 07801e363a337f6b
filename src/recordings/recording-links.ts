import { hkdfSync } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

/**
 * Short-lived signed links to one recording's file, minted for one viewer after the role check (the
 * launcher API or the integrator API) and checked by the file route alone: a `<video>` element cannot send
 * the launcher's bearer token, and cookies do not survive in LMS frames. A link is an HS256 JWT in the
 * `token` query parameter, naming the recording, who it was minted for and why they may watch, so the file
 * route can refuse one that was meant for another recording or has lost its reason (a recording taken back).
 */

/** Why the viewer may watch: 'published' lapses the moment the recording is taken back. */
export type WatchBasis = 'teacher' | 'course' | 'published' | 'api';

export interface LinkGrant {
  recordingId: string;
  /** Who it was minted for: a participant identity, or `key:<apiKeyId>`. */
  viewer: string;
  basis: WatchBasis;
  /** Served as an attachment (a download) rather than inline (the player). */
  download: boolean;
  /** The name the file is saved under. */
  fileName: string;
}

export interface SignedLink {
  url: string;
  expiresAt: Date;
}

export type LinkCheck = { ok: true; grant: LinkGrant; expiresAt: Date } | { ok: false; reason: 'expired' | 'invalid' };

export interface RecordingLinks {
  mint(grant: LinkGrant): Promise<SignedLink>;
  verify(token: string): Promise<LinkCheck>;
}

/** The path a recording's file is served at (with `?token=`); the route is src/http/recording-file-router.ts. */
export const RECORDING_FILE_PATH = '/recordings';
const AUDIENCE = 'liveclass:recording';
const MAX_TOKEN = 4096;
const BASES: readonly WatchBasis[] = ['teacher', 'course', 'published', 'api'];

/** The signing key: the configured secret, or one derived from the LTI encryption key for this use alone. */
export function linkKeyOf(linkSecret: string | undefined, fallbackSecret: string): Uint8Array {
  if (linkSecret) return new TextEncoder().encode(linkSecret);
  return new Uint8Array(hkdfSync('sha256', fallbackSecret, 'liveclass', 'recording-links', 32));
}

export function createRecordingLinks(options: {
  key: Uint8Array;
  ttlSeconds: number;
  /** The tool's public URL, without a trailing slash. */
  publicUrl: string;
  now?: () => Date;
}): RecordingLinks {
  const now = options.now ?? (() => new Date());
  return {
    async mint(grant) {
      const issuedAt = Math.floor(now().getTime() / 1000);
      const expiresAt = issuedAt + options.ttlSeconds;
      const token = await new SignJWT({
        v: grant.viewer,
        b: grant.basis,
        d: grant.download ? 1 : 0,
        n: grant.fileName,
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(grant.recordingId)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(options.key);
      const path = `${RECORDING_FILE_PATH}/${encodeURIComponent(grant.recordingId)}`;
      return { url: `${options.publicUrl}${path}?token=${token}`, expiresAt: new Date(expiresAt * 1000) };
    },
    async verify(token) {
      if (token.length > MAX_TOKEN) return { ok: false, reason: 'invalid' };
      try {
        const { payload } = await jwtVerify(token, options.key, {
          algorithms: ['HS256'],
          audience: AUDIENCE,
          currentDate: now(),
          requiredClaims: ['sub', 'exp', 'iat'],
        });
        const { sub, v, b, d, n, exp } = payload;
        const basis = BASES.find((x) => x === b);
        if (typeof sub !== 'string' || typeof v !== 'string' || typeof n !== 'string' || !basis || exp === undefined)
          return { ok: false, reason: 'invalid' };
        const grant = { recordingId: sub, viewer: v, basis, download: d === 1, fileName: n };
        return { ok: true, grant, expiresAt: new Date(exp * 1000) };
      } catch (err) {
        return { ok: false, reason: err instanceof errors.JWTExpired ? 'expired' : 'invalid' };
      }
    },
  };
}
