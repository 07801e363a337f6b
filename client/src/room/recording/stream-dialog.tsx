import { useEffect, useState } from 'preact/hooks';
import { isApiError } from '../../api/client';
import type { StreamStartRequest } from '../../api/contract';
import { ModalDialog } from '../../components/modal-dialog';
import { t } from '../../i18n';

interface Props {
  open: boolean;
  onCancel: () => void;
  /** Rejects with the server's refusal, shown in the dialog. */
  onStart: (target: StreamStartRequest) => Promise<void>;
  /** The activity's own stream target, its key masked: offered first, sent as no address at all. */
  classTarget?: string;
}

/**
 * "Go live": the streaming service's server address and stream key. The key is a password field, sent once
 * and never shown back (the room shows the address with the key masked); the form forgets it on close.
 */
export function StreamDialog({ open, onCancel, onStart, classTarget }: Props) {
  const [useClass, setUseClass] = useState(true);
  const fromClass = Boolean(classTarget) && useClass;
  const [url, setUrl] = useState('');
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!open) setKey('');
  }, [open]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!fromClass && !/^rtmps?:\/\/\S+/i.test(url.trim())) {
      setError(t('stream.problem.url'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      // No address: the server streams to the class's own target.
      await onStart(fromClass ? { url: '' } : { url: url.trim(), ...(key.trim() ? { key: key.trim() } : {}) });
      setKey('');
    } catch (err) {
      const field = isApiError(err) ? err.fields[0]?.message : undefined;
      setError(field ?? (isApiError(err) ? err.message : t('common.unreachable')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ModalDialog
      open={open}
      name="stream-dialog"
      title={t('stream.title')}
      body={t('stream.body')}
      busy={busy}
      onOpen={() => setError(undefined)}
      onCancel={onCancel}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        {classTarget && (
          <div class="field check">
            <input
              id="stream-class-target"
              type="checkbox"
              checked={useClass}
              onChange={(e) => {
                setUseClass((e.target as HTMLInputElement).checked);
                setError(undefined);
              }}
            />
            <label for="stream-class-target">{t('stream.classTarget', { target: classTarget })}</label>
          </div>
        )}
        <fieldset class="stream-own-target" disabled={fromClass} hidden={fromClass}>
          <div class="field">
            <label for="stream-url">{t('stream.url')}</label>
            <input
              id="stream-url"
              name="url"
              type="text"
              inputMode="url"
              autoComplete="off"
              spellcheck={false}
              placeholder="rtmps://live.example.com/app"
              value={url}
              onInput={(e) => {
                setUrl((e.target as HTMLInputElement).value);
                setError(undefined);
              }}
              aria-describedby="stream-url-hint"
              required
            />
            <p id="stream-url-hint" class="hint">
              {t('stream.urlHint')}
            </p>
          </div>
          <div class="field">
            <label for="stream-key">{t('stream.key')}</label>
            <input
              id="stream-key"
              name="key"
              type="password"
              autoComplete="off"
              spellcheck={false}
              value={key}
              onInput={(e) => setKey((e.target as HTMLInputElement).value)}
              aria-describedby="stream-key-hint"
            />
            <p id="stream-key-hint" class="hint">
              {t('stream.keyHint')}
            </p>
          </div>
        </fieldset>
        <div role="alert">{error && <p class="field-error">{error}</p>}</div>
        <div class="actions">
          <button type="button" class="secondary" onClick={onCancel} disabled={busy}>
            {t('stream.cancel')}
          </button>{' '}
          <button type="submit" aria-disabled={busy ? 'true' : undefined} data-action="go-live">
            {t(busy ? 'stream.starting' : 'stream.start')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
