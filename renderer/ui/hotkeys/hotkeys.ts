/**
 * Hotkeys, pure: a key combination is written `Ctrl+Alt+Shift+Meta+<code>` (modifiers in
 * that order, then `KeyboardEvent.code`, so a binding means the same key on any layout),
 * read from a key event, shown to people (`Ctrl+Shift+S`), and looked up in the bindings.
 */
import type { HotkeySettings } from '../../../common/settings/studio-settings.ts';

/** The parts of a KeyboardEvent a combination is read from. */
export interface KeyLike {
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

const MODIFIER_CODES = new Set([
  'ControlLeft',
  'ControlRight',
  'AltLeft',
  'AltRight',
  'ShiftLeft',
  'ShiftRight',
  'MetaLeft',
  'MetaRight',
  'OSLeft',
  'OSRight',
]);

/** The combination of a key press, or null for a modifier alone (or a key with no code). */
export function comboOf(event: KeyLike): string | null {
  if (!event.code || MODIFIER_CODES.has(event.code) || !/^[A-Za-z0-9]{1,24}$/.test(event.code)) return null;
  return `${event.ctrlKey ? 'Ctrl+' : ''}${event.altKey ? 'Alt+' : ''}${event.shiftKey ? 'Shift+' : ''}${event.metaKey ? 'Meta+' : ''}${event.code}`;
}

/** Whether a combination has Ctrl, Alt or Meta (safe to fire while a text field has focus). */
export function hasCommandModifier(combo: string): boolean {
  return /(^|\+)(Ctrl|Alt|Meta)\+/.test(combo);
}

const KEY_NAMES: Record<string, string> = {
  Space: 'Space',
  Enter: 'Enter',
  Escape: 'Esc',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Tab: 'Tab',
  ArrowUp: '↑',
  ArrowDown: '↓',
  ArrowLeft: '←',
  ArrowRight: '→',
  Minus: '-',
  Equal: '=',
  BracketLeft: '[',
  BracketRight: ']',
  Semicolon: ';',
  Quote: "'",
  Backquote: '`',
  Backslash: '\\',
  Comma: ',',
  Period: '.',
  Slash: '/',
  PageUp: 'Page Up',
  PageDown: 'Page Down',
};

/** How a combination reads: `Ctrl+Shift+KeyS` → `Ctrl+Shift+S`, `Digit1` → `1`, `Numpad1` → `Num 1`. */
export function formatCombo(combo: string): string {
  const parts = combo.split('+');
  const code = parts.pop() ?? '';
  const key = /^Key[A-Z]$/.test(code)
    ? code.slice(3)
    : /^Digit\d$/.test(code)
      ? code.slice(5)
      : /^Numpad/.test(code)
        ? `Num ${code.slice(6)}`
        : (KEY_NAMES[code] ?? code);
  return [...parts, key].join('+');
}

/** The actions bound to a combination. */
export function actionsFor(bindings: HotkeySettings, combo: string): string[] {
  return Object.entries(bindings)
    .filter(([, combos]) => combos.includes(combo))
    .map(([action]) => action);
}

/** Combinations bound to more than one action, with those actions. */
export function conflicts(bindings: HotkeySettings): Map<string, string[]> {
  const byCombo = new Map<string, string[]>();
  for (const [action, combos] of Object.entries(bindings)) {
    for (const combo of combos) byCombo.set(combo, [...(byCombo.get(combo) ?? []), action]);
  }
  return new Map([...byCombo].filter(([, actions]) => actions.length > 1));
}

/** Bindings with `action` bound to `combos` (an empty list removes it). */
export function bind(bindings: HotkeySettings, action: string, combos: string[]): HotkeySettings {
  const next = { ...bindings };
  if (combos.length === 0) delete next[action];
  else next[action] = [...new Set(combos)].slice(0, 4);
  return next;
}

/** Bindings without the actions that no longer exist (a removed scene's switch). */
export function prune(bindings: HotkeySettings, isKnown: (action: string) => boolean): HotkeySettings {
  return Object.fromEntries(Object.entries(bindings).filter(([action]) => isKnown(action)));
}
