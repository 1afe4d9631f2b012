/**
 * Menus: a button that opens one (Add Source, Scene Collection), and a context menu at the
 * pointer. WAI-ARIA menu pattern: arrow keys move, Enter or Space picks, the right arrow
 * opens a submenu and the left arrow closes it, Escape closes and gives focus back. The
 * popup is rendered in place with fixed positioning, so it also works inside modal dialogs.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/** One entry of a menu. */
export interface MenuItem {
  label: string;
  onSelect?: () => void;
  disabled?: boolean;
  /** A checkable item (shown with a tick). */
  checked?: boolean;
  /** Shown at the right, e.g. a hotkey. */
  hint?: string;
  /** A submenu. */
  items?: MenuEntry[];
}
export type MenuEntry = MenuItem | 'separator';

interface PopupProps {
  items: MenuEntry[];
  /** Viewport position of the popup's top-left (it flips to stay on screen). */
  at: { x: number; y: number };
  onClose: (reason: 'picked' | 'dismissed') => void;
  label: string;
  /** Where a submenu sits when it is one: the right edge of its parent item, to flip to the left of. */
  parentLeft?: number;
  id?: string;
}

function MenuPopup({ items, at, onClose, label, parentLeft, id }: PopupProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState(at);
  const [open, setOpen] = useState<{ index: number; at: { x: number; y: number }; left: number } | null>(null);
  const enabled = items.map((entry) => entry !== 'separator' && !entry.disabled);

  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const rect = element.getBoundingClientRect();
    const x = at.x + rect.width > innerWidth - 4 ? Math.max(4, (parentLeft ?? innerWidth) - rect.width) : at.x;
    const y = at.y + rect.height > innerHeight - 4 ? Math.max(4, innerHeight - rect.height - 4) : at.y;
    setPosition({ x, y });
    const first = element.querySelector<HTMLElement>('[role^="menuitem"]:not([aria-disabled="true"])');
    first?.focus();
  }, [at, parentLeft]);

  const focusables = () => [...(ref.current?.querySelectorAll<HTMLElement>(':scope > [role^="menuitem"]') ?? [])];
  const move = (delta: number) => {
    const list = focusables();
    const current = list.indexOf(document.activeElement as HTMLElement);
    for (let step = 1; step <= list.length; step++) {
      const next = list[(current + delta * step + list.length * step) % list.length];
      if (next && next.getAttribute('aria-disabled') !== 'true') {
        next.focus();
        return;
      }
    }
  };
  const openSubmenu = (index: number, element: HTMLElement) => {
    const rect = element.getBoundingClientRect();
    setOpen({ index, at: { x: rect.right - 2, y: rect.top - 4 }, left: rect.left });
  };

  return (
    <div
      ref={ref}
      id={id}
      className="menu"
      role="menu"
      aria-label={label}
      style={{ left: position.x, top: position.y }}
      onKeyDown={(event) => {
        if (event.target !== document.activeElement) return;
        if (event.key === 'ArrowDown') move(1);
        else if (event.key === 'ArrowUp') move(-1);
        else if (event.key === 'Home') focusables()[0]?.focus();
        else if (event.key === 'End') focusables().at(-1)?.focus();
        else if (event.key === 'Escape' || (event.key === 'ArrowLeft' && parentLeft !== undefined)) onClose('dismissed');
        else if (event.key === 'Tab') onClose('dismissed');
        else return;
        event.preventDefault();
        event.stopPropagation();
      }}
    >
      {items.map((entry, index) => {
        if (entry === 'separator') return <div key={`separator-${index}`} className="menu-separator" role="separator" />;
        const hasSubmenu = Boolean(entry.items?.length);
        const role = entry.checked === undefined ? 'menuitem' : 'menuitemcheckbox';
        return (
          <div
            key={`${entry.label}-${index}`}
            role={role}
            tabIndex={-1}
            className="menu-item"
            aria-disabled={enabled[index] ? undefined : true}
            aria-haspopup={hasSubmenu ? 'menu' : undefined}
            aria-expanded={hasSubmenu ? open?.index === index : undefined}
            aria-checked={entry.checked}
            onPointerEnter={(event) => {
              // The pointer and the keyboard share one highlight: hovering focuses the item.
              if (enabled[index]) event.currentTarget.focus();
              if (hasSubmenu && enabled[index]) openSubmenu(index, event.currentTarget);
              else if (open) setOpen(null);
            }}
            onClick={(event) => {
              if (!enabled[index]) return;
              if (hasSubmenu) return openSubmenu(index, event.currentTarget);
              onClose('picked');
              entry.onSelect?.();
            }}
            onKeyDown={(event) => {
              if (!enabled[index]) return;
              if ((event.key === 'ArrowRight' || event.key === 'Enter' || event.key === ' ') && hasSubmenu) {
                openSubmenu(index, event.currentTarget);
              } else if (event.key === 'Enter' || event.key === ' ') {
                onClose('picked');
                entry.onSelect?.();
              } else return;
              event.preventDefault();
              event.stopPropagation();
            }}
          >
            <span className="menu-check" aria-hidden="true">
              {entry.checked ? '✓' : ''}
            </span>
            <span className="menu-label">{entry.label}</span>
            {entry.hint && <span className="menu-hint">{entry.hint}</span>}
            {hasSubmenu && (
              <span className="menu-arrow" aria-hidden="true">
                ›
              </span>
            )}
          </div>
        );
      })}
      {open && (
        <MenuPopup
          items={(items[open.index] as MenuItem).items ?? []}
          at={open.at}
          parentLeft={open.left}
          label={(items[open.index] as MenuItem).label}
          onClose={(reason) => {
            setOpen(null);
            if (reason === 'picked') onClose('picked');
            else (ref.current?.querySelectorAll<HTMLElement>(':scope > [role^="menuitem"]')[open.index] ?? null)?.focus();
          }}
        />
      )}
    </div>
  );
}

