/** Settings: pages on the left, the page on the right; OK, Cancel, Apply, or Close on a page whose changes apply at once. */
import { useId, useMemo, useRef, useState } from 'react';
import type { StudioSettingsPatch } from '../../../common/settings/studio-settings.ts';
import { Dialog } from '../components/Dialog.tsx';
import { useStudio } from '../studio/context.tsx';
import { SETTINGS_PAGES, type SettingsDraft } from './pages.tsx';

export function SettingsDialog({ initialPage }: { initialPage: string }) {
  const studio = useStudio();
  const saved = useMemo<SettingsDraft>(() => ({ settings: studio.settings.get(), canvas: studio.engine.collection.canvas }), [studio]);
  const [draft, setDraft] = useState<SettingsDraft>(saved);
  const [page, setPage] = useState(SETTINGS_PAGES.some((candidate) => candidate.id === initialPage) ? initialPage : 'general');
  const [applying, setApplying] = useState(false);
  const baseline = useRef(saved);
  const tabsId = useId();
  const changed = JSON.stringify(draft) !== JSON.stringify(baseline.current);

  const apply = async (): Promise<boolean> => {
    const before = baseline.current;
    const patch: StudioSettingsPatch = {};
    for (const section of ['video', 'audio', 'hotkeys'] as const) {
      if (JSON.stringify(draft.settings[section]) !== JSON.stringify(before.settings[section]))
        Object.assign(patch, { [section]: draft.settings[section] });
    }
    setApplying(true);
    try {
      if (draft.canvas.width !== before.canvas.width || draft.canvas.height !== before.canvas.height)
        studio.dispatch({ type: 'setCanvas', canvas: draft.canvas });
      if (draft.settings.audio.monitoringDeviceId !== before.settings.audio.monitoringDeviceId)
        await studio.engine
          .setMonitoringDevice(draft.settings.audio.monitoringDeviceId)
          .catch((error: unknown) => studio.toasts.error('Choosing the monitoring device', error));
      if (Object.keys(patch).length > 0) await studio.progress.track('Saving settings', studio.settings.update(patch));
      baseline.current = draft;
      return true;
    } catch (error) {
      studio.toasts.error('Saving settings', error);
      return false;
    } finally {
      setApplying(false);
    }
  };

  const current = SETTINGS_PAGES.find((candidate) => candidate.id === page) ?? SETTINGS_PAGES[0]!;
  const focusTab = (index: number) => {
    const target = SETTINGS_PAGES[(index + SETTINGS_PAGES.length) % SETTINGS_PAGES.length]!;
    setPage(target.id);
    requestAnimationFrame(() => document.getElementById(`${tabsId}-${target.id}`)?.focus());
  };

  return (
    <Dialog
      title="Settings"
      size="wide"
      className="settings-dialog"
      onClose={() => studio.closeDialog()}
      footer={
        current.appliesAtOnce ? (
          // This page's changes are already in effect: nothing to cancel; other pages' edits can still be applied.
          <>
            {changed && <span className="field-hint">Other pages have changes not applied yet.</span>}
            {changed && (
              <button type="button" disabled={applying} onClick={() => void apply()}>
                Apply
              </button>
            )}
            <button type="button" className="primary" onClick={() => studio.closeDialog()}>
              Close
            </button>
          </>
        ) : (
          <>
            <button type="button" onClick={() => studio.closeDialog()}>
              Cancel
            </button>
            <button type="button" disabled={!changed || applying} onClick={() => void apply()}>
              Apply
            </button>
            <button
              type="button"
              className="primary"
              disabled={applying}
              onClick={() => void apply().then((ok) => ok && studio.closeDialog())}
            >
              OK
            </button>
          </>
        )
      }
    >
      <div className="settings">
        <div className="settings-nav" role="tablist" aria-orientation="vertical" aria-label="Settings pages">
          {SETTINGS_PAGES.map((candidate, index) => (
            <button
              key={candidate.id}
              id={`${tabsId}-${candidate.id}`}
              type="button"
              role="tab"
              aria-selected={candidate.id === page}
              aria-controls={`${tabsId}-panel`}
              tabIndex={candidate.id === page ? 0 : -1}
              className="settings-tab"
              onClick={() => setPage(candidate.id)}
              onKeyDown={(event) => {
                if (event.key === 'ArrowDown') focusTab(index + 1);
                else if (event.key === 'ArrowUp') focusTab(index - 1);
                else return;
                event.preventDefault();
              }}
            >
              {candidate.label}
            </button>
          ))}
        </div>
        <div className="settings-page" id={`${tabsId}-panel`} role="tabpanel" aria-labelledby={`${tabsId}-${current.id}`}>
          <current.Page draft={draft} change={setDraft} />
        </div>
      </div>
    </Dialog>
  );
}
