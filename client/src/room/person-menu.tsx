import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import './people.css';

export interface MenuItem {
  /** Stable per item (also its data-action). */
  key: string;
  /** The visible text. */
  label: string;
  /** The accessible name when it says more (with the person's name); it starts with `label`. */
  ariaLabel?: string;
  danger?: boolean;
  /** Still focusable (arrow keys pass over nothing), but does nothing: a request is on its way. */
  disabled?: boolean;
  onSelect: () => void;
}

/**
 * A menu button (WAI-ARIA menu button pattern): Enter, Space or ArrowDown open it on the first item,
 * ArrowUp on the last; ArrowUp/ArrowDown (wrapping), Home and End move; Escape closes and gives the focus
 * back to the button; Tab or a click elsewhere closes. Choosing an item closes the menu first, then acts,
 * so a dialog the item opens returns the focus to the button too.
 */
export function PersonMenu({ label, items }: { label: string; items: MenuItem[] }) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const id = useId();

  // In the same frame as the render: a second key press must find the focus already moved.
  useLayoutEffect(() => {
    if (!open) return;
    const item = menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]')[active];
    item?.focus();
    menu.current?.scrollIntoView?.({ block: 'nearest' });
  }, [open, active]);

  if (items.length === 0) return null;
  const show = (index: number) => {
    setActive((index + items.length) % items.length);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  const onMenuKey = (event: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      Home: 0,
      End: items.length - 1,
    };
    const next = moves[event.key];
    if (next !== undefined) {
      event.preventDefault();
      setActive((next + items.length) % items.length);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'Tab') close(false);
  };

  return (
    <div
      class="person-menu"
      onFocusOut={(event) => {
        const to = event.relatedTarget as Node | null;
        if (open && !(to && (event.currentTarget as HTMLElement).contains(to))) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        class="secondary menu-button"
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open ? 'true' : 'false'}
        aria-controls={open ? id : undefined}
        onClick={() => (open ? close(true) : show(0))}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            show(event.key === 'ArrowDown' ? 0 : -1);
          }
        }}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" fill="currentColor" aria-hidden="true" focusable="false">
          <circle cx="12" cy="5" r="2" />
          <circle cx="12" cy="12" r="2" />
          <circle cx="12" cy="19" r="2" />
        </svg>
      </button>
      {open && (
        <ul ref={menu} id={id} role="menu" aria-label={label} class="menu" onKeyDown={onMenuKey}>
          {items.map((item, i) => (
            <li key={item.key} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={i === active ? 0 : -1}
                class={item.danger ? 'menu-item danger-text' : 'menu-item'}
                aria-label={item.ariaLabel}
                aria-disabled={item.disabled ? 'true' : undefined}
                data-action={item.key}
                onMouseEnter={() => setActive(i)}
                onClick={() => {
                  if (item.disabled) return;
                  close(true);
                  item.onSelect();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
