import assert from 'node:assert/strict';
import { roleOfLaunch } from '../../src/integrations/lessonspace.js';
import { spaceLaunchInput, spaceLaunchSchema } from '../../src/integrations/space-wire.js';
import { webhookUrlFor } from '../../src/integrations/webhook-outbox.js';

describe('Lessonspace words', () => {
  it('maps a launch user to a role: leader decides, a role word alone maps by meaning', () => {
    const cases: Array<[{ role?: string; leader?: boolean }, string]> = [
      [{ leader: true }, 'instructor'],
      [{ role: 'student', leader: true }, 'instructor'],
      [{ role: 'teacher', leader: false }, 'participant'],
      [{ role: 'Teacher' }, 'instructor'],
      [{ role: ' tutor ' }, 'instructor'],
      [{ role: 'instructor' }, 'instructor'],
      [{ role: 'observer' }, 'observer'],
      [{ role: 'viewer', leader: false }, 'observer'],
      [{ role: 'student' }, 'participant'],
      [{ role: 'administrator' }, 'participant'],
      [{}, 'participant'],
    ];
    for (const [user, role] of cases) assert.equal(roleOfLaunch(user), role, JSON.stringify(user));
  });

  it("folds Lessonspace's launch body into ours: displayName, name as title, hooks per event", () => {
    const body = spaceLaunchSchema(true).parse({
      id: 'biology101-2023',
      name: 'Biology',
      user: {
        id: 'Teacher_1',
        name: 'Peter Parker',
        role: 'teacher',
        leader: true,
        custom_jwt_parameters: { meta: { displayName: 'Spiderman' } },
      },
      webhooks: {
        session: { start: 'https://a.example/start', end: null, idle: '' },
        user: { join: 'https://a.example/join' },
        chat: { message: 'https://a.example/chat' },
      },
      record_av: true,
    });
    assert.deepEqual(spaceLaunchInput(body), {
      id: 'biology101-2023',
      user: { id: 'Teacher_1', name: 'Spiderman', role: 'instructor' },
      settings: { title: 'Biology' },
      passcode: undefined,
      webhooks: {
        hooks: [
          { event: 'session.start', url: 'https://a.example/start' },
          { event: 'user.join', url: 'https://a.example/join' },
        ],
      },
    });
    const idOnly = spaceLaunchInput(spaceLaunchSchema(true).parse({ id: 'x' }));
    assert.deepEqual(idOnly, {
      id: 'x',
      user: undefined,
      settings: undefined,
      passcode: undefined,
      webhooks: undefined,
    });
  });

  it('sends each name to its own URL: ours to url (with the events filter), Lessonspace names to theirs', () => {
    const hooks = {
      url: 'https://a.example/ours',
      events: ['session.started'],
      hooks: [{ event: 'user.join' as const, url: 'https://a.example/j' }],
    };
    assert.equal(webhookUrlFor(hooks, 'session.started'), 'https://a.example/ours');
    assert.equal(webhookUrlFor(hooks, 'participant.joined'), undefined);
    assert.equal(webhookUrlFor(hooks, 'user.join'), 'https://a.example/j');
    assert.equal(webhookUrlFor(hooks, 'user.leave'), undefined);
    assert.equal(webhookUrlFor({ hooks: [] }, 'session.started'), undefined);
    assert.equal(webhookUrlFor(undefined, 'session.start'), undefined);
  });
});
