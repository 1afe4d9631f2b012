/**
 * Settings → Output: the encoder (video bitrate, keyframe interval, AAC bitrate, hardware or software), the
 * recordings folder and the recording format (hybrid MP4, fragmented MP4 or FLV, from the next recording).
 * These live in the host's outputs service and apply at once (the dialog offers Close here, not OK
 * and Apply), through the studio's `OutputsController`.
 */
import { useEffect, useState } from 'react';
import type { EncoderAcceleration } from '../../../common/host/outputs-contract.ts';
import { RECORDING_FORMAT_INFO, RECORDING_FORMATS, type RecordingFormat } from '../../../common/host/recording-format.ts';
import { outputsErrorMessage } from '../../outputs/studio-outputs.ts';
import { SelectField } from '../components/fields.tsx';
import { ACCELERATION_CHOICES, describeEncoder } from '../controls/encoder-label.ts';
import { useOutputs } from '../controls/OutputTimers.tsx';
import { useSnapshot, useStudio } from '../studio/context.tsx';
import './outputs-settings.css';

const FORMAT_CHOICES = RECORDING_FORMATS.map((value) => ({ value, label: RECORDING_FORMAT_INFO[value].label }));

/** Runs an outputs command and says how it went, in a status line the page shows. */
export function useOutputsCommand(): {
  message: string | null;
  /** Resolves true when the command succeeded. */
  attempt: (action: () => Promise<unknown>, done: string) => Promise<boolean>;
} {
  const [message, setMessage] = useState<string | null>(null);
  return {
    message,
    attempt: async (action, done) => {
      try {
        await action();
        setMessage(done);
        return true;
      } catch (failure) {
        setMessage(outputsErrorMessage(failure));
        return false;
      }
    },
  };
}

/** The last command's outcome, as a status line. */
export function CommandResult({ message }: { message: string | null }) {
  return message ? (
    <p role="status" aria-label="Settings result">
      {message}
    </p>
  ) : null;
}

