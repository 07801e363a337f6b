/**
 * /lti/storage.js: the browser side of LTI Platform Storage, for the two pages of src/http/lti-storage-page.ts.
 * A file of its own rather than an inline script, so the strict script-src 'self' needs no nonce or hash. It
 * reads its settings from the page (data-config on #lti-storage), posts only to the platform's origin and
 * accepts only that origin's answers to its own message ids.
 *
 * - put (the login page): lti.capabilities, then lti.put_data of state and nonce, then on to the platform's
 *   authorization endpoint; on any failure it goes on all the same (the cookie may still work).
 * - get (the launch page): lti.capabilities, then lti.get_data of both, into the form posted to /lti/launch/storage; on failure the
 *   form goes without them and the server answers with the new-window way out.
 */
export const STORAGE_SCRIPT = `(function () {
  'use strict';
  var holder = document.getElementById('lti-storage');
  if (!holder) return;
  var config = JSON.parse(holder.getAttribute('data-config'));
  var counter = 0;

  function frameNamed(name) {
    var parent = window.parent;
    if (!name || name === '_parent') return parent;
    try {
      return parent.frames[name] || null;
    } catch (err) {
      return null;
    }
  }

  function send(frame, subject, fields) {
    return new Promise(function (resolve, reject) {
      if (!frame || frame === window) return reject(new Error('no_frame'));
      counter += 1;
      var id = 'liveclass-' + counter + '-' + Math.random().toString(36).slice(2);
      var timer = setTimeout(function () {
        done();
        reject(new Error('timeout'));
      }, config.timeoutMs);
      function onMessage(event) {
        var data = event.data;
        if (event.origin !== config.origin || !data || typeof data !== 'object') return;
        if (data.subject !== subject + '.response' || data.message_id !== id) return;
        done();
        if (data.error) reject(new Error(String((data.error && data.error.code) || 'error')));
        else resolve(data);
      }
      function done() {
        clearTimeout(timer);
        window.removeEventListener('message', onMessage);
      }
      window.addEventListener('message', onMessage);
      var message = { subject: subject, message_id: id };
      for (var key in fields) message[key] = fields[key];
      frame.postMessage(message, config.origin);
    });
  }

  /** The frame that answers this subject: the capabilities answer may name another than lti_storage_target. */
  function storageFrame(subject) {
    var target = frameNamed(config.target);
    return send(target, 'lti.capabilities', {}).then(function (answer) {
      var list = Array.isArray(answer.supported_messages) ? answer.supported_messages : [];
      var supported = list.filter(function (m) {
        return m && m.subject === subject;
      })[0];
      if (!supported) throw new Error('unsupported');
      return supported.frame ? frameNamed(supported.frame) : target;
    });
  }

  function put() {
    storageFrame('lti.put_data')
      .then(function (frame) {
        return Promise.all([
          send(frame, 'lti.put_data', { key: config.keys.state, value: config.state }),
          send(frame, 'lti.put_data', { key: config.keys.nonce, value: config.nonce }),
        ]);
      })
      .catch(function () {
        return undefined;
      })
      .then(function () {
        window.location.replace(config.next);
      });
  }

  function get() {
    var form = document.getElementById('lti-storage-launch');
    function field(name, value) {
      form.elements[name].value = value;
    }
    storageFrame('lti.get_data')
      .then(function (frame) {
        return Promise.all([
          send(frame, 'lti.get_data', { key: config.keys.state }),
          send(frame, 'lti.get_data', { key: config.keys.nonce }),
        ]);
      })
      .then(function (answers) {
        if (typeof answers[0].value !== 'string' || typeof answers[1].value !== 'string') throw new Error('empty');
        field('lti_storage_state', answers[0].value);
        field('lti_storage_nonce', answers[1].value);
      })
      .catch(function (err) {
        field('lti_storage_error', String((err && err.message) || 'error').slice(0, 100));
      })
      .then(function () {
        form.submit();
      });
  }

  if (config.mode === 'put') put();
  else get();
})();
`;
