/**
 * The first-run wizard: allow the camera and microphone (and choose which), then the output
 * resolution and frame rate, proposed from what the chosen camera gives. Finishing stores
 * the choices and starts the studio with the microphone as its global audio. Last, where to
 * go live: this computer (the local origin, hosted as the studio starts) or a platform or
 * server with its key, which the studio adds through its outputs once it runs (`GoLiveChoice`).
 * The allowed camera goes into the new scene as the studio starts (`WizardCamera`).
 * Afterwards Go Live is one click.
 */
import { useEffect, useRef, useState } from 'react';
import type { DestinationInput } from '../../../common/host/outputs-contract.ts';
import type { VideoSettings } from '../../../common/settings/studio-settings.ts';
import type { StudioHost } from '../../host/index.ts';
import { Dialog } from '../components/Dialog.tsx';
import { SelectField } from '../components/fields.tsx';
import { DestinationForm } from '../settings/DestinationForm.tsx';
import type { ProgressStore } from '../feedback/progress.tsx';
import { messageOf, type ToastStore } from '../feedback/toasts.tsx';
import { deviceOptions, probeCamera, useDevices } from '../sources/devices.ts';
import { globalMicrophone, newStudioCollection } from '../studio/new-collection.ts';
import type { SettingsStore } from '../studio/settings-store.ts';
import type { WizardCamera } from './first-camera.ts';
import { OUTPUT_FPS, OUTPUT_SIZES, proposeOutput } from './propose-output.ts';

type Permission = { state: 'unknown' | 'asking' | 'granted' } | { state: 'denied'; message: string };

export interface FirstRunWizardProps {
  host: StudioHost;
  settings: SettingsStore;
  toasts: ToastStore;
  progress: ProgressStore;
  /** Hears where the user chose to go live, when they finish (not when they skip). */
  onGoLiveChoice?: (choice: GoLiveChoice) => void;
  /** Hears the camera allowed and chosen, at the chosen output's size and rate, when they finish with one. */
  onCameraChoice?: (camera: WizardCamera) => void;
}

/** Where to go live, as chosen in the wizard: the local origin, or a destination to add. */
export type GoLiveChoice = { kind: 'local-origin' } | { kind: 'destination'; input: DestinationInput };

const STEPS = ['Camera and microphone', 'Video', 'Go live'] as const;

