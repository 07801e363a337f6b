import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface Props {
  open: boolean;
  /** The dialog's class, and the prefix of its title's and body's ids (`<name>-title`, `<name>-body`). */
  name: string;
  title: ComponentChildren;
  body: ComponentChildren;
  /** While an action runs, Escape does not cancel it. */
  busy?: boolean;
  /** As the dialog opens: a form forgets the last error. */
  onOpen?: () => void;
  onCancel: () => void;
  /** The form or the buttons under the body. */
  children: ComponentChildren;
}

/**
 * A confirmation or a short form as a modal <dialog>: focus moves into it, Escape or Cancel closes it
 * without acting, and the browser gives the focus back to what opened it. `open` decides what is shown:
 * Escape asks the owner (whose state then closes it), and a browser that closes it by itself without a
 * cancel event (no user activation) is followed, so what is shown and what is meant never part.
 */
export function ModalDialog({ open, name, title, body, busy = false, onOpen, onCancel, children }: Props) {
  const dialog = useModal(open, onOpen);
  return (
    <dialog
      ref={dialog}
      class={name}
      aria-labelledby={`${name}-title`}
      aria-describedby={`${name}-body`}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
      onClose={() => {
        if (open) onCancel();
      }}
    >
      <h2 id={`${name}-title`}>{title}</h2>
      <p id={`${name}-body`}>{body}</p>
      {children}
    </dialog>
  );
}

/** A <dialog> that follows `open`: shown modal (after `onOpen`) when it turns true, closed when false. */
export function useModal(open: boolean, onOpen?: () => void) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) {
      onOpen?.();
      el.showModal();
    } else if (!open && el.open) el.close();
  }, [open]);
  return dialog;
}
