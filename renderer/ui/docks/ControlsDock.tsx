/**
 * The Controls dock: Go Live / End Stream, Start / Stop Recording, Screenshot, Studio Mode
 * and Settings, with the live and recording timers. Streaming and recording go through the
 * `OutputsController`; where it says they are unavailable, the buttons are disabled and
 * the reason is shown, never faked.
 */
import { useState } from 'react';
import { useOutputs } from '../controls/OutputTimers.tsx';
import { useNow } from '../feedback/progress.tsx';
import { messageOf } from '../feedback/toasts.tsx';
import { formatDuration } from '../format.ts';
import { Dock } from '../layout/Dock.tsx';
import { useSnapshot, useStudio } from '../studio/context.tsx';

export function ControlsDock() {
  const studio = useStudio();
  const outputs = useOutputs(studio.outputs);
  const studioMode = useSnapshot((snapshot) => snapshot.studioMode);
  const [busy, setBusy] = useState<string | null>(null);
  const now = useNow(1000, outputs.stream.sinceMs !== null || outputs.recording.sinceMs !== null);
  const run = async (what: string, action: () => Promise<unknown>) => {
    setBusy(what);
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
  const unavailable = [
    ...new Set([outputs.unavailable.stream, outputs.unavailable.recording].filter((reason): reason is string => reason !== null)),
  ];

  return (
    <Dock title="Controls">
      <div className="controls">
        <button
          type="button"
          className={live ? 'control danger' : 'control primary'}
          disabled={busy !== null || (!live && outputs.unavailable.stream !== null)}
          onClick={() =>
            void run(live ? 'Ending the stream' : 'Going live', () => (live ? studio.outputs.endStream() : studio.outputs.goLive()))
          }
        >
          {live ? 'End Stream' : 'Go Live'}
          {live && outputs.stream.sinceMs !== null && <span className="control-timer">{formatDuration(now - outputs.stream.sinceMs)}</span>}
        </button>
        <button
          type="button"
          className={recording ? 'control danger' : 'control'}
          disabled={busy !== null || (!recording && outputs.unavailable.recording !== null)}
          onClick={() =>
            void run(recording ? 'Stopping the recording' : 'Starting the recording', () =>
              recording ? studio.outputs.stopRecording() : studio.outputs.startRecording(),
            )
          }
        >
          {recording ? 'Stop Recording' : 'Start Recording'}
          {recording && outputs.recording.sinceMs !== null && (
            <span className="control-timer">{formatDuration(now - outputs.recording.sinceMs)}</span>
          )}
        </button>
        {unavailable.map((reason) => (
          <p key={reason} className="dock-note">
            {reason}
          </p>
        ))}
        <button
          type="button"
          className="control"
          disabled={busy !== null}
          onClick={() =>
            void run('Taking a screenshot', async () => studio.toasts.success(`Screenshot saved: ${await studio.outputs.screenshot()}`))
          }
        >
          Screenshot
        </button>
        <button type="button" className="control" aria-pressed={studioMode} onClick={() => studio.setStudioMode(!studioMode)}>
          Studio Mode
        </button>
        <button type="button" className="control" onClick={() => studio.open({ kind: 'settings' })}>
          Settings
        </button>
      </div>
    </Dock>
  );
}
