import { useState } from 'preact/hooks';
import { isApiError, type ApiClient } from '../api/client';
import type { RoomMetadata } from '../api/room-types';
import { t } from '../i18n';

type ClassLayout = RoomMetadata['layout'];
const MODES: ClassLayout['mode'][] = ['auto', 'grid', 'speaker', 'presentation'];
const SWITCHES = ['hideCameraOff', 'raisedHandsFirst', 'locked'] as const;

/**
 * The leader's layout for everyone: each change is sent at once and shown as the room metadata brings it
 * back (the server stores it and pushes it to every page), so two teachers never see different settings.
 */
export function ClassLayoutForm({ api, layout }: { api: ApiClient; layout: Partial<ClassLayout> | undefined }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const send = (patch: Partial<ClassLayout>) => {
    setBusy(true);
    setError(undefined);
    api.setClassLayout(patch).then(
      () => setBusy(false),
      (err: unknown) => {
        setBusy(false);
        setError(isApiError(err) ? err.message : t('common.unreachable'));
      },
    );
  };
  return (
    <fieldset class="class-layout" aria-busy={busy ? 'true' : undefined}>
      <legend>{t('leader.layout.heading')}</legend>
      <label>
        {t('leader.layout.mode')}{' '}
        <select
          value={layout?.mode ?? 'auto'}
          disabled={busy}
          data-testid="class-layout-mode"
          onChange={(e) => send({ mode: (e.currentTarget as HTMLSelectElement).value as ClassLayout['mode'] })}
        >
          {MODES.map((mode) => (
            <option key={mode} value={mode}>
              {t(`leader.layout.mode.${mode}`)}
            </option>
          ))}
        </select>
      </label>
      {SWITCHES.map((key) => (
        <label key={key} class="check">
          <input
            type="checkbox"
            checked={layout?.[key] === true}
            disabled={busy}
            data-testid={`class-layout-${key}`}
            onChange={(e) => send({ [key]: (e.currentTarget as HTMLInputElement).checked })}
          />{' '}
          {t(`leader.layout.${key}`)}
        </label>
      ))}
      <div role="alert">{error && <p class="field-error">{error}</p>}</div>
    </fieldset>
  );
}
