/**
 * The Controls dock: Go Live / End Stream, Start / Stop Recording, Screenshot, Studio Mode
 * and Settings, with the live and recording timers. Streaming and recording go through the
 * `OutputsController`; where it says they are unavailable, the buttons are disabled and
 * the reason is shown, never faked. While the local origin runs, its viewer link; after a
 * recording or screenshot, where it was saved. The buttons are a grid (`theme.css`): Go Live
 * and recording full width with their timers inline, the others as many to a row as fit, so
 * every control shows without scrolling at 1280x720; the link and the notes run beneath them.
 */
import { useState } from 'react';
import { useOutputs } from '../controls/OutputTimers.tsx';
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
  const origin = outputs.host?.localOrigin;
  const unavailable = [
    ...new Set([outputs.unavailable.stream, outputs.unavailable.recording].filter((reason): reason is string => reason !== null)),
  ];

  return (
    <Dock title="Controls">
      <div className="controls">
        <button
          type="button"
          className={live ? 'control wide danger' : 'control wide primary'}
          disabled={busy === 'stream' || (!live && outputs.unavailable.stream !== null)}
          onClick={() =>
            void run('stream', live ? 'Ending the stream' : 'Going live', () =>
              live ? studio.outputs.endStream() : studio.outputs.goLive(),
            )
          }
        >
          {live ? 'End Stream' : 'Go Live'}
          {live && outputs.stream.sinceMs !== null && <span className="control-timer">{formatDuration(now - outputs.stream.sinceMs)}</span>}
        </button>
        <button
          type="button"
          className={recording ? 'control wide danger' : 'control wide'}
          disabled={busy === 'recording' || (!recording && outputs.unavailable.recording !== null)}
          onClick={() =>
            void run('recording', recording ? 'Stopping the recording' : 'Starting the recording', () =>
              recording ? studio.outputs.stopRecording() : studio.outputs.startRecording(),
            )
          }
        >
          {recording ? 'Stop Recording' : 'Start Recording'}
          {recording && outputs.recording.sinceMs !== null && (
            <span className="control-timer">{formatDuration(now - outputs.recording.sinceMs)}</span>
          )}
        </button>
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
        {/* Right under the buttons, where a streamer looks for it: the address to hand viewers. */}
        {origin?.state === 'running' && origin.viewerUrl && <ViewerLink url={origin.viewerUrl} label="Viewer link" />}
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
