import assert from 'node:assert/strict';
import {
  MAX_MESSAGES,
  MAX_TEXT,
  chatReducer,
  checkThrottle,
  cleanText,
  composerMode,
  initialChatState,
  newMessageId,
  outgoingMessage,
  parseChatMessage,
  type ChatEntry,
  type ChatState,
} from '../../client/src/room/chat/chat-model.js';

const SENT_AT = '2026-01-15T10:02:03.456Z';
const valid = { type: 'chat', id: 'abc123', text: 'Hello', sentAt: SENT_AT };

function entry(id: string, from = 'ana', mine = false): ChatEntry {
  return { id, from, name: from, role: 'participant', mine, text: `message ${id}`, at: 0 };
}

const add = (state: ChatState, e: ChatEntry) => chatReducer(state, { type: 'add', entry: e });

describe('client chat model', () => {
  describe('parseChatMessage', () => {
    it('accepts a well-formed message', () => {
      assert.deepEqual(parseChatMessage(valid), valid);
    });

    const rejected: Array<[string, unknown]> = [
      ['not an object', 'hello'],
      ['null', null],
      ['an array', [valid]],
      ['another type', { ...valid, type: 'queue' }],
      ['no type', { id: 'a', text: 'x', sentAt: SENT_AT }],
      ['a numeric id', { ...valid, id: 42 }],
      ['an empty id', { ...valid, id: '' }],
      ['an id with markup', { ...valid, id: '<b>' }],
      ['an overlong id', { ...valid, id: 'a'.repeat(65) }],
      ['text that is not a string', { ...valid, text: ['hi'] }],
      ['empty text', { ...valid, text: '' }],
      ['blank text', { ...valid, text: ' \n\t ' }],
      ['text one over the limit', { ...valid, text: 'x'.repeat(MAX_TEXT + 1) }],
      ['emoji over the limit', { ...valid, text: '😀'.repeat(MAX_TEXT + 1) }],
      ['a control character', { ...valid, text: 'bell\u0007' }],
      ['a NUL', { ...valid, text: 'a\u0000b' }],
      ['no sentAt', { type: 'chat', id: 'a', text: 'x' }],
      ['a numeric sentAt', { ...valid, sentAt: Date.now() }],
      ['a sentAt that is not ISO', { ...valid, sentAt: 'yesterday' }],
      ['an impossible sentAt', { ...valid, sentAt: '2026-13-45T10:00:00Z' }],
    ];
    for (const [name, message] of rejected) {
      it(`ignores ${name}`, () => assert.equal(parseChatMessage(message), undefined));
    }

    it('trims the text and keeps its line breaks', () => {
      assert.equal(parseChatMessage({ ...valid, text: '  one\r\ntwo\n\nthree  ' })?.text, 'one\ntwo\n\nthree');
    });

    it('accepts exactly the limit, counting an emoji as one character', () => {
      assert.ok(parseChatMessage({ ...valid, text: 'x'.repeat(MAX_TEXT) }));
      assert.ok(parseChatMessage({ ...valid, text: '😀'.repeat(MAX_TEXT) }));
      assert.ok(parseChatMessage({ ...valid, text: `  ${'x'.repeat(MAX_TEXT)}  ` }));
    });

    it('drops fields the payload must not decide, such as a name or identity', () => {
      const parsed = parseChatMessage({ ...valid, name: 'The Teacher', identity: 'teacher-1', html: '<b>x</b>' });
      assert.deepEqual(parsed, valid);
    });

    it('keeps markup as text (rendering escapes it)', () => {
      assert.equal(
        parseChatMessage({ ...valid, text: '<img src=x onerror=alert(1)>' })?.text,
        '<img src=x onerror=alert(1)>',
      );
    });
  });

  describe('outgoing messages', () => {
    it('cleanText normalises line breaks, drops control characters and trims', () => {
      assert.equal(cleanText('  hi\r\nthere\u0000 \t'), 'hi\nthere');
      assert.equal(cleanText(' \n '), '');
    });

    it('outgoingMessage round-trips through parseChatMessage', () => {
      const message = outgoingMessage('hello', new Date(SENT_AT));
      assert.equal(message.sentAt, SENT_AT);
      assert.deepEqual(parseChatMessage(JSON.parse(JSON.stringify(message))), message);
    });

    it('ids are random 32-character hex', () => {
      const ids = new Set(Array.from({ length: 100 }, newMessageId));
      assert.equal(ids.size, 100);
      for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
    });
  });

  describe('chatReducer', () => {
    it('appends in arrival order', () => {
      const state = add(add(initialChatState, entry('1')), entry('2'));
      assert.deepEqual(
        state.messages.map((m) => m.id),
        ['1', '2'],
      );
    });

    it('dedupes by id and sender, not by id alone', () => {
      let state = add(initialChatState, entry('1', 'ana'));
      const again = add(state, { ...entry('1', 'ana'), text: 'changed' });
      assert.equal(again, state);
      state = add(state, entry('1', 'ben'));
      assert.equal(state.messages.length, 2);
      assert.equal(state.unread, 2);
    });

    it(`keeps only the last ${MAX_MESSAGES} messages`, () => {
      let state = initialChatState;
      for (let i = 0; i < MAX_MESSAGES + 20; i++) state = add(state, entry(String(i)));
      assert.equal(state.messages.length, MAX_MESSAGES);
      assert.equal(state.messages[0]?.id, '20');
      assert.equal(state.messages.at(-1)?.id, String(MAX_MESSAGES + 19));
      assert.equal(state.unread, MAX_MESSAGES, 'never more unread than there are messages');
    });

    it('counts messages from others as unread while hidden, never your own', () => {
      let state = add(initialChatState, entry('1'));
      state = add(state, entry('2', 'me', true));
      state = add(state, entry('3'));
      assert.equal(state.unread, 2);
    });

    it('becoming visible marks everything read, and nothing is unread while visible', () => {
      let state = add(add(initialChatState, entry('1')), entry('2'));
      state = chatReducer(state, { type: 'visible', visible: true });
      assert.equal(state.unread, 0);
      state = add(state, entry('3'));
      assert.equal(state.unread, 0);
      state = chatReducer(state, { type: 'visible', visible: false });
      state = add(state, entry('4'));
      assert.equal(state.unread, 1);
    });

    it('markRead clears the count and leaves the messages', () => {
      const state = chatReducer(add(initialChatState, entry('1')), { type: 'markRead' });
      assert.equal(state.unread, 0);
      assert.equal(state.messages.length, 1);
    });

    it('returns the same state when nothing changes (no re-render)', () => {
      const state = add(initialChatState, entry('1'));
      const read = chatReducer(state, { type: 'markRead' });
      assert.equal(chatReducer(read, { type: 'markRead' }), read);
      assert.equal(chatReducer(initialChatState, { type: 'visible', visible: false }), initialChatState);
    });
  });

  describe('checkThrottle', () => {
    it('allows five sends in five seconds, then says how long to wait', () => {
      let sent: number[] = [];
      for (let i = 0; i < 5; i++) {
        const result = checkThrottle(sent, 1000 + i * 100);
        assert.ok(result.allowed, `send ${i + 1}`);
        sent = result.recent;
      }
      const refused = checkThrottle(sent, 1500);
      assert.deepEqual(refused, { allowed: false, retryInMs: 4500 });
    });

    it('slides: the oldest send leaving the window frees a slot', () => {
      const sent = [1000, 1100, 1200, 1300, 1400];
      assert.equal(checkThrottle(sent, 5999).allowed, false);
      const later = checkThrottle(sent, 6000);
      assert.ok(later.allowed);
      assert.deepEqual(later.recent, [1100, 1200, 1300, 1400, 6000]);
    });

    it('takes a custom limit and window', () => {
      assert.equal(checkThrottle([0], 10, 1, 100).allowed, false);
      assert.equal(checkThrottle([0], 100, 1, 100).allowed, true);
    });
  });

  describe('composerMode', () => {
    const cases: Array<[string, Parameters<typeof composerMode>[0], string]> = [
      ['student, chat on', { canSend: true, chatEnabled: true, isLeader: false, role: 'participant' }, 'open'],
      ['student, permission gone', { canSend: false, chatEnabled: true, isLeader: false, role: 'participant' }, 'off'],
      ['student, switch off first', { canSend: true, chatEnabled: false, isLeader: false, role: 'participant' }, 'off'],
      ['observer', { canSend: false, chatEnabled: true, isLeader: false, role: 'observer' }, 'observer'],
      ['teacher, chat on', { canSend: true, chatEnabled: true, isLeader: true, role: 'instructor' }, 'open'],
      [
        'teacher, chat off for students',
        { canSend: true, chatEnabled: false, isLeader: true, role: 'instructor' },
        'open-students-off',
      ],
      [
        'teacher without data',
        { canSend: false, chatEnabled: true, isLeader: true, role: 'instructor' },
        'unavailable',
      ],
    ];
    for (const [name, options, expected] of cases) {
      it(`${name} -> ${expected}`, () => assert.equal(composerMode(options), expected));
    }
  });
});