export function FirstRunWizard({ host, settings, toasts, progress, onGoLiveChoice, onCameraChoice }: FirstRunWizardProps) {
  const [step, setStep] = useState(0);
  const [permission, setPermission] = useState<Permission>({ state: 'unknown' });
  const [cameraId, setCameraId] = useState<string>('');
  const [microphoneId, setMicrophoneId] = useState<string>('');
  const [output, setOutput] = useState<VideoSettings['output']>(settings.get().video.output);
  const [proposal, setProposal] = useState<string | null>(null);
  const [finishing, setFinishing] = useState(false);
  const [target, setTarget] = useState<'local-origin' | 'destination'>('local-origin');
  const [destination, setDestination] = useState<DestinationInput | null>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const cameras = useDevices('videoinput');
  const microphones = useDevices('audioinput');
  const granted = permission.state === 'granted';

  const stopPreview = () => {
    for (const track of streamRef.current?.getTracks() ?? []) track.stop();
    streamRef.current = null;
  };
  useEffect(() => stopPreview, []);

  // The chosen camera, live, while its step shows.
  useEffect(() => {
    if (!granted || step !== 0) return;
    let live = true;
    void navigator.mediaDevices.getUserMedia({ video: cameraId ? { deviceId: { exact: cameraId } } : true, audio: false }).then(
      (stream) => {
        if (!live) return stream.getTracks().forEach((track) => track.stop());
        stopPreview();
        streamRef.current = stream;
        if (videoRef.current) videoRef.current.srcObject = stream;
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [granted, cameraId, step]);

  const allow = async () => {
    setPermission({ state: 'asking' });
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      const video = stream.getVideoTracks()[0]?.getSettings().deviceId ?? '';
      const audio = stream.getAudioTracks()[0]?.getSettings().deviceId ?? '';
      for (const track of stream.getTracks()) track.stop();
      setCameraId(video);
      setMicrophoneId(audio === 'default' ? '' : audio);
      setPermission({ state: 'granted' });
    } catch (error) {
      setPermission({ state: 'denied', message: messageOf(error) });
    }
  };

  const toVideo = async () => {
    stopPreview();
    setStep(1);
    if (!granted) return;
    const limits = await probeCamera(cameraId || null);
    const proposed = proposeOutput(limits);
    setOutput(proposed);
    setProposal(
      limits
        ? `Proposed from your camera (${limits.width}x${limits.height} at up to ${Math.round(limits.frameRate)} fps): ${proposed.width}x${proposed.height} at ${proposed.fps} fps.`
        : `Your camera did not say what it gives: ${proposed.width}x${proposed.height} at ${proposed.fps} fps suits most.`,
    );
  };

  const finish = async (skip: boolean) => {
    stopPreview();
    setFinishing(true);
    try {
      await progress.track('Setting up the studio', async () => {
        const current = settings.get();
        const chosenOutput = skip ? current.video.output : output;
        if (!skip && !(await host.api.scenes.loadCollection().catch(() => null))) {
          await host.api.scenes.saveCollection(
            newStudioCollection({
              id: 'untitled',
              name: 'Untitled',
              canvas: { width: chosenOutput.width, height: chosenOutput.height },
              globalSources: granted ? [globalMicrophone(microphoneId || null)] : [],
            }),
          );
        }
        // Before the studio can start (which this update lets it do), so it finds the choice.
        if (!skip)
          onGoLiveChoice?.(
            target === 'destination' && destination ? { kind: 'destination', input: destination } : { kind: 'local-origin' },
          );
        if (!skip && granted) onCameraChoice?.({ deviceId: cameraId || null, ...chosenOutput });
        await settings.update({
          video: { output: chosenOutput },
          audio: skip ? current.audio : { ...current.audio, defaultCameraId: cameraId || null, defaultMicrophoneId: microphoneId || null },
          firstRun: { completedAtMs: Date.now() },
        });
      });
    } catch (error) {
      toasts.error('Finishing the setup', error);
      setFinishing(false);
    }
  };

  const sizeValue = `${output.width}x${output.height}`;
  const sizes = OUTPUT_SIZES.map((size) => `${size.width}x${size.height}`);
  return (
    <Dialog
      title="Welcome to Tally"
      className="wizard"
      onClose={() => void finish(true)}
      footer={
        <>
          <button type="button" className="text-button" disabled={finishing} onClick={() => void finish(true)}>
            Skip setup
          </button>
          <span className="toolbar-gap" />
          {step > 0 && (
            <button type="button" disabled={finishing} onClick={() => setStep(step - 1)}>
              Back
            </button>
          )}
          {step < STEPS.length - 1 ? (
            <button
              type="button"
              className="primary"
              disabled={permission.state === 'asking'}
              onClick={() => (step === 0 ? void toVideo() : setStep(step + 1))}
            >
              Next
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              disabled={finishing || (target === 'destination' && !destination)}
              onClick={() => void finish(false)}
            >
              Finish
            </button>
          )}
        </>
      }
    >
      <ol className="wizard-steps" aria-label="Setup steps">
        {STEPS.map((name, index) => (
          <li
            key={name}
            aria-current={index === step ? 'step' : undefined}
            className={index === step ? 'current' : index < step ? 'done' : ''}
          >
            {name}
          </li>
        ))}
      </ol>
      {step === 0 ? (
        <section className="wizard-page" aria-label="Camera and microphone">
          <p>
            Tally needs your camera and microphone to show and hear you. The browser asks once; you can change devices later in each
            source's properties.
          </p>
          {!granted && (
            <button type="button" className="primary" disabled={permission.state === 'asking'} onClick={() => void allow()}>
              Allow camera and microphone
            </button>
          )}
          {permission.state === 'denied' && (
            <p role="alert" className="warn">
              The camera and microphone were not allowed ({permission.message}). Allow them in the browser's site settings and try again, or
              carry on without them.
            </p>
          )}
          {granted && (
            <div className="wizard-devices">
              <video ref={videoRef} className="wizard-camera" autoPlay muted playsInline aria-label="Camera preview" />
              <div className="form-grid">
                <SelectField
                  label="Camera"
                  value={cameraId}
                  options={cameras.map((device, index) => ({ value: device.deviceId, label: device.label || `Camera ${index + 1}` }))}
                  onChange={setCameraId}
                />
                <SelectField
                  label="Microphone"
                  value={microphoneId}
                  options={deviceOptions(microphones, 'Default microphone', 'Microphone')}
                  onChange={setMicrophoneId}
                />
              </div>
            </div>
          )}
        </section>
      ) : step === 2 ? (
        <section className="wizard-page" aria-label="Go live">
          <fieldset className="wizard-choice">
            <legend>Where should Go Live send your stream?</legend>
            <label>
              <input type="radio" name="go-live-target" checked={target === 'local-origin'} onChange={() => setTarget('local-origin')} />
              This computer: Tally hosts it, and viewers open a link (no account needed)
            </label>
            <label>
              <input type="radio" name="go-live-target" checked={target === 'destination'} onChange={() => setTarget('destination')} />
              Twitch, YouTube, Facebook or another RTMP(S) server
            </label>
          </fieldset>
          {target === 'destination' &&
            (destination ? (
              <p role="status">
                {destination.name} ({destination.serverUrl || 'its usual server'}) will be added when you finish.{' '}
                <button type="button" className="text-button" onClick={() => setDestination(null)}>
                  Change
                </button>
              </p>
            ) : (
              <DestinationForm submitLabel="Use this destination" onSave={async (input) => setDestination(input)} />
            ))}
          <p className="field-hint">You can add more destinations later in Settings → Stream. After this, Go Live is one click.</p>
        </section>
      ) : (
        <section className="wizard-page" aria-label="Video">
          <p>{proposal ?? 'The size and frame rate of the picture you send. 1280x720 at 30 fps suits most connections.'}</p>
          <div className="form-grid">
            <SelectField
              label="Output resolution"
              value={sizeValue}
              options={[...new Set([...sizes, sizeValue])].map((value) => ({ value, label: value }))}
              onChange={(value) => {
                const [width, height] = value.split('x').map(Number);
                setOutput({ ...output, width: width!, height: height! });
              }}
            />
            <SelectField
              label="Frame rate"
              value={String(output.fps)}
              options={[...new Set([...OUTPUT_FPS, output.fps])]
                .sort((a, b) => a - b)
                .map((rate) => ({ value: String(rate), label: `${rate} fps` }))}
              onChange={(value) => setOutput({ ...output, fps: Number(value) })}
            />
          </div>
          <p className="field-hint">You can change these later in Settings → Video.</p>
        </section>
      )}
    </Dialog>
  );
}
