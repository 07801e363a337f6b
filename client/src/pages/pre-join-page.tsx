import type { AppRole, MeResponse } from '../api/contract';
import { useDocumentTitle } from '../components/use-document-title';
import { formatSchedule, pickLocale, pickTimeZone } from '../time';

const ROLE_TEXT: Record<AppRole, string> = {
  instructor: 'an instructor',
  participant: 'a participant',
  observer: 'an observer',
};

const browserTimeZone = (): string | undefined => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** What a resource link launch opens until the room exists: the class, its schedule, and who you are. */
export function PreJoinPage({ me }: { me: MeResponse }) {
  const settings = me.activity?.settings;
  const title = settings?.title ?? me.resourceLink?.title ?? 'Live class';
  useDocumentTitle(title);
  const timeZone = pickTimeZone(me.timezone, browserTimeZone());
  const schedule = settings?.startAt
    ? formatSchedule(settings.startAt, settings.durationMinutes, timeZone, pickLocale(me.locale))
    : undefined;

  return (
    <main>
      <p class="eyebrow">{me.context?.title ?? me.platform.name}</p>
      <h1>{title}</h1>
      {settings?.description && <p class="description">{settings.description}</p>}
      <dl class="facts">
        <dt>When</dt>
        <dd>{schedule ? <time dateTime={settings?.startAt ?? undefined}>{schedule}</time> : 'No fixed time'}</dd>
        {settings?.audioOnly && (
          <>
            <dt>Format</dt>
            <dd>Audio only</dd>
          </>
        )}
        <dt>Signed in as</dt>
        <dd>{me.user.name || 'Unnamed user'}</dd>
      </dl>
      <p data-role={me.user.role}>
        You are joining as <strong>{ROLE_TEXT[me.user.role]}</strong>.
      </p>
      <div class="actions">
        <button type="button" disabled aria-describedby="join-note">
          Room coming soon
        </button>
      </div>
      <p id="join-note" class="hint">
        Joining the live room is not available yet in this version of the tool.
      </p>
    </main>
  );
}
