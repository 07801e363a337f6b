import assert from 'node:assert/strict';
import { CHAT_TOPIC } from '../../client/src/room/chat/chat-model.js';
import { DATA_SENDERS, mayAct, type DataSender } from '../../client/src/room/data-policy.js';
import { REACTION_TOPIC } from '../../client/src/room/reaction-model.js';
import { WAITING_TOPIC } from '../../src/rooms/room-service.js';
import { POLL_TOPIC } from '../../src/polls/poll-push.js';
import { POLL_TOPIC as CLIENT_POLL_TOPIC } from '../../client/src/room/polls/poll-model.js';
import { BREAKOUT_TOPIC } from '../../src/rooms/breakouts.js';
import { RECORDING_TOPIC } from '../../src/recordings/recording-jobs.js';
import { RECORDING_TOPIC as CLIENT_RECORDING_TOPIC } from '../../client/src/room/recording/recording-model.js';

const tool: DataSender = {};
const student: DataSender = { identity: 'u-student', role: 'participant' };
const teacher: DataSender = { identity: 'u-teacher', role: 'instructor' };
const observer: DataSender = { identity: 'u-observer', role: 'observer' };
const stranger: DataSender = { identity: 'u-not-known-yet' };

describe('client data policy: who may send each topic the launcher acts on', () => {
  const ROWS: Array<[string, string | undefined, DataSender, boolean]> = [
    ['the waiting queue from the tool', WAITING_TOPIC, tool, true],
    ['a waiting queue a student made up', WAITING_TOPIC, student, false],
    ['a waiting queue from another teacher (only the tool decides)', WAITING_TOPIC, teacher, false],
    ['a waiting message from a sender not known yet', WAITING_TOPIC, stranger, false],
    ['an empty stamped identity counts as the tool', WAITING_TOPIC, { identity: '' }, true],
    ['a poll push from the tool', POLL_TOPIC, tool, true],
    ['a poll push a student made up', POLL_TOPIC, student, false],
    ['a poll push from a teacher (only the server pushes polls)', POLL_TOPIC, teacher, false],
    ['a poll push from a sender not known yet', POLL_TOPIC, stranger, false],
    ['a recording change from the tool', RECORDING_TOPIC, tool, true],
    ['a recording change a student made up (a false "recording stopped")', RECORDING_TOPIC, student, false],
    ['a recording change from a teacher (only the server says)', RECORDING_TOPIC, teacher, false],
    ['chat from a student', CHAT_TOPIC, student, true],
    ['chat from a teacher', CHAT_TOPIC, teacher, true],
    ['chat from an observer', CHAT_TOPIC, observer, false],
    ['chat from nobody (the server)', CHAT_TOPIC, tool, false],
    ['chat from a sender whose role is not known yet', CHAT_TOPIC, stranger, false],
    ['an unknown topic', 'lk-chat-topic', teacher, false],
    ['an unknown topic from the tool', 'anything', tool, false],
    ['no topic', undefined, teacher, false],
    ['a topic named like an Object method', 'constructor', teacher, false],
  ];
  for (const [name, topic, sender, expected] of ROWS) {
    it(`${expected ? 'acts on' : 'ignores'} ${name}`, () => assert.equal(mayAct(topic, sender), expected));
  }

  it("lists exactly the topics the launcher handles, under the server's, the chat's and the reactions' names", () => {
    assert.deepEqual(
      Object.keys(DATA_SENDERS).sort(),
      [BREAKOUT_TOPIC, CHAT_TOPIC, POLL_TOPIC, REACTION_TOPIC, RECORDING_TOPIC, WAITING_TOPIC].sort(),
    );
    assert.equal(CLIENT_POLL_TOPIC, POLL_TOPIC);
    assert.equal(CLIENT_RECORDING_TOPIC, RECORDING_TOPIC);
  });
});
