import type { ComponentChildren } from 'preact';
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import './menu.css';

export interface MenuEntry {
  key: string;
  label: string;
  /** The accessible name when it says more than the label (with a person's name); it starts with `label`. */
  ariaLabel?: string;
  /** Shown as checked (a choice in a group, such as the current layout). */
  checked?: boolean;
  /** A count shown after the label (unread messages, people waiting). */
  badge?: number;
  danger?: boolean;
  /** Still focusable (arrow keys pass over nothing), but does nothing: a request is on its way. */
  disabled?: boolean;
  onSelect: () => void;
}

interface Props {
  /** The button's accessible name. */
  label: string;
  /** What the button shows (an icon and a short label); `label` when absent. */
  children?: ComponentChildren;
  class?: string;
  entries: MenuEntry[];
  /** Where the menu opens: above the button (the control bar) or below it. */
  placement?: 'above' | 'below';
  dataControl?: string;
}

/**
 * A menu button (WAI-ARIA menu button pattern): Enter, Space or ArrowDown open it on the first entry,
 * ArrowUp on the last; ArrowUp/ArrowDown (wrapping), Home and End move; Escape closes and gives the focus
 * back to the button; Tab or a click elsewhere closes. Choosing an entry closes the menu first, then acts,
 * so a dialog the entry opens can take the focus.
 */
export function MenuButton({ label, children, entries, placement = 'below', dataControl, ...rest }: Props) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const id = useId();

  // In the same frame as the render: a second key press must find the focus already moved.
  useLayoutEffect(() => {
    if (!open) return;
    menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]')[active]?.focus();
    menu.current?.scrollIntoView?.({ block: 'nearest' });
  }, [open, active]);

  if (entries.length === 0) return null;
  const show = (index: number) => {
    setActive((index + entries.length) % entries.length);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (!refocus) return;
    button.current?.focus();
    // Again once the menu is gone: a re-render of the row meanwhile (the room re-renders many times a
    // second) must not leave the focus on the removed menu.
    requestAnimationFrame(() => {
      if (!button.current?.contains(document.activeElement)) button.current?.focus();
    });
  };
  const onMenuKey = (event: KeyboardEvent) => {
    // From the current entry, not this render's: two quick presses arrive before a re-render.
    const moves: Record<string, (at: number) => number> = {
      ArrowDown: (at) => at + 1,
      ArrowUp: (at) => at - 1,
      Home: () => 0,
      End: () => entries.length - 1,
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      setActive((at) => (move(at) + entries.length) % entries.length);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'Tab') close(false);
  };

  return (
    <div
      class={`menu-wrap menu-${placement}`}
      onFocusOut={(event) => {
        const to = event.relatedTarget as Node | null;
        if (open && !(to && (event.currentTarget as HTMLElement).contains(to))) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        class={rest.class ?? 'secondary menu-button'}
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open ? 'true' : 'false'}
        aria-controls={open ? id : undefined}
        data-control={dataControl}
        onClick={() => (open ? close(true) : show(0))}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            show(event.key === 'ArrowDown' ? 0 : -1);
          }
        }}
      >
        {children ?? label}
      </button>
      {open && (
        <ul ref={menu} id={id} role="menu" aria-label={label} class="menu" onKeyDown={onMenuKey}>
          {entries.map((entry, i) => (
            <li key={entry.key} role="none">
              <button
                type="button"
                role={entry.checked === undefined ? 'menuitem' : 'menuitemradio'}
                aria-checked={entry.checked === undefined ? undefined : entry.checked ? 'true' : 'false'}
                tabIndex={i === active ? 0 : -1}
                class={entry.danger ? 'menu-item danger-text' : 'menu-item'}
                aria-label={entry.ariaLabel}
                aria-disabled={entry.disabled ? 'true' : undefined}
                data-action={entry.key}
                onMouseEnter={() => setActive(i)}
                onClick={() => {
                  if (entry.disabled) return;
                  close(true);
                  entry.onSelect();
                }}
              >
                {entry.label}
                {entry.badge ? <span class="count">{entry.badge}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
