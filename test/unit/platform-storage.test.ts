import assert from 'node:assert/strict';
import vm from 'node:vm';
import { storageFrameScript } from '../../src/dev/demo-storage.js';
import { isAppError } from '../../src/errors.js';
import { storageLaunchRequest } from '../../src/http/lti-storage-launch.js';
import { STORAGE_SCRIPT } from '../../src/http/lti-storage-script.js';
import { storageBindingError, storageKeys, storageOffer } from '../../src/lti/platform-storage.js';

const PLATFORM = 'https://lms.example.edu';
const TOOL = 'https://tool.example.org';
const flush = () => new Promise((resolve) => setImmediate(resolve));

interface Posted {
  to: string;
  message: Record<string, unknown>;
  targetOrigin: string;
}

/** /lti/storage.js in a fake tool frame: a parent with named frames, a form, timers run by hand. */
function toolPage(config: Record<string, unknown>) {
  const posted: Posted[] = [];
  const listeners = new Set<(event: unknown) => void>();
  const timers = new Map<number, () => void>();
  const frame = (to: string) => ({
    postMessage: (message: Record<string, unknown>, targetOrigin: string) => posted.push({ to, message, targetOrigin }),
  });
  const parent = {
    frames: { 'lti-storage': frame('lti-storage'), forwarder: frame('forwarder') } as Record<string, unknown>,
  };
  const location = { replaced: undefined as string | undefined, replace: (url: string) => (location.replaced = url) };
  const elements = Object.fromEntries(
    ['lti_storage_state', 'lti_storage_nonce', 'lti_storage_error'].map((n) => [n, { value: '' }]),
  );
  const form = { elements, submitted: false, submit: () => (form.submitted = true) };
  const holder = { getAttribute: () => JSON.stringify({ timeoutMs: 2000, ...config }) };
  const window = {
    parent,
    location,
    addEventListener: (_type: string, f: (event: unknown) => void) => listeners.add(f),
    removeEventListener: (_type: string, f: (event: unknown) => void) => listeners.delete(f),
  };
  let timer = 0;
  vm.runInNewContext(STORAGE_SCRIPT, {
    window,
    document: { getElementById: (id: string) => ({ 'lti-storage': holder, 'lti-storage-launch': form })[id] ?? null },
    setTimeout: (f: () => void) => (timers.set(++timer, f), timer),
    clearTimeout: (id: number) => timers.delete(id),
    Promise,
  });
  return {
    posted,
    location,
    form,
    /** A message from `origin` to the tool frame, as the browser would deliver it. */
    async answer(origin: string, data: unknown) {
      for (const f of [...listeners]) f({ origin, data });
      await flush();
    },
    async expire() {
      for (const [id, f] of [...timers]) {
        timers.delete(id);
        f();
      }
      await flush();
    },
  };
}

/** The launch page, its capabilities question answered: get_data is supported in the target frame. */
async function launchPage(config: Record<string, unknown>) {
  const page = toolPage(config);
  const [capabilities] = page.posted.splice(0) as [Posted];
  assert.equal(capabilities.message.subject, 'lti.capabilities');
  await page.answer(PLATFORM, reply(capabilities, { supported_messages: [{ subject: 'lti.get_data' }] }));
  return page;
}

const reply = (p: Posted, fields: Record<string, unknown>) => ({
  subject: `${String(p.message.subject)}.response`,
  message_id: p.message.message_id,
  ...fields,
});

