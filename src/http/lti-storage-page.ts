import { STORAGE_TIMEOUT_MS, storageKeys, type StorageOffer } from '../lti/platform-storage.js';
import { escapeHtml, htmlPage } from './html.js';

/** The two pages of a platform storage launch; both run /lti/storage.js (src/http/lti-storage-script.ts). */

/** Settings for the script, in an attribute: escaped like any other, and no inline script for CSP to allow. */
function holder(config: Record<string, unknown>): string {
  return `<div id="lti-storage" hidden data-config="${escapeHtml(JSON.stringify({ ...config, timeoutMs: STORAGE_TIMEOUT_MS }))}"></div>`;
}

/** Relative to /lti/login and /lti/launch alike, wherever the tool is mounted. */
const SCRIPT = '<script src="storage.js" defer></script>';

/** The login's answer when the LMS offers storage: keep state and nonce there, then go to its auth endpoint. */
export function storageLoginPage(input: { offer: StorageOffer; state: string; nonce: string; next: string }): string {
  const { offer, state, nonce, next } = input;
  return htmlPage(
    'Opening the live class',
    `<h1>Opening the live class…</h1>
${holder({ mode: 'put', target: offer.target, origin: offer.origin, keys: storageKeys(state), state, nonce, next })}
<p role="status">Connecting to your course.</p>
<noscript><p><a class="button" href="${escapeHtml(next)}">Continue</a></p></noscript>
${SCRIPT}`,
  );
}

/** The launch's answer when the cookie did not come back: read the values from storage, post them with the token. */
export function storageLaunchPage(input: { offer: StorageOffer; state: string; idToken: string }): string {
  const { offer, state, idToken } = input;
  const hidden = (name: string, value = '') =>
    `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
  return htmlPage(
    'Opening the live class',
    `<h1>Opening the live class…</h1>
${holder({ mode: 'get', target: offer.target, origin: offer.origin, keys: storageKeys(state) })}
<p role="status">Checking the launch with your course.</p>
<form id="lti-storage-launch" method="post" action="launch/storage">
${hidden('id_token', idToken)}${hidden('state', state)}${hidden('lti_storage_state')}${hidden('lti_storage_nonce')}${hidden('lti_storage_error')}
<noscript><p>JavaScript is off: press the button to continue.</p><button type="submit">Continue</button></noscript>
</form>
${SCRIPT}`,
  );
}
