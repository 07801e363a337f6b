import { MenuButton, type MenuEntry } from './menu-button';

/** A person's actions in the people list, behind a "⋮" menu button named after them. */
export function PersonMenu({ label, items }: { label: string; items: MenuEntry[] }) {
  return (
    <MenuButton label={label} entries={items}>
      <svg viewBox="0 0 24 24" width="18" height="18" fill="currentColor" aria-hidden="true" focusable="false">
        <circle cx="12" cy="5" r="2" />
        <circle cx="12" cy="12" r="2" />
        <circle cx="12" cy="19" r="2" />
      </svg>
    </MenuButton>
  );
}
