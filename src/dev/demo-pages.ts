import { DEFAULT_DEMO_LOCALE, DEMO_COURSE, DEMO_LOCALES, defaultUser, type DemoUser } from './demo-roster.js';
import type { Activity, LineItem, Score } from './demo-state.js';
import { STORAGE_FRAME } from './demo-storage.js';

/** HTML of the demo LMS. Every interpolated value goes through `esc`. */

export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const CSS = `
  body { font-family: system-ui, sans-serif; margin: 0; color: #1d2433; background: #f4f6fa; }
  header { background: #23395d; color: #fff; padding: 0.75rem 1.5rem; }
  header h1 { font-size: 1.25rem; margin: 0; }
  main { padding: 1rem 1.5rem; display: grid; gap: 1rem; }
  section { background: #fff; border: 1px solid #d6dbe4; border-radius: 6px; padding: 0.75rem 1rem; }
  h2 { font-size: 1rem; margin: 0 0 0.5rem; }
  button { font: inherit; padding: 0.4rem 0.8rem; margin: 0.2rem 0.3rem 0.2rem 0; border-radius: 4px;
    border: 1px solid #23395d; background: #23395d; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #23395d; }
  button:focus-visible, select:focus-visible, a:focus-visible { outline: 3px solid #f0a202; outline-offset: 2px; }
  iframe { width: 100%; height: 70vh; border: 1px solid #d6dbe4; border-radius: 6px; background: #fff; }
  table { border-collapse: collapse; } td, th { border: 1px solid #d6dbe4; padding: 0.3rem 0.6rem; text-align: left; }
  .note { font-size: 0.85rem; color: #4a5568; }
  .error { color: #9b1c1c; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>${body}</body>
</html>`;
}

const header = `<header><h1>Demo University — Course: ${esc(DEMO_COURSE.title)}</h1></header>`;

export interface CoursePageInput {
  /** Where the demo router is mounted as seen by the browser, e.g. `/demo`. */
  base: string;
  activities: readonly Activity[];
  /** The tool's tool-level custom parameters in the LMS's tool configuration. */
  toolCustom: Readonly<Record<string, string>>;
  /** The platform storage frame, on the platform's own origin (src/dev/demo-storage.ts). */
  storageUrl: string;
}

export function coursePage({ base, activities, toolCustom, storageUrl }: CoursePageInput): string {
  const launch = `${base}/platform/launch`;
  const options = activities.map((a) => `<option value="${esc(a.resourceLinkId)}">${esc(a.title)}</option>`).join('');
  const list = activities
    .map((a) => `<li><strong>${esc(a.title)}</strong> <span class="note">(${esc(a.resourceLinkId)})</span></li>`)
    .join('');
  const users = (['instructor', 'ta', 'student', 'observer'] as const).map(defaultUser);
  const locales = Object.entries(DEMO_LOCALES)
    // `lang` so a screen reader says "Español" in Spanish.
    .map(([code, name]) => `<option value="${esc(code)}" lang="${esc(code.slice(0, 2))}">${esc(name)}</option>`)
    .join('');
  return page(
    'Physics 101 — Demo University',
    `${header}
<main>
  <section aria-labelledby="activities-heading">
    <h2 id="activities-heading">Activities</h2>
    <ul id="activities">${list}</ul>
    <form method="get" action="${esc(launch)}" target="tool-frame" aria-label="Join an activity">
      <input type="hidden" name="message" value="resource">
      <label for="activity">Activity to launch</label>
      <select id="activity" name="activity">${options}</select>
      <label for="locale">Language</label>
      <select id="locale" name="locale">${locales}</select>
      <label><input type="checkbox" name="storage" value="on"> Offer platform storage (for browsers that block
        third-party cookies)</label>
      <div>
        <button type="submit" name="role" value="instructor">Join as instructor</button>
        <button type="submit" name="role" value="student">Join as student</button>
        <button type="submit" name="role" value="observer">Join as observer</button>
        <button type="submit" name="role" value="ta" class="secondary">Join as teaching assistant</button>
      </div>
    </form>
    <form method="get" action="${esc(launch)}" target="tool-frame" aria-label="Add an activity">
      <input type="hidden" name="message" value="deeplink">
      <input type="hidden" name="role" value="instructor">
      <input type="hidden" id="deep-link-locale" name="locale" value="${DEFAULT_DEMO_LOCALE}">
      <button type="submit" class="secondary">Add activity (deep linking)</button>
      <a href="${esc(base)}/gradebook">Gradebook</a>
    </form>
    <form method="post" action="${esc(base)}/activities" aria-label="Add a plain link">
      <label for="plain-title">Plain link to the tool (no deep linking)</label>
      <input id="plain-title" name="title" required maxlength="255" value="Live class (plain link)">
      <button type="submit" class="secondary">Add plain link</button>
    </form>
  </section>
  <section aria-labelledby="tool-config-heading">
    <h2 id="tool-config-heading">Tool configuration (LMS admin)</h2>
    <form method="post" action="${esc(base)}/tool-settings" aria-label="Tool-level custom parameters">
      <label for="tool-custom">Custom parameters, one name=value a line. As in Moodle, they are sent with every
        launch and override a link's own parameter of the same name.</label><br>
      <textarea id="tool-custom" name="custom" rows="3" cols="60">${esc(
        Object.entries(toolCustom)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n'),
      )}</textarea>
      <button type="submit" class="secondary">Save tool configuration</button>
    </form>
  </section>
  <script>
    // One language select for both forms (a select belongs to one form): adding an activity follows it.
    document.getElementById('locale').addEventListener('change', (event) => {
      document.getElementById('deep-link-locale').value = event.target.value;
    });
  </script>
  <section aria-labelledby="tool-heading">
    <h2 id="tool-heading">Tool</h2>
    <iframe name="tool-frame" id="tool-frame" title="Live class tool"
      allow="camera; microphone; display-capture; fullscreen; autoplay" src="about:blank"></iframe>
    <iframe name="${STORAGE_FRAME}" title="Platform storage" hidden src="${esc(storageUrl)}"></iframe>
  </section>
  <section aria-labelledby="users-heading" class="note">
    <h2 id="users-heading">Demo users</h2>
    <p>Each button launches as a fixed member of the course roster (25 people):</p>
    <ul>${users.map((u) => `<li>${esc(u.role)}: ${esc(u.name)} &lt;${esc(u.email)}&gt; (${esc(u.userId)})</li>`).join('')}</ul>
    <p>This demo LMS is for development and evaluation only; it is switched off in production.</p>
  </section>
</main>`,
  );
}

