import { z } from 'zod';
import { AppError } from '../errors.js';
import { DEAF_ATTRIBUTE, META_PREFIX, ROLE_ATTRIBUTE, type Role } from './grants.js';
import type { RoomLayout } from './room-facts.js';
import type { ParticipantControl } from './room-store.js';

/**
 * Bounds of the room's and a member's metadata: the room's travels in the SFU's room metadata (with the
 * tool's own fields) and a member's in their attributes, both of which LiveKit caps (64 kB by default).
 */
export const METADATA_MAX_KEYS = 32;
export const METADATA_MAX_VALUE = 1024;
export const METADATA_MAX_BYTES = 16 * 1024;

export const metadataKey = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'only letters, digits, dot, underscore and dash');
const metadataValue = z.string().max(METADATA_MAX_VALUE);

/** PUT: the whole set of keys. */
export const metadataPutSchema = z.record(metadataKey, metadataValue);
/** PATCH: keys to set, null deleting one. */
export const metadataPatchSchema = z.record(metadataKey, metadataValue.nullable());

export type MetadataPatch = Record<string, string | null>;

/** The patch that turns `current` into `next` (PUT): keys not in `next` are deleted. */
export function replacement(current: Record<string, string>, next: Record<string, string>): MetadataPatch {
  const patch: MetadataPatch = { ...next };
  for (const key of Object.keys(current)) if (!(key in next)) patch[key] = null;
  return patch;
}

/** The keys after the patch, refused with ROOM_METADATA_TOO_LARGE beyond the bounds. */
export function applied(current: Record<string, string>, patch: MetadataPatch): Record<string, string> {
  const next: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  const bytes = Buffer.byteLength(JSON.stringify(next));
  if (Object.keys(next).length > METADATA_MAX_KEYS || bytes > METADATA_MAX_BYTES) {
    throw new AppError('ROOM_METADATA_TOO_LARGE', {
      details: { maxKeys: METADATA_MAX_KEYS, maxBytes: METADATA_MAX_BYTES, keys: Object.keys(next).length, bytes },
    });
  }
  return next;
}

/** A leader's layout change: any of the settings, the rest kept. */
export const layoutPatchSchema = z
  .object({
    mode: z.enum(['auto', 'grid', 'speaker', 'presentation']),
    hideCameraOff: z.boolean(),
    raisedHandsFirst: z.boolean(),
    locked: z.boolean(),
  })
  .partial()
  .strict()
  .refine((o) => Object.keys(o).length > 0, 'give at least one of mode, hideCameraOff, raisedHandsFirst, locked');
export type LayoutPatch = Partial<RoomLayout>;

/**
 * The attributes the tool keeps on a participant (in the join token, then with every change): the role,
 * `deaf` while deafened, and the member's metadata keys as `meta.<key>`. Attributes merge key by key on
 * the SFU, so `previous` (what was there) gets an empty value (a delete) for every key no longer held.
 */
export function attributesFor(
  role: Role,
  control: ParticipantControl | undefined,
  previous: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const key of Object.keys(previous)) if (key.startsWith(META_PREFIX)) attributes[key] = '';
  for (const [key, value] of Object.entries(control?.metadata ?? {})) attributes[`${META_PREFIX}${key}`] = value;
  attributes[ROLE_ATTRIBUTE] = role;
  if (control?.deaf) attributes[DEAF_ATTRIBUTE] = 'true';
  else if (previous[DEAF_ATTRIBUTE]) attributes[DEAF_ATTRIBUTE] = '';
  return attributes;
}

/** A member's metadata as the SFU holds it (their `meta.` attributes). */
export function metadataOfAttributes(attributes: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(attributes)
      .filter(([k, v]) => k.startsWith(META_PREFIX) && v !== '')
      .map(([k, v]) => [k.slice(META_PREFIX.length), v]),
  );
}