describe('LTI Platform Storage', () => {
  describe('pure helpers', () => {
    it('offers storage only with a target, to the origin of the platform authorization endpoint', () => {
      const cases: Array<[string | undefined, string, unknown]> = [
        [undefined, `${PLATFORM}/auth`, undefined],
        ['', `${PLATFORM}/auth`, undefined],
        [
          'post_message_forwarding',
          `${PLATFORM}/api/lti/authorize_redirect?x=1`,
          { target: 'post_message_forwarding', origin: PLATFORM },
        ],
        ['_parent', 'http://127.0.0.1:3000/demo/platform/auth', { target: '_parent', origin: 'http://127.0.0.1:3000' }],
        ['frame', 'javascript:alert(1)', undefined],
        ['frame', 'not a url', undefined],
      ];
      for (const [target, url, expected] of cases)
        assert.deepEqual(storageOffer(target, url), expected, `${target} ${url}`);
    });

    it('keeps each login under keys of its own state', () => {
      assert.deepEqual(storageKeys('abc'), { state: 'lti_state_abc', nonce: 'lti_nonce_abc' });
    });

    it('binds a launch to its login exactly as the cookie does', () => {
      const offer = { target: 'f', origin: PLATFORM };
      const login = { state: 's1', nonce: 'n1', storage: offer };
      const cases: Array<[object, object, string | undefined]> = [
        [login, { state: 's1', nonce: 'n1' }, undefined],
        [{ ...login, storage: undefined }, { state: 's1', nonce: 'n1' }, 'LTI_STORAGE_NOT_OFFERED'],
        [login, {}, 'LTI_STORAGE_UNAVAILABLE'],
        [login, { state: 's1' }, 'LTI_STORAGE_UNAVAILABLE'],
        [login, { state: 's2', nonce: 'n1' }, 'LTI_STORAGE_STATE_MISMATCH'],
        [login, { state: 's1', nonce: 'n2' }, 'LTI_STORAGE_NONCE_MISMATCH'],
      ];
      for (const [l, values, code] of cases) {
        assert.equal(storageBindingError(l as typeof login, values), code, JSON.stringify(values));
      }
    });

    it('reads the storage launch form: empty fields are absent, malformed ones LTI_STORAGE_INVALID', () => {
      const request = storageLaunchRequest({
        id_token: 't',
        state: 's',
        lti_storage_state: 's',
        lti_storage_nonce: '',
        lti_storage_error: 'timeout',
      });
      assert.equal(request.idToken, 't');
      assert.equal(request.hasStateCookie('s'), false);
      assert.deepEqual(request.storage, { state: 's', nonce: undefined });
      for (const body of [
        { lti_storage_nonce: 'a\u0000' },
        { lti_storage_state: 'x'.repeat(201) },
        { state: ['a', 'b'] },
      ]) {
        assert.throws(
          () => storageLaunchRequest(body),
          (err: unknown) => isAppError(err) && err.code === 'LTI_STORAGE_INVALID',
        );
      }
    });
  });

  describe('/lti/storage.js', () => {
    const put = {
      mode: 'put',
      target: 'lti-storage',
      origin: PLATFORM,
      keys: storageKeys('S'),
      state: 'S',
      nonce: 'N',
      next: `${PLATFORM}/auth?state=S`,
    };
    const get = { mode: 'get', target: 'lti-storage', origin: PLATFORM, keys: storageKeys('S') };

    it('login: asks capabilities, puts state and nonce into the frame the platform names, then goes on', async () => {
      const page = toolPage(put);
      assert.equal(page.posted.length, 1);
      const [capabilities] = page.posted as [Posted];
      assert.equal(capabilities.to, 'lti-storage');
      assert.equal(capabilities.message.subject, 'lti.capabilities');
      assert.equal(capabilities.targetOrigin, PLATFORM);
      assert.equal(typeof capabilities.message.message_id, 'string');
      await page.answer(
        PLATFORM,
        reply(capabilities, { supported_messages: [{ subject: 'lti.put_data', frame: 'forwarder' }] }),
      );
      const puts = page.posted.slice(1);
      assert.deepEqual(
        puts.map((p) => [p.to, p.targetOrigin, p.message.subject, p.message.key, p.message.value]),
        [
          ['forwarder', PLATFORM, 'lti.put_data', 'lti_state_S', 'S'],
          ['forwarder', PLATFORM, 'lti.put_data', 'lti_nonce_S', 'N'],
        ],
      );
      assert.notEqual(puts[0]?.message.message_id, puts[1]?.message.message_id);
      await page.answer(PLATFORM, reply(puts[0] as Posted, { key: 'lti_state_S', value: 'S' }));
      assert.equal(page.location.replaced, undefined, 'waits for both answers');
      await page.answer(PLATFORM, reply(puts[1] as Posted, { key: 'lti_nonce_S', value: 'N' }));
      assert.equal(page.location.replaced, put.next);
    });

    it('accepts answers only from the platform origin and to its own message ids', async () => {
      const page = toolPage(put);
      const [capabilities] = page.posted as [Posted];
      const ok = reply(capabilities, { supported_messages: [{ subject: 'lti.put_data' }] });
      await page.answer('https://evil.example', ok);
      await page.answer(PLATFORM, { ...ok, message_id: 'someone-else' });
      await page.answer(PLATFORM, { ...ok, subject: 'lti.put_data.response' });
      await page.answer(PLATFORM, 'lti.capabilities.response');
      assert.equal(page.posted.length, 1, 'none of those was taken as the answer');
      await page.answer(PLATFORM, ok);
      assert.equal(page.posted.length, 3);
      assert.equal(page.posted[1]?.to, 'lti-storage');
    });

    it('login: a platform without put_data, or one that never answers, still goes on to its auth endpoint', async () => {
      const without = toolPage(put);
      await without.answer(
        PLATFORM,
        reply(without.posted[0] as Posted, { supported_messages: [{ subject: 'lti.get_data' }] }),
      );
      assert.equal(without.location.replaced, put.next);
      const silent = toolPage(put);
      await silent.expire();
      assert.equal(silent.location.replaced, put.next);
      const missingFrame = toolPage({ ...put, target: 'no-such-frame' });
      await flush();
      assert.equal(missingFrame.posted.length, 0);
      assert.equal(missingFrame.location.replaced, put.next);
    });

    it('launch: reads both values back into the form and posts it', async () => {
      const page = await launchPage(get);
      assert.deepEqual(
        page.posted.map((p) => [p.targetOrigin, p.message.subject, p.message.key]),
        [
          [PLATFORM, 'lti.get_data', 'lti_state_S'],
          [PLATFORM, 'lti.get_data', 'lti_nonce_S'],
        ],
      );
      await page.answer(PLATFORM, reply(page.posted[0] as Posted, { key: 'lti_state_S', value: 'S' }));
      await page.answer(PLATFORM, reply(page.posted[1] as Posted, { key: 'lti_nonce_S', value: 'N' }));
      assert.equal(page.form.submitted, true);
      assert.equal(page.form.elements.lti_storage_state?.value, 'S');
      assert.equal(page.form.elements.lti_storage_nonce?.value, 'N');
      assert.equal(page.form.elements.lti_storage_error?.value, '');
    });

    it('launch: an error answer or a timeout posts the form without values, saying why', async () => {
      const refused = await launchPage(get);
      await refused.answer(
        PLATFORM,
        reply(refused.posted[0] as Posted, { error: { code: 'bad_request', message: 'no value' } }),
      );
      assert.equal(refused.form.submitted, true);
      assert.equal(refused.form.elements.lti_storage_state?.value, '');
      assert.equal(refused.form.elements.lti_storage_error?.value, 'bad_request');
      const silent = toolPage(get);
      assert.equal(silent.form.submitted, false);
      await silent.expire();
      assert.equal(silent.form.submitted, true);
      assert.equal(silent.form.elements.lti_storage_error?.value, 'timeout');
      const unsupported = toolPage(get);
      await unsupported.answer(PLATFORM, reply(unsupported.posted[0] as Posted, { supported_messages: [] }));
      assert.equal(unsupported.form.elements.lti_storage_error?.value, 'unsupported');
    });
  });

  describe('the demo LMS storage frame', () => {
    /** The frame's script; each call sends it one message and returns its answers (as plain data of this realm). */
    function storageFrame() {
      let listener: (event: unknown) => void = () => undefined;
      vm.runInNewContext(storageFrameScript(TOOL), {
        window: { addEventListener: (_t: string, f: (event: unknown) => void) => (listener = f) },
        Map,
      });
      return (origin: string, data: Record<string, unknown>) => {
        const answers: Array<[Record<string, unknown>, string]> = [];
        listener({
          origin,
          data,
          source: {
            postMessage: (m: Record<string, unknown>, o: string) =>
              answers.push([JSON.parse(JSON.stringify(m)) as Record<string, unknown>, o]),
          },
        });
        return answers;
      };
    }

    it('answers the tool origin: capabilities, put and get, back to that origin only', () => {
      const send = storageFrame();
      const [[caps, to]] = send(TOOL, { subject: 'lti.capabilities', message_id: '1' }) as [
        [Record<string, unknown>, string],
      ];
      assert.equal(to, TOOL);
      assert.equal(caps.subject, 'lti.capabilities.response');
      assert.deepEqual(
        (caps.supported_messages as Array<{ subject: string }>).map((m) => m.subject),
        ['lti.capabilities', 'lti.put_data', 'lti.get_data'],
      );
      assert.deepEqual(send(TOOL, { subject: 'lti.put_data', message_id: '2', key: 'k', value: 'v' })[0]?.[0], {
        subject: 'lti.put_data.response',
        message_id: '2',
        key: 'k',
        value: 'v',
      });
      assert.equal(send(TOOL, { subject: 'lti.get_data', message_id: '3', key: 'k' })[0]?.[0].value, 'v');
      assert.equal(
        (send(TOOL, { subject: 'lti.get_data', message_id: '4', key: 'other' })[0]?.[0].error as { code: string }).code,
        'bad_request',
      );
    });

    it('ignores every other origin', () => {
      const send = storageFrame();
      send(TOOL, { subject: 'lti.put_data', message_id: '1', key: 'k', value: 'v' });
      assert.deepEqual(send('https://evil.example', { subject: 'lti.get_data', message_id: '2', key: 'k' }), []);
      assert.deepEqual(send('https://evil.example', { subject: 'lti.capabilities', message_id: '3' }), []);
    });
  });
});
