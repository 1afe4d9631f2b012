import { describe, expect, it } from 'vitest';
import { type HotkeySettings, KeyCombo } from '../../../common/settings/studio-settings.ts';
import { actionsFor, bind, comboOf, conflicts, formatCombo, hasCommandModifier, prune } from './hotkeys.ts';

const key = (code: string, modifiers: Partial<{ ctrlKey: boolean; altKey: boolean; shiftKey: boolean; metaKey: boolean }> = {}) => ({
  code,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  ...modifiers,
});

describe('hotkeys', () => {
  it('reads a combination from a key press, modifiers in a fixed order, and none from a modifier alone', () => {
    expect(comboOf(key('KeyS', { shiftKey: true, ctrlKey: true }))).toBe('Ctrl+Shift+KeyS');
    expect(comboOf(key('F5'))).toBe('F5');
    expect(comboOf(key('ShiftLeft', { shiftKey: true }))).toBeNull();
    expect(comboOf(key(''))).toBeNull();
  });

  it('every combination it reads is one the settings accept', () => {
    for (const code of ['KeyA', 'Digit0', 'Numpad9', 'F12', 'Space', 'ArrowUp', 'BracketLeft'])
      expect(KeyCombo.safeParse(comboOf(key(code, { ctrlKey: true, altKey: true, shiftKey: true, metaKey: true }))).success).toBe(true);
  });

  it('shows combinations the way people write them', () => {
    expect(formatCombo('Ctrl+Shift+KeyS')).toBe('Ctrl+Shift+S');
    expect(formatCombo('Alt+Digit1')).toBe('Alt+1');
    expect(formatCombo('Numpad3')).toBe('Num 3');
    expect(formatCombo('Ctrl+ArrowRight')).toBe('Ctrl+→');
    expect(formatCombo('F9')).toBe('F9');
  });

  it('knows which combinations may fire while the user types', () => {
    expect(hasCommandModifier('Ctrl+KeyL')).toBe(true);
    expect(hasCommandModifier('Alt+Shift+KeyL')).toBe(true);
    expect(hasCommandModifier('Shift+KeyL')).toBe(false);
    expect(hasCommandModifier('F5')).toBe(false);
  });

  it('binds, finds, reports conflicts and forgets actions that are gone', () => {
    let bindings: HotkeySettings = {};
    bindings = bind(bindings, 'scene.switch:a', ['Ctrl+Digit1', 'Ctrl+Digit1']);
    bindings = bind(bindings, 'outputs.screenshot', ['Ctrl+Digit1']);
    bindings = bind(bindings, 'studio.transition', ['Ctrl+Enter']);
    expect(bindings['scene.switch:a']).toEqual(['Ctrl+Digit1']);
    expect(actionsFor(bindings, 'Ctrl+Digit1')).toEqual(['scene.switch:a', 'outputs.screenshot']);
    expect([...conflicts(bindings)]).toEqual([['Ctrl+Digit1', ['scene.switch:a', 'outputs.screenshot']]]);
    expect(Object.keys(bind(bindings, 'studio.transition', []))).toEqual(['scene.switch:a', 'outputs.screenshot']);
    expect(Object.keys(prune(bindings, (action) => !action.startsWith('scene.')))).toEqual(['outputs.screenshot', 'studio.transition']);
  });
});
