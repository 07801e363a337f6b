/**
 * Who may send each data topic the launcher acts on. Imports nothing, so Node unit tests load it as is
 * (and check that the topics are the server's WAITING_TOPIC and POLL_TOPIC and the chat's CHAT_TOPIC).
 */

/** Role spelled out (see chat-model's ChatRole). */
export type SenderRole = 'instructor' | 'participant' | 'observer';

/**
 * Who sent a data message, as the SFU stamped it: `identity` is the sending participant's (the SFU writes
 * it, a client cannot choose it), absent when the tool sent the message through the server API. `role`
 * is the sender's role as the room knows it, absent while the participant is not (yet) known here.
 */
export interface DataSender {
  identity?: string | undefined;
  role?: SenderRole | undefined;
}

/**
 * 'tool': only the server API may send the topic (the waiting queue and the admission answer are the
 * tool's decisions, never a participant's). A list: participants of those roles. A topic not listed is
 * ignored, so a new topic has to be given its senders here before anyone acts on it.
 */
export const DATA_SENDERS: Readonly<Record<string, 'tool' | readonly SenderRole[]>> = {
  'waiting-room': 'tool',
  // "A poll changed": only the server says so (a student's fake push would only cause a re-fetch, still).
  poll: 'tool',
  breakout: 'tool',
  // "The recording changed": the server's word only (the room then asks GET /api/room/recording).
  recording: 'tool',
  chat: ['instructor', 'participant'],
  reaction: ['instructor', 'participant'],
};

/** Whether the launcher may act on a message of `topic` from `sender`. */
export function mayAct(topic: string | undefined, sender: DataSender): boolean {
  // Own keys only: a topic such as "constructor" must not find something on Object.prototype.
  const allowed = topic !== undefined && Object.hasOwn(DATA_SENDERS, topic) ? DATA_SENDERS[topic] : undefined;
  if (!allowed) return false;
  if (allowed === 'tool') return !sender.identity;
  return Boolean(sender.identity && sender.role && allowed.includes(sender.role));
}
