import { Router } from 'express';
import type { DemoContext } from './demo-context.js';

/**
 * LTI Platform Storage in the demo LMS: a hidden frame of the course page, served from the platform's own
 * origin (that of its OIDC authorization endpoint, the origin the tool talks to), answering lti.capabilities,
 * lti.put_data and lti.get_data. As in Canvas's post_message_forwarding frame, values live in the frame's
 * memory for as long as the course page is open, kept apart per sender origin, and only the tool's origin is
 * answered at all.
 */

/** The frame name sent as `lti_storage_target` when a launch asks for storage. */
export const STORAGE_FRAME = 'lti-storage';

/** Bounds that keep a misbehaving sender from filling the page's memory. */
const MAX_KEYS = 200;
const MAX_LENGTH = 4096;

export function storageFrameScript(toolOrigin: string): string {
  return `
(function () {
  var allowed = ${JSON.stringify([toolOrigin])};
  var stores = {};
  function answer(event, data, reply) {
    reply.subject = data.subject + '.response';
    reply.message_id = data.message_id;
    event.source.postMessage(reply, event.origin);
  }
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || typeof data !== 'object' || typeof data.subject !== 'string') return;
    if (data.subject.slice(-9) === '.response') return;
    if (allowed.indexOf(event.origin) < 0 || !event.source) return;
    var store = stores[event.origin] || (stores[event.origin] = new Map());
    if (data.subject === 'lti.capabilities') {
      return answer(event, data, {
        supported_messages: [
          { subject: 'lti.capabilities' },
          { subject: 'lti.put_data', frame: ${JSON.stringify(STORAGE_FRAME)} },
          { subject: 'lti.get_data', frame: ${JSON.stringify(STORAGE_FRAME)} },
        ],
      });
    }
    var key = data.key;
    if (typeof key !== 'string' || key === '' || key.length > ${MAX_LENGTH}) {
      return answer(event, data, { error: { code: 'bad_request', message: 'key must be a non-empty string' } });
    }
    if (data.subject === 'lti.put_data') {
      var value = data.value;
      if (typeof value !== 'string' || value.length > ${MAX_LENGTH}) {
        return answer(event, data, { key: key, error: { code: 'bad_request', message: 'value must be a string' } });
      }
      if (!store.has(key) && store.size >= ${MAX_KEYS}) store.delete(store.keys().next().value);
      store.set(key, value);
      return answer(event, data, { key: key, value: value });
    }
    if (data.subject === 'lti.get_data') {
      if (!store.has(key)) return answer(event, data, { key: key, error: { code: 'bad_request', message: 'no value for this key' } });
      return answer(event, data, { key: key, value: store.get(key) });
    }
    answer(event, data, { error: { code: 'unsupported_subject', message: 'not supported here' } });
  });
})();`;
}

export function storageRouter(ctx: DemoContext): Router {
  const router = Router();
  const toolOrigin = new URL(ctx.tool.loginUrl).origin;
  router.get('/storage', (_req, res) => {
    res
      .set('cache-control', 'no-store')
      .type('html')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Platform storage</title></head>` +
          `<body><script>${storageFrameScript(toolOrigin)}</script></body></html>`,
      );
  });
  return router;
}
