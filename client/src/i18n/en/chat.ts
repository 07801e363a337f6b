/** In-room chat. */
export const chat = {
  'chat.heading': 'Chat',
  /** The accessible name of the message log. */
  'chat.log.label': 'Chat messages',
  'chat.empty': 'No messages yet.',
  /** After the sender's name on your own messages. */
  'chat.you': '(you)',
  'chat.composer.label': 'Message',
  'chat.composer.hint': 'Enter sends, Shift+Enter starts a new line.',
  'chat.composer.send': 'Send',
  'chat.composer.left.one': '{count} character left',
  'chat.composer.left.other': '{count} characters left',
  'chat.composer.over.one': 'Your message is {count} character too long.',
  'chat.composer.over.other': 'Your message is {count} characters too long.',
  'chat.error.failed': 'Your message could not be sent.',
  'chat.error.throttled.one': 'You are sending messages too fast. Try again in {count} second.',
  'chat.error.throttled.other': 'You are sending messages too fast. Try again in {count} seconds.',
  /** Instead of the composer, for a student. */
  'chat.off.student': 'Your teacher turned chat off.',
  /** Above the composer, for a teacher. */
  'chat.off.forStudents': 'Chat is off for students.',
  'chat.observer': 'Observers can read the chat but not write.',
  'chat.unavailable': 'You cannot send messages right now.',
};
