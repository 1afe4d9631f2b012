/** Settings → Audio: the mixer's sample rate, where monitored sound plays, and the default camera and microphone. */
import { SAMPLE_RATES } from '../../../common/settings/studio-settings.ts';
import { SelectField } from '../components/fields.tsx';
import { deviceOptions, useDevices } from '../sources/devices.ts';
import type { SettingsPageProps } from './pages.tsx';

export function AudioPage({ draft, change }: SettingsPageProps) {
  const audio = draft.settings.audio;
  const outputs = useDevices('audiooutput');
  const microphones = useDevices('audioinput');
  const cameras = useDevices('videoinput');
  const set = (patch: Partial<typeof audio>) => change({ ...draft, settings: { ...draft.settings, audio: { ...audio, ...patch } } });
  return (
    <div className="settings-sections">
      <section aria-labelledby="audio-heading">
        <h3 id="audio-heading">Audio</h3>
        <div className="form-grid">
          <SelectField
            label="Sample rate"
            value={String(audio.sampleRate)}
            options={SAMPLE_RATES.map((rate) => ({ value: String(rate), label: `${(rate / 1000).toFixed(1)} kHz` }))}
            onChange={(value) => set({ sampleRate: Number(value) as (typeof SAMPLE_RATES)[number] })}
            hint="48 kHz suits every platform; a change restarts the studio's engine."
          />
          <SelectField
            label="Monitoring device"
            value={audio.monitoringDeviceId ?? ''}
            options={deviceOptions(outputs, 'Default output', 'Output')}
            onChange={(value) => set({ monitoringDeviceId: value || null })}
            hint="Where sources set to monitoring play."
          />
        </div>
      </section>
      <section aria-labelledby="devices-heading">
        <h3 id="devices-heading">Devices for new sources</h3>
        <div className="form-grid">
          <SelectField
            label="Camera"
            value={audio.defaultCameraId ?? ''}
            options={deviceOptions(cameras, 'Default camera', 'Camera')}
            onChange={(value) => set({ defaultCameraId: value || null })}
          />
          <SelectField
            label="Microphone"
            value={audio.defaultMicrophoneId ?? ''}
            options={deviceOptions(microphones, 'Default microphone', 'Microphone')}
            onChange={(value) => set({ defaultMicrophoneId: value || null })}
          />
        </div>
      </section>
    </div>
  );
}
