import { z } from 'zod';
import { maskStreamUrl } from './stream-url.js';

/**
 * Where a live stream goes: an RTMP or RTMPS server address and its stream key, as streaming services give
 * them ("Server URL" and "Stream key"). The key is a secret: whoever has it can broadcast on that channel.
 * It goes to Egress only; the tool stores, logs, audits and shows back the masked form (maskedTarget).
 */
export const STREAM_URL_MAX = 1024;
export const STREAM_KEY_MAX = 512;

const parsedUrl = (value: string): URL | undefined => {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
};

/** No whitespace or control characters, which no streaming service uses in a key or address. */
const PRINTABLE = /^[\x21-\x7e]+$/;

/** An RTMP(S) address as the teacher or an activity's settings give it. Messages never quote the value: it may hold the key. */
export const streamAddressSchema = z
  .string()
  .trim()
  .min(1, 'Enter the stream address (it starts with rtmp:// or rtmps://).')
  .max(STREAM_URL_MAX)
  .regex(PRINTABLE, 'The stream address cannot contain spaces.')
  .refine((value) => /^rtmps?:\/\//i.test(value) && Boolean(parsedUrl(value)?.hostname), {
    message: 'The stream address must start with rtmp:// or rtmps:// and name a server.',
  })
  .refine((value) => !parsedUrl(value)?.username && !parsedUrl(value)?.password, {
    message: 'Put the stream key in its own field, not a user name or password in the address.',
  });

export const streamTargetSchema = z
  .object({
    url: streamAddressSchema,
    /** Optional: some services give one address with the key at its end. */
    key: z
      .string()
      .trim()
      .max(STREAM_KEY_MAX)
      .regex(/^[\x21-\x7e]*$/, 'The stream key cannot contain spaces.')
      .optional(),
  })
  .strict();

export type StreamTargetInput = z.input<typeof streamTargetSchema>;

export interface StreamTarget {
  /** The address Egress streams to, key included: never log or store it. */
  secretUrl: string;
  /** The same with the key hidden: what is stored, audited, logged and shown. */
  masked: string;
}

/**
 * The full address (the key appended as the address's last path segment, as RTMP servers expect) and its
 * masked form (maskStreamUrl: the key cut to its last 4 characters). Without a separate key the address's
 * last path segment is the key.
 */
export function streamTargetOf(input: StreamTargetInput): StreamTarget {
  const { url, key } = streamTargetSchema.parse(input);
  const secretUrl = key ? `${url.replace(/\/+$/, '')}/${key}` : url;
  return { secretUrl, masked: maskStreamUrl(secretUrl) };
}
