/**
 * Settings → Hotkeys: every action (switch to each scene, Studio Mode's transition, Go Live,
 * End Stream, recording, screenshot) with its key. "Set" listens for the next key press
 * (Escape cancels); conflicts are flagged; bindings of scenes that are gone are dropped.
 */
import { useMemo, useState } from 'react';
import { Field } from '../components/fields.tsx';
import { hotkeyActions, isFixedAction, type HotkeyAction } from '../hotkeys/actions.ts';
import { bind, comboOf, conflicts, formatCombo, prune } from '../hotkeys/hotkeys.ts';
import { useCollection } from '../studio/context.tsx';
import type { SettingsPageProps } from './pages.tsx';

export function HotkeysPage({ draft, change }: SettingsPageProps) {
  const collection = useCollection();
  const [filter, setFilter] = useState('');
  const [listening, setListening] = useState<string | null>(null);
  const actions = useMemo(() => hotkeyActions(collection), [collection]);
  const known = useMemo(() => new Set(actions.map((action) => action.id)), [actions]);
  const bindings = prune(draft.settings.hotkeys, (id) => known.has(id) || isFixedAction(id));
  const clashes = conflicts(bindings);
  const setBinding = (id: string, combos: string[]) =>
    change({ ...draft, settings: { ...draft.settings, hotkeys: bind(bindings, id, combos) } });
  const shown = actions.filter((action) => action.label.toLowerCase().includes(filter.trim().toLowerCase()));
  const groups = [...new Set(shown.map((action) => action.group))];

  const row = (action: HotkeyAction) => {
    const combos = bindings[action.id] ?? [];
    const clash = combos.find((combo) => clashes.has(combo));
    return (
      <tr key={action.id}>
        <th scope="row">{action.label}</th>
        <td>
          {listening === action.id ? (
            <button
              type="button"
              className="hotkey-listen"
              autoFocus
              aria-label={`Press a key for ${action.label}`}
              onBlur={() => setListening(null)}
              onKeyDown={(event) => {
                event.preventDefault();
                event.stopPropagation();
                if (event.key === 'Escape') return setListening(null);
                const combo = comboOf(event.nativeEvent);
                if (!combo) return;
                setBinding(action.id, [combo]);
                setListening(null);
              }}
            >
              Press a key…
            </button>
          ) : (
            <span className={`hotkey${clash ? ' hotkey-clash' : ''}`}>
              {combos.length ? combos.map(formatCombo).join(', ') : 'Not set'}
            </span>
          )}
          {clash && <span className="field-hint warn"> also bound to another action</span>}
        </td>
        <td className="hotkey-buttons">
          <button type="button" aria-label={`Set hotkey for ${action.label}`} onClick={() => setListening(action.id)}>
            Set
          </button>
          <button
            type="button"
            aria-label={`Clear hotkey for ${action.label}`}
            disabled={combos.length === 0}
            onClick={() => setBinding(action.id, [])}
          >
            Clear
          </button>
        </td>
      </tr>
    );
  };

  return (
    <div className="settings-sections">
      <section aria-labelledby="hotkeys-heading">
        <h3 id="hotkeys-heading">Hotkeys</h3>
        <Field label="Filter actions">
          <input type="search" value={filter} onChange={(event) => setFilter(event.target.value)} />
        </Field>
        <table className="hotkeys-table" aria-label="Hotkeys">
          <tbody>
            {groups.map((group) => [
              <tr key={group} className="hotkeys-group">
                <th colSpan={3} scope="colgroup">
                  {group}
                </th>
              </tr>,
              ...shown.filter((action) => action.group === group).map(row),
            ])}
          </tbody>
        </table>
      </section>
    </div>
  );
}