export function OutputPage() {
  const studio = useStudio();
  const state = useOutputs(studio.outputs).host;
  const settings = state?.encoder.settings;
  const [videoKbps, setVideoKbps] = useState('');
  const [audioKbps, setAudioKbps] = useState('');
  const [keyframeSec, setKeyframeSec] = useState('');
  const [acceleration, setAcceleration] = useState<EncoderAcceleration>('prefer-hardware');
  const encoderInUse = useSnapshot((snapshot) => snapshot.stats.encoder);
  const [folder, setFolder] = useState('');
  /** null before a save, '' after one that worked, else why the host refused it. */
  const [folderError, setFolderError] = useState<string | null>(null);
  const { message, attempt } = useOutputsCommand();
  const recordingFolder = state?.recording.folder;
  useEffect(() => setFolder(recordingFolder ?? ''), [recordingFolder]);
  const savedFormat = state?.recording.format;
  const [format, setFormat] = useState<RecordingFormat>('hybrid-mp4');
  useEffect(() => {
    if (savedFormat) setFormat(savedFormat);
  }, [savedFormat]);
  // Primitives: the host sends its state every second while encoding, which must not undo what is being typed.
  const [savedVideo, savedAudio, savedKeyframe, savedAcceleration] = [
    settings?.videoBitrateKbps,
    settings?.audioBitrateKbps,
    settings?.keyframeIntervalSec,
    settings?.hardwareAcceleration,
  ];
  useEffect(() => {
    if (savedVideo === undefined) return;
    setVideoKbps(String(savedVideo));
    setAudioKbps(String(savedAudio));
    setKeyframeSec(String(savedKeyframe));
    if (savedAcceleration) setAcceleration(savedAcceleration);
  }, [savedVideo, savedAudio, savedKeyframe, savedAcceleration]);
  if (!state) return <p>Asking the host for its outputs…</p>;

  return (
    <div className="settings-sections output-page">
      <p className="field-hint">What you save here takes effect at once, also while live or recording.</p>
      <section aria-labelledby="encoder-heading">
        <h3 id="encoder-heading">Encoder</h3>
        <form
          aria-label="Encoder settings"
          className="output-form"
          onSubmit={(event) => {
            event.preventDefault();
            void attempt(
              () =>
                studio.outputs.api.setEncoderSettings({
                  videoBitrateKbps: Number(videoKbps),
                  audioBitrateKbps: Number(audioKbps),
                  keyframeIntervalSec: Number(keyframeSec),
                  hardwareAcceleration: acceleration,
                }),
              'Encoder settings saved',
            );
          }}
        >
          <label>
            Video bitrate (kbps)
            <input type="number" min={200} max={50000} value={videoKbps} onChange={(event) => setVideoKbps(event.target.value)} />
          </label>
          <label>
            Keyframe interval (s)
            <input type="number" min={1} max={10} value={keyframeSec} onChange={(event) => setKeyframeSec(event.target.value)} />
          </label>
          <label>
            Audio bitrate (kbps)
            <input type="number" min={64} max={320} value={audioKbps} onChange={(event) => setAudioKbps(event.target.value)} />
          </label>
          <SelectField label="Video encoder" value={acceleration} options={ACCELERATION_CHOICES} onChange={setAcceleration} />
          <button type="submit">Save encoder settings</button>
        </form>
        <p className="field-hint" aria-label="Video encoder in use">
          {encoderInUse ? `In use: ${describeEncoder(encoderInUse)}` : 'In use: none (the encoder runs while live or recording)'}
        </p>
        <p className="field-hint">
          Video: H.264 from the browser's encoder (WebCodecs), of the kind chosen above where the system offers it, any other otherwise;
          constant bitrate. Audio: AAC-LC, 48 kHz stereo, from ffmpeg. Twitch and YouTube ask for a 2 s keyframe interval.
        </p>
      </section>
      <section aria-labelledby="recording-heading">
        <h3 id="recording-heading">Recording</h3>
        <form
          aria-label="Recordings folder"
          className="output-form"
          onSubmit={(event) => {
            event.preventDefault();
            setFolderError(null);
            studio.outputs.api.setRecordingFolder(folder).then(
              () => setFolderError(''),
              (failure: unknown) => setFolderError(outputsErrorMessage(failure)),
            );
          }}
        >
          <label className="wide">
            Recordings folder
            <input
              value={folder}
              onChange={(event) => setFolder(event.target.value)}
              spellCheck={false}
              aria-invalid={Boolean(folderError)}
            />
          </label>
          <button type="submit">Save folder</button>
        </form>
        {/* Beside the field: a refused folder says why, and which folder recordings still go to. */}
        {folderError ? (
          <p role="alert">
            {folderError}. Recordings still go to {recordingFolder}.
          </p>
        ) : (
          folderError === '' && (
            <p role="status" aria-label="Recordings folder result">
              Recordings folder saved
            </p>
          )
        )}
        <div className="output-form recording-format">
          <SelectField
            label="Recording format"
            value={format}
            options={FORMAT_CHOICES}
            hint={`${RECORDING_FORMAT_INFO[format].description} Applies from the next recording.`}
            onChange={(chosen) => {
              setFormat(chosen);
              void attempt(
                () => studio.outputs.api.setRecordingFormat(chosen),
                `Recording format saved: ${RECORDING_FORMAT_INFO[chosen].label}, from the next recording`,
              ).then((saved) => {
                // Refused (the host unreachable): show the format that still applies.
                if (!saved && savedFormat) setFormat(savedFormat);
              });
            }}
          />
        </div>
        <dl className="facts">
          <dt>File names</dt>
          <dd>{state.recording.filenamePattern}</dd>
          <dt>Screenshots</dt>
          <dd>PNG at the output resolution, in Screenshots inside the recordings folder.</dd>
        </dl>
      </section>
      <CommandResult message={message} />
    </div>
  );
}
