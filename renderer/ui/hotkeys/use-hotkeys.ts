/**
 * Listens for the bound hotkeys while the main window has focus. A key without Ctrl, Alt
 * or Meta does not fire while the user types in a field; none fire while a dialog is open
 * (Settings records new bindings there) or when another handler already took the key.
 */
import { useEffect } from 'react';
import type { Studio } from '../studio/studio.ts';
import { runHotkeyAction } from './actions.ts';
import { actionsFor, comboOf, hasCommandModifier } from './hotkeys.ts';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'range', 'color'].includes(target.type);
}

export function useHotkeys(studio: Studio): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat || document.querySelector('dialog[open]')) return;
      const combo = comboOf(event);
      if (!combo) return;
      if (isTyping(event.target) && !hasCommandModifier(combo)) return;
      const actions = actionsFor(studio.settings.get().hotkeys, combo);
      if (actions.length === 0) return;
      event.preventDefault();
      for (const action of actions) void runHotkeyAction(studio, action);
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [studio]);
}
