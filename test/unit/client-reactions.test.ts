import assert from 'node:assert/strict';
import { DATA_SENDERS, mayAct } from '../../client/src/room/data-policy.js';
import {
  addReaction,
  parseReaction,
  REACTION_MS,
  REACTION_TOPIC,
  type Reaction,
} from '../../client/src/room/reaction-model.js';

describe('reactions (client)', () => {
  it('takes only the offered reactions, nothing else a message may carry', () => {
    assert.equal(parseReaction({ type: 'reaction', key: 'clap' }), 'clap');
    assert.equal(parseReaction({ type: 'reaction', key: '<img onerror=x>' }), undefined);
    assert.equal(parseReaction({ type: 'reaction', key: 'constructor' }), undefined);
    assert.equal(parseReaction({ type: 'chat', key: 'clap' }), undefined);
    assert.equal(parseReaction(null), undefined);
    assert.equal(parseReaction('clap'), undefined);
  });

  it('shows one reaction per sender, at most one a second, and lets old ones go', () => {
    const none = new Map<string, Reaction>();
    const first = addReaction(none, 'u-1', 'clap', 10_000);
    assert.deepEqual([...(first ?? [])], [['u-1', { key: 'clap', at: 10_000 }]]);
    assert.equal(addReaction(first!, 'u-1', 'heart', 10_500), undefined, 'too soon');
    const later = addReaction(first!, 'u-1', 'heart', 11_200);
    assert.equal(later?.get('u-1')?.key, 'heart');
    const other = addReaction(later!, 'u-2', 'laugh', 11_200 + REACTION_MS);
    assert.deepEqual([...(other ?? []).keys()], ['u-2'], "u-1's reaction is over");
  });

  it('is sent by teachers and students, as the SFU stamps them, never by observers or the tool', () => {
    assert.ok(Object.hasOwn(DATA_SENDERS, REACTION_TOPIC));
    assert.equal(mayAct(REACTION_TOPIC, { identity: 'u-1', role: 'participant' }), true);
    assert.equal(mayAct(REACTION_TOPIC, { identity: 'u-1', role: 'observer' }), false);
    assert.equal(mayAct(REACTION_TOPIC, {}), false);
  });
});
