/**
 * The Controls dock: Go Live / End Stream, Start / Stop Recording, Screenshot, Studio Mode
 * and Settings, with the live and recording timers. Streaming and recording go through the
 * `OutputsController`; where it says they are unavailable, the buttons are disabled and
 * the reason is shown, never faked. While the stream reaches the local origin, its viewer link
 * (`viewer-link-state.ts`); after a recording or screenshot, where it was saved. The buttons are
 * a grid (`theme.css`): Go Live and recording full width with their timers beside them (named
 * timers, not part of the buttons' names), the others as many to a row as fit, so every control
 * shows without scrolling at 1280x720; the link and the notes run beneath them.
 */
import { useState } from 'react';
import { useOutputs } from '../controls/OutputTimers.tsx';
import { viewerLinkState } from '../controls/viewer-link-state.ts';
import { ViewerLink } from '../controls/ViewerLink.tsx';
import { useNow } from '../feedback/progress.tsx';
import { messageOf } from '../feedback/toasts.tsx';
import { formatDuration } from '../format.ts';
import { Dock } from '../layout/Dock.tsx';
import { useSnapshot, useStudio } from '../studio/context.tsx';

export function ControlsDock() {
  const studio = useStudio();
  const outputs = useOutputs(studio.outputs);
  const studioMode = useSnapshot((snapshot) => snapshot.studioMode);
  /** The control whose command runs; the others stay usable (record while going live). */
  const [busy, setBusy] = useState<'stream' | 'recording' | 'screenshot' | null>(null);
  const now = useNow(1000, outputs.stream.sinceMs !== null || outputs.recording.sinceMs !== null);
  const run = async (control: NonNullable<typeof busy>, what: string, action: () => Promise<unknown>) => {
    setBusy(control);
    try {
      await studio.progress.track(what, action());
    } catch (error) {
      studio.toasts.show('error', messageOf(error));
    } finally {
      setBusy(null);
    }
  };
  const live = outputs.stream.state !== 'offline';
  const recording = outputs.recording.state !== 'stopped';
  const viewer = viewerLinkState(outputs.host);
  const unavailable = [
    ...new Set([outputs.unavailable.stream, outputs.unavailable.recording].filter((reason): reason is string => reason !== null)),
  ];

  return (
    <Dock title="Controls">
      <div className="controls">
        <TimedControl
          on={live}
          labels={['Go Live', 'End Stream']}
          idleClass="primary"
          disabled={busy === 'stream' || (!live && outputs.unavailable.stream !== null)}
          onClick={() =>
            void run('stream', live ? 'Ending the stream' : 'Going live', () =>
              live ? studio.outputs.endStream() : studio.outputs.goLive(),
            )
          }
          timer={{ label: 'Live time', sinceMs: outputs.stream.sinceMs, now }}
        />
        <TimedControl
          on={recording}
          labels={['Start Recording', 'Stop Recording']}
          disabled={busy === 'recording' || (!recording && outputs.unavailable.recording !== null)}
          onClick={() =>
            void run('recording', recording ? 'Stopping the recording' : 'Starting the recording', () =>
              recording ? studio.outputs.stopRecording() : studio.outputs.startRecording(),
            )
          }
          timer={{ label: 'Recording time', sinceMs: outputs.recording.sinceMs, now }}
        />
        <button
          type="button"
          className="control"
          disabled={busy === 'screenshot'}
          onClick={() => void run('screenshot', 'Taking a screenshot', () => studio.outputs.screenshot())}
        >
          Screenshot
        </button>
        <button type="button" className="control" aria-pressed={studioMode} onClick={() => studio.setStudioMode(!studioMode)}>
          Studio Mode
        </button>
        <button type="button" className="control" onClick={() => studio.open({ kind: 'settings' })}>
          Settings
        </button>
        {unavailable.map((reason) => (
          <p key={reason} className="dock-note">
            {reason}
          </p>
        ))}
        {/* Right under the buttons, where a streamer looks for it: the address to hand viewers, once it plays. */}
        {viewer?.kind === 'link' && <ViewerLink url={viewer.url} label="Viewer link" />}
        {viewer?.kind === 'note' && (
          <p className="dock-note" role="status" aria-label="Hosting">
            {viewer.text}
          </p>
        )}
        {outputs.lastSaved && (
          <p className="dock-note saved-file" role="status" aria-label="Last saved file" title={outputs.lastSaved.path}>
            {outputs.lastSaved.kind === 'recording' ? 'Recording saved: ' : 'Screenshot saved: '}
            {outputs.lastSaved.path}
          </p>
        )}
      </div>
    </Dock>
  );
}

/**
 * A button that starts and stops something (the stream, the recording), named exactly for what a
 * click does, with the running timer beside it: a `timer` named `timer.label`, outside the button's name.
 */
function TimedControl(props: {
  on: boolean;
  /** [while off, while on] */
  labels: [string, string];
  idleClass?: string;
  disabled: boolean;
  onClick: () => void;
  timer: { label: string; sinceMs: number | null; now: number };
}) {
  const { on, timer } = props;
  return (
    <div className="control-row">
      <button
        type="button"
        className={`control ${on ? 'danger' : (props.idleClass ?? '')}`}
        disabled={props.disabled}
        onClick={props.onClick}
      >
        {props.labels[on ? 1 : 0]}
      </button>
      {on && timer.sinceMs !== null && (
        <span className="control-timer" role="timer" aria-label={timer.label}>
          {formatDuration(timer.now - timer.sinceMs)}
        </span>
      )}
    </div>
  );
}
