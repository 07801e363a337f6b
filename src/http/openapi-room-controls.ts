import { z } from 'zod';
import {
  bulkBodySchema,
  layoutBodySchema,
  memberIdSchema,
  type LayoutJson,
  type MemberJson,
} from '../integrations/room-control-wire.js';
import { BULK_ACTIONS, PARTICIPANT_ACTIONS, ROOM_ACTIONS } from '../rooms/room-actions.js';
import { metadataPatchSchema, metadataPutSchema } from '../rooms/room-data.js';
import type { Operation } from './openapi.js';

/** The room-session controls' part of the OpenAPI document (integrator-room-routes.ts). */

const memberResponse = z.object({
  user_id: z.string(),
  name: z.string(),
  role: z.string(),
  joined_at: z.iso.datetime(),
  hand_raised: z.boolean(),
  hand_raised_at: z.string().nullable(),
  audio_muted: z.boolean(),
  video_muted: z.boolean(),
  deaf: z.boolean().describe('The member hears and sees nobody (the SFU refuses their subscriptions)'),
  metadata: z.record(z.string(), z.string()),
});
const membersResponse = z.object({ room_id: z.string(), members: z.array(memberResponse) });
const layoutResponse = z.object({
  mode: z.enum(['auto', 'grid', 'speaker', 'presentation']),
  hide_camera_off: z.boolean(),
  raised_hands_first: z.boolean(),
  locked: z.boolean(),
});
const metadataResponse = z.object({ metadata: z.record(z.string(), z.string()) });
const affectedResponse = z.object({ affected: z.array(z.string()).describe('The user_ids acted on') });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(_: T) => undefined;
same<Same<z.infer<typeof memberResponse>, MemberJson>>(true);
same<Same<z.infer<typeof layoutResponse>, LayoutJson>>(true);

const TAG = 'Room-session controls' as const;
const room = z.object({ roomId: z.string().describe('The room_id a launch or create answered') });
const member = room.extend({ userId: memberIdSchema.describe('The user_id a launch answered') });
const done = { 204: { description: 'Done' } };

const PARTICIPANT_SUMMARY: Record<(typeof PARTICIPANT_ACTIONS)[number], string> = {
  'mute-audio': "Take the member's microphone away (sticky until allowed)",
  'mute-video': "Take the member's camera away (sticky until allowed)",
  'allow-audio': 'Allow the microphone again',
  'allow-video': 'Allow the camera again',
  deaf: 'The member stops hearing and seeing the room (the SFU refuses their subscriptions)',
  undeaf: 'The member hears and sees the room again',
  remove: 'Disconnect the member for the rest of the class session',
  promote: 'Webinar mode: make the member a speaker',
  demote: 'Webinar mode: back to the audience',
  'raise-hand': "Raise the member's hand",
  'lower-hand': "Lower the member's hand",
};

const metadataOps = (path: string, params: z.ZodObject, whose: string): Operation[] => [
  {
    method: 'get',
    path,
    tag: TAG,
    summary: `${whose} metadata`,
    params,
    responses: { 200: { description: 'The keys', schema: metadataResponse } },
  },
  {
    method: 'put',
    path,
    tag: TAG,
    summary: `Replace ${whose.toLowerCase()} metadata`,
    params,
    body: metadataPutSchema,
    responses: { 200: { description: 'The keys now', schema: metadataResponse } },
  },
  {
    method: 'patch',
    path,
    tag: TAG,
    summary: `Set keys of ${whose.toLowerCase()} metadata (null deletes one)`,
    params,
    body: metadataPatchSchema,
    responses: { 200: { description: 'The keys now', schema: metadataResponse } },
  },
  {
    method: 'delete',
    path,
    tag: TAG,
    summary: `Delete every key of ${whose.toLowerCase()} metadata`,
    params,
    responses: done,
  },
];

export function roomControlOperations(): Operation[] {
  const base = '/api/v1/rooms/{roomId}';
  return [
    {
      method: 'get',
      path: `${base}/members`,
      tag: TAG,
      summary: 'Who is in the room now, with role, hand, mutes and deafness',
      params: room,
      responses: { 200: { description: 'The members', schema: membersResponse } },
    },
    ...PARTICIPANT_ACTIONS.map((action): Operation => ({
      method: 'post',
      path: `${base}/members/{userId}/${action}`,
      tag: TAG,
      summary: PARTICIPANT_SUMMARY[action],
      params: member,
      responses: done,
    })),
    ...metadataOps(`${base}/members/{userId}/metadata`, member, "A member's"),
    ...ROOM_ACTIONS.map((action): Operation => ({
      method: 'post',
      path: `${base}/${action}`,
      tag: TAG,
      summary: `The room: ${action}`,
      params: room,
      responses: done,
    })),
    ...BULK_ACTIONS.map((action): Operation => ({
      method: 'post',
      path: `${base}/${action}`,
      tag: TAG,
      summary: `${action} (everyone but leaders, or the participants named, less the excluded)`,
      params: room,
      body: bulkBodySchema,
      responses: { 200: { description: 'Whom it acted on', schema: affectedResponse } },
    })),
    {
      method: 'get',
      path: `${base}/layout`,
      tag: TAG,
      summary: 'The layout every page follows',
      params: room,
      responses: { 200: { description: 'The layout', schema: layoutResponse } },
    },
    {
      method: 'put',
      path: `${base}/layout`,
      tag: TAG,
      summary: 'Set the layout for everyone (the settings given; the rest kept)',
      params: room,
      body: layoutBodySchema,
      responses: { 200: { description: 'The layout now', schema: layoutResponse } },
    },
    ...metadataOps(`${base}/metadata`, room, "The room's"),
  ];
}
