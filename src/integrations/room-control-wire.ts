import { z } from 'zod';
import { BULK_MAX, type RoomMember } from '../rooms/room-actions.js';
import type { RoomLayout } from '../rooms/room-facts.js';

/**
 * The room-session controls of the integrator API (docs/integrator-api.md#room-session-controls): what
 * they accept and answer, in the API's snake_case.
 */

/** A LiveKit identity as launches answer it (`user_id`). */
export const memberIdSchema = z.string().regex(/^[a-z]-[0-9a-f]{8,64}$/, 'not a user_id this API gave');

/** Room actions that act on many: everyone but leaders, or the `participants` named, never the `exclude`d. */
export const bulkBodySchema = z
  .object({
    participants: z.array(memberIdSchema).min(1).max(BULK_MAX).optional(),
    exclude: z.array(memberIdSchema).max(BULK_MAX).optional(),
  })
  .strict();

export interface MemberJson {
  user_id: string;
  name: string;
  role: string;
  joined_at: string;
  hand_raised: boolean;
  hand_raised_at: string | null;
  audio_muted: boolean;
  video_muted: boolean;
  deaf: boolean;
  metadata: Record<string, string>;
}

export function memberJson(m: RoomMember): MemberJson {
  return {
    user_id: m.identity,
    name: m.name,
    role: m.role,
    joined_at: m.joinedAt.toISOString(),
    hand_raised: m.handRaisedAt !== undefined,
    hand_raised_at: m.handRaisedAt ?? null,
    audio_muted: m.mutedSources.includes('microphone'),
    video_muted: m.mutedSources.includes('camera'),
    deaf: m.deaf,
    metadata: m.metadata,
  };
}

export interface LayoutJson {
  mode: RoomLayout['mode'];
  hide_camera_off: boolean;
  raised_hands_first: boolean;
  locked: boolean;
}

export const layoutJson = (l: RoomLayout): LayoutJson => ({
  mode: l.mode,
  hide_camera_off: l.hideCameraOff,
  raised_hands_first: l.raisedHandsFirst,
  locked: l.locked,
});

/** PUT /rooms/{roomId}/layout: any of the settings, the rest kept. */
export const layoutBodySchema = z
  .object({
    mode: z.enum(['auto', 'grid', 'speaker', 'presentation']),
    hide_camera_off: z.boolean(),
    raised_hands_first: z.boolean(),
    locked: z.boolean(),
  })
  .partial()
  .strict()
  .refine((o) => Object.keys(o).length > 0, 'give at least one of mode, hide_camera_off, raised_hands_first, locked');

export const layoutPatchOf = (b: z.infer<typeof layoutBodySchema>): Partial<RoomLayout> => ({
  ...(b.mode !== undefined ? { mode: b.mode } : {}),
  ...(b.hide_camera_off !== undefined ? { hideCameraOff: b.hide_camera_off } : {}),
  ...(b.raised_hands_first !== undefined ? { raisedHandsFirst: b.raised_hands_first } : {}),
  ...(b.locked !== undefined ? { locked: b.locked } : {}),
});
