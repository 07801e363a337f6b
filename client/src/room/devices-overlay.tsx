import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';

/** The device pickers over the room, sized to the frame; Escape or Done closes them. */
export function DevicesOverlay({ onClose, children }: { onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    // Back to where the user was (the More button) when the overlay goes.
    const opener = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('select, button')?.focus();
    return () => opener?.focus();
  }, []);
  return (
    <div
      ref={ref}
      class="overlay-panel devices-overlay"
      role="dialog"
      aria-label={t('controls.devices')}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      {children}
      <div class="actions">
        <button type="button" class="secondary" onClick={onClose}>
          {t('controls.done')}
        </button>
      </div>
    </div>
  );
}