/** The OIDC form_post response: posts `fields` to `action`, by script or by the visible button. */
export function autoPostPage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`)
    .join('');
  return page(
    'Launching…',
    `<form id="auto-post" method="post" action="${esc(action)}">${inputs}
<noscript><p>JavaScript is off: press the button to continue.</p><button type="submit">Continue</button></noscript>
</form>
<script>document.getElementById('auto-post').submit();</script>`,
  );
}

export function errorPage(title: string, problems: readonly string[]): string {
  const items = problems.map((p) => `<li>${esc(p)}</li>`).join('');
  return page(
    title,
    `${header}<main><section role="alert"><h2 class="error">${esc(title)}</h2><ul>${items}</ul></section></main>`,
  );
}

export function activityAddedPage(base: string, titles: readonly string[], message?: string): string {
  const heading = titles.length > 0 ? `Activity added: ${titles.join(', ')}` : 'No activity added';
  const note = message ? `<p>Message from the tool: ${esc(message)}</p>` : '';
  return page(
    heading,
    `<main><section><h2>${esc(heading)}</h2>${note}
<p><a href="${esc(base)}" target="_top">Back to the course</a></p></section></main>`,
  );
}

export interface GradebookRow {
  item: LineItem;
  scores: readonly Score[];
}

export function gradebookPage(base: string, rows: readonly GradebookRow[], nameOf: (userId: string) => string): string {
  const sections = rows.map(({ item, scores }) => {
    const body = scores
      .map(
        (s) =>
          `<tr><td>${esc(nameOf(s.userId))}</td><td>${esc(s.userId)}</td>` +
          `<td>${esc(s.scoreGiven ?? '—')} / ${esc(s.scoreMaximum ?? item.scoreMaximum)}</td>` +
          `<td>${esc(s.activityProgress)}</td><td>${esc(s.gradingProgress)}</td><td>${esc(s.timestamp)}</td></tr>`,
      )
      .join('');
    const link = item.resourceLinkId ? ` — resource link ${esc(item.resourceLinkId)}` : '';
    return `<section><h2>${esc(item.label)} (max ${esc(item.scoreMaximum)})${link}</h2>
<table><caption class="note">Line item ${esc(item.id)}${item.tag ? `, tag ${esc(item.tag)}` : ''}</caption>
<thead><tr><th>Name</th><th>User id</th><th>Score</th><th>Activity</th><th>Grading</th><th>Timestamp</th></tr></thead>
<tbody>${body || '<tr><td colspan="6">No scores yet</td></tr>'}</tbody></table></section>`;
  });
  return page(
    'Gradebook — Physics 101',
    `${header}<main><section><h2>Gradebook</h2><p><a href="${esc(base)}">Back to the course</a></p></section>
${sections.join('\n') || '<section><p>No line items yet.</p></section>'}</main>`,
  );
}

export const nameFromRoster =
  (roster: readonly DemoUser[]) =>
  (userId: string): string =>
    roster.find((u) => u.userId === userId)?.name ?? userId;