/** Closes on a pointer press outside `element`. */
function useOutsidePress(element: () => HTMLElement | null, onOutside: () => void, active: boolean) {
  useEffect(() => {
    if (!active) return;
    const handler = (event: PointerEvent) => {
      const root = element();
      if (root && event.target instanceof Node && !root.contains(event.target)) onOutside();
    };
    // Capture: a press that starts a drag elsewhere still closes the menu.
    document.addEventListener('pointerdown', handler, true);
    return () => document.removeEventListener('pointerdown', handler, true);
  }, [element, onOutside, active]);
}

export interface MenuButtonProps {
  /** The button's accessible name (and the menu's). */
  label: string;
  /** What the button shows; the label by default. */
  children?: ReactNode;
  items: () => MenuEntry[];
  className?: string;
  title?: string;
  disabled?: boolean;
}

/** A button that opens a menu below it. */
export function MenuButton({ label, children, items, className, title, disabled }: MenuButtonProps) {
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const wrapperRef = useRef<HTMLSpanElement>(null);
  const menuId = useId();
  const close = (reason: 'picked' | 'dismissed') => {
    setAt(null);
    if (reason === 'dismissed') buttonRef.current?.focus();
  };
  const getWrapper = useRef(() => wrapperRef.current).current;
  const dismiss = useRef(() => setAt(null)).current;
  useOutsidePress(getWrapper, dismiss, at !== null);
  const open = () => {
    const rect = buttonRef.current?.getBoundingClientRect();
    if (rect) setAt({ x: rect.left, y: rect.bottom + 2 });
  };
  return (
    <span ref={wrapperRef} className="menu-anchor">
      <button
        ref={buttonRef}
        type="button"
        className={className}
        aria-label={children ? label : undefined}
        title={title ?? (children ? label : undefined)}
        aria-haspopup="menu"
        aria-expanded={at !== null}
        aria-controls={at ? menuId : undefined}
        disabled={disabled}
        onClick={() => (at ? setAt(null) : open())}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            open();
          }
        }}
      >
        {children ?? label}
      </button>
      {at && <MenuPopup id={menuId} items={items()} at={at} label={label} onClose={close} />}
    </span>
  );
}

export interface ContextMenuProps {
  at: { x: number; y: number };
  items: MenuEntry[];
  label: string;
  onClose: () => void;
}

/** A menu at a point (the pointer, or the selection for the keyboard's context-menu key). */
export function ContextMenu({ at, items, label, onClose }: ContextMenuProps) {
  const wrapperRef = useRef<HTMLDivElement>(null);
  // Where focus was (a list row, the editor): it goes back there unless the menu's choice moved it (a dialog).
  const returnTo = useRef(document.activeElement);
  useEffect(
    () => () => {
      const target = returnTo.current;
      if ((!document.activeElement || document.activeElement === document.body) && target instanceof HTMLElement && target.isConnected)
        target.focus();
    },
    [],
  );
  const getWrapper = useRef(() => wrapperRef.current).current;
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  const dismiss = useRef(() => closeRef.current()).current;
  useOutsidePress(getWrapper, dismiss, true);
  return (
    <div ref={wrapperRef} className="menu-anchor" onContextMenu={(event) => event.preventDefault()}>
      <MenuPopup items={items} at={at} label={label} onClose={() => onClose()} />
    </div>
  );
}
