/**
 * The properties of each source type, as form fields. Every change is reported at once
 * (`onChange` with the whole new settings), so the dialog's live view follows it.
 */
import { useEffect, useState } from 'react';
import type { ScreenSource } from '../../../common/host/contract.ts';
import type { SourceSettings, TextStyle } from '../../../common/scene/schema.ts';
import { CheckboxField, ColorField, Field, NumberField, SelectField } from '../components/fields.tsx';
import { messageOf } from '../feedback/toasts.tsx';
import { useStudio } from '../studio/context.tsx';
import { deviceOptions, imageUrlFromFile, mediaUrlFromFile, useCameraLimits, useDevices } from './devices.ts';

type Of<K extends SourceSettings['kind']> = Extract<SourceSettings, { kind: K }>;

export interface SourceFormProps<S> {
  settings: S;
  onChange: (settings: S) => void;
  sourceId: string | null;
}

/** The form for any source type. `pendingKind` is an image or media source not added yet (no settings until a file). */
export function SourceSettingsForm({
  settings,
  pendingKind,
  onChange,
  sourceId,
}: {
  settings: SourceSettings | null;
  pendingKind?: 'image' | 'media';
  onChange: (settings: SourceSettings) => void;
  sourceId: string | null;
}) {
  const kind = settings?.kind ?? pendingKind;
  switch (kind) {
    case 'camera':
      return <CameraForm settings={settings as Of<'camera'>} onChange={onChange} sourceId={sourceId} />;
    case 'screen':
      return <ScreenForm settings={settings as Of<'screen'>} onChange={onChange} sourceId={sourceId} />;
    case 'image':
      return <FileForm kind="image" settings={settings as Of<'image'> | null} onChange={onChange} sourceId={sourceId} />;
    case 'media':
      return <FileForm kind="media" settings={settings as Of<'media'> | null} onChange={onChange} sourceId={sourceId} />;
    case 'text':
      return <TextForm settings={settings as Of<'text'>} onChange={onChange} sourceId={sourceId} />;
    case 'color':
      return <ColorForm settings={settings as Of<'color'>} onChange={onChange} sourceId={sourceId} />;
    case 'clock':
      return <ClockForm settings={settings as Of<'clock'>} onChange={onChange} sourceId={sourceId} />;
    case 'microphone':
      return <MicrophoneForm settings={settings as Of<'microphone'>} onChange={onChange} sourceId={sourceId} />;
    case 'desktopAudio':
      return <DesktopAudioForm sourceId={sourceId} />;
    default:
      return null;
  }
}

const RESOLUTIONS = ['640x360', '640x480', '960x540', '1280x720', '1600x900', '1920x1080', '2560x1440', '3840x2160'];
const FRAME_RATES = [10, 15, 20, 24, 25, 30, 50, 60];

function CameraForm({ settings, onChange }: SourceFormProps<Of<'camera'>>) {
  const devices = useDevices('videoinput');
  const limits = useCameraLimits(settings.deviceId);
  const current = `${settings.width}x${settings.height}`;
  const resolutions = [...new Set([...RESOLUTIONS.filter((value) => !limits || fits(value, limits)), current])].sort(byArea);
  const rates = [...new Set([...FRAME_RATES.filter((rate) => !limits || rate <= limits.frameRate), settings.fps])].sort((a, b) => a - b);
  return (
    <div className="form-grid">
      <SelectField
        label="Device"
        value={settings.deviceId ?? ''}
        options={deviceOptions(devices, 'Default camera', 'Camera')}
        onChange={(deviceId) => onChange({ ...settings, deviceId: deviceId || null })}
      />
      <SelectField
        label="Resolution"
        value={current}
        options={resolutions.map((value) => ({ value, label: value }))}
        onChange={(value) => {
          const [width, height] = value.split('x').map(Number);
          onChange({ ...settings, width: width!, height: height! });
        }}
      />
      <SelectField
        label="Frame rate"
        value={String(settings.fps)}
        options={rates.map((rate) => ({ value: String(rate), label: `${rate} fps` }))}
        onChange={(value) => onChange({ ...settings, fps: Number(value) })}
        {...(limits ? { hint: `This camera runs at up to ${Math.round(limits.frameRate)} fps.` } : {})}
      />
    </div>
  );
}

function fits(resolution: string, limits: { width: number; height: number }): boolean {
  const [width, height] = resolution.split('x').map(Number);
  return width! <= limits.width && height! <= limits.height;
}

function byArea(a: string, b: string): number {
  const area = (value: string) =>
    value
      .split('x')
      .map(Number)
      .reduce((x, y) => x * y, 1);
  return area(a) - area(b);
}

function ScreenForm({ settings, onChange, sourceId }: SourceFormProps<Of<'screen'>>) {
  const studio = useStudio();
  const [choices, setChoices] = useState<ScreenSource[] | null>(null);
  useEffect(() => {
    let live = true;
    studio.host.api.capture.listScreenSources().then(
      (list) => live && setChoices(list),
      (error: unknown) => {
        if (live) setChoices([]);
        studio.toasts.error('Listing screens and windows', error);
      },
    );
    return () => {
      live = false;
    };
  }, [studio]);
  return (
    <div className="form-grid">
      {choices && choices.length > 0 ? (
        <fieldset className="screen-picker">
          <legend>Screen or window</legend>
          {choices.map((choice) => (
            <label key={choice.id} className={`screen-choice${settings.captureSourceId === choice.id ? ' selected' : ''}`}>
              <input
                type="radio"
                name="screen-source"
                checked={settings.captureSourceId === choice.id}
                onChange={() => onChange({ ...settings, captureSourceId: choice.id })}
              />
              {choice.thumbnailDataUrl ? <img src={choice.thumbnailDataUrl} alt="" /> : <span className="screen-thumb-empty" />}
              <span>
                {choice.kind === 'screen' ? 'Screen' : 'Window'}: {choice.name}
              </span>
            </label>
          ))}
        </fieldset>
      ) : (
        <div className="field">
          <span className="field-label">Screen or window</span>
          <p className="field-hint">The browser asks what to share: a screen, a window or a tab.</p>
          <button type="button" disabled={!sourceId} onClick={() => sourceId && studio.engine.restartSource(sourceId)}>
            Choose what to share…
          </button>
        </div>
      )}
      <SelectField
        label="Frame rate"
        value={String(settings.fps)}
        options={[5, 10, 15, 24, 30, 60].map((rate) => ({ value: String(rate), label: `${rate} fps` }))}
        onChange={(value) => onChange({ ...settings, fps: Number(value) })}
      />
      <CheckboxField
        label="Capture audio too (where the platform shares it)"
        checked={settings.withAudio}
        onChange={(withAudio) => onChange({ ...settings, withAudio })}
      />
    </div>
  );
}

function FileForm({
  kind,
  settings,
  onChange,
}: {
  kind: 'image' | 'media';
  settings: Of<'image'> | Of<'media'> | null;
  onChange: (settings: SourceSettings) => void;
  sourceId: string | null;
}) {
  const studio = useStudio();
  const [note, setNote] = useState<string | null>(null);
  const media = settings?.kind === 'media' ? settings : null;
  return (
    <div className="form-grid">
      <Field
        label={kind === 'image' ? 'Image file' : 'Media file'}
        hint={note ?? (settings ? 'A file is chosen.' : 'Choose a file to show.')}
      >
        <input
          type="file"
          accept={kind === 'image' ? 'image/png,image/jpeg,image/webp,image/gif,image/avif' : 'video/*,audio/*'}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (!file) return;
            void (async () => {
              try {
                const chosen =
                  kind === 'image' ? await studio.progress.track(`Reading ${file.name}`, imageUrlFromFile(file)) : mediaUrlFromFile(file);
                setNote(chosen.note);
                onChange(
                  kind === 'image'
                    ? { kind: 'image', url: chosen.url }
                    : { kind: 'media', url: chosen.url, loop: media?.loop ?? true, restartOnActivate: media?.restartOnActivate ?? false },
                );
              } catch (error) {
                studio.toasts.show('error', `${file.name} could not be read: ${messageOf(error)}`);
              }
            })();
          }}
        />
      </Field>
      {kind === 'media' && (
        <>
          <CheckboxField
            label="Loop"
            checked={media?.loop ?? true}
            disabled={!media}
            onChange={(loop) => media && onChange({ ...media, loop })}
          />
          <CheckboxField
            label="Restart playback when the source becomes active"
            checked={media?.restartOnActivate ?? false}
            disabled={!media}
            onChange={(restartOnActivate) => media && onChange({ ...media, restartOnActivate })}
          />
        </>
      )}
    </div>
  );
}

const FONTS = [
  'sans-serif',
  'serif',
  'monospace',
  'system-ui',
  'Arial',
  'Helvetica',
  'Verdana',
  'Georgia',
  'Times New Roman',
  'Courier New',
  'DejaVu Sans',
];
const WEIGHTS = [
  { value: '400', label: 'Regular' },
  { value: '600', label: 'Semibold' },
  { value: '700', label: 'Bold' },
  { value: '900', label: 'Black' },
];

/** Font, size, colour, outline and background: shared by text, clock and countdown. */
function TextStyleFields({ style, onChange }: { style: TextStyle; onChange: (style: TextStyle) => void }) {
  return (
    <>
      <Field label="Font">
        <input
          list="tally-fonts"
          value={style.fontFamily}
          maxLength={200}
          onChange={(event) => event.target.value && onChange({ ...style, fontFamily: event.target.value })}
        />
        <datalist id="tally-fonts">
          {FONTS.map((font) => (
            <option key={font} value={font} />
          ))}
        </datalist>
      </Field>
      <NumberField
        label="Size"
        unit="px"
        value={style.fontSizePx}
        min={4}
        max={1000}
        onChange={(fontSizePx) => onChange({ ...style, fontSizePx })}
      />
      <SelectField
        label="Weight"
        value={String(style.fontWeight)}
        options={
          WEIGHTS.some((weight) => weight.value === String(style.fontWeight))
            ? WEIGHTS
            : [...WEIGHTS, { value: String(style.fontWeight), label: String(style.fontWeight) }]
        }
        onChange={(value) => onChange({ ...style, fontWeight: Number(value) })}
      />
      <CheckboxField label="Italic" checked={style.italic} onChange={(italic) => onChange({ ...style, italic })} />
      <SelectField
        label="Alignment"
        value={style.align}
        options={[
          { value: 'left', label: 'Left' },
          { value: 'center', label: 'Centre' },
          { value: 'right', label: 'Right' },
        ]}
        onChange={(align) => onChange({ ...style, align })}
      />
      <ColorField label="Colour" value={style.color} alpha onChange={(color) => onChange({ ...style, color })} />
      <NumberField
        label="Outline"
        unit="px"
        value={style.outline.widthPx}
        min={0}
        max={100}
        onChange={(widthPx) => onChange({ ...style, outline: { ...style.outline, widthPx } })}
      />
      <ColorField
        label="Outline colour"
        value={style.outline.color}
        onChange={(color) => onChange({ ...style, outline: { ...style.outline, color } })}
      />
      <ColorField
        label="Background"
        value={style.background.color}
        alpha
        onChange={(color) => onChange({ ...style, background: { ...style.background, color } })}
      />
      <NumberField
        label="Background padding"
        unit="px"
        value={style.background.paddingPx}
        min={0}
        max={500}
        onChange={(paddingPx) => onChange({ ...style, background: { ...style.background, paddingPx } })}
      />
    </>
  );
}

function TextForm({ settings, onChange }: SourceFormProps<Of<'text'>>) {
  return (
    <div className="form-grid">
      <Field label="Text">
        <textarea
          value={settings.text}
          rows={3}
          maxLength={10_000}
          onChange={(event) => onChange({ ...settings, text: event.target.value })}
        />
      </Field>
      <TextStyleFields style={settings.style} onChange={(style) => onChange({ ...settings, style })} />
    </div>
  );
}

function ColorForm({ settings, onChange }: SourceFormProps<Of<'color'>>) {
  return (
    <div className="form-grid">
      <ColorField label="Colour" value={settings.color} alpha onChange={(color) => onChange({ ...settings, color })} />
      <NumberField
        label="Width"
        unit="px"
        value={settings.width}
        min={1}
        max={16384}
        onChange={(width) => onChange({ ...settings, width: Math.round(width) })}
      />
      <NumberField
        label="Height"
        unit="px"
        value={settings.height}
        min={1}
        max={16384}
        onChange={(height) => onChange({ ...settings, height: Math.round(height) })}
      />
    </div>
  );
}

/** `datetime-local` value of an epoch time, in local time. */
function toLocalInput(epochMs: number): string {
  const date = new Date(epochMs - new Date(epochMs).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

function ClockForm({ settings, onChange }: SourceFormProps<Of<'clock'>>) {
  const countdown = settings.mode === 'countdown';
  return (
    <div className="form-grid">
      <SelectField
        label="Shows"
        value={settings.mode}
        options={[
          { value: 'clock', label: 'The time of day' },
          { value: 'countdown', label: 'A countdown' },
        ]}
        onChange={(mode) =>
          onChange({
            ...settings,
            mode,
            targetEpochMs: mode === 'countdown' ? (settings.targetEpochMs ?? Date.now() + 5 * 60_000) : settings.targetEpochMs,
          })
        }
      />
      {countdown && (
        <>
          <Field label="Counts down to">
            <input
              type="datetime-local"
              value={toLocalInput(settings.targetEpochMs ?? Date.now())}
              onChange={(event) => {
                const target = new Date(event.target.value).getTime();
                if (Number.isFinite(target)) onChange({ ...settings, targetEpochMs: target });
              }}
            />
          </Field>
          <Field label="Then shows">
            <input value={settings.endText} maxLength={200} onChange={(event) => onChange({ ...settings, endText: event.target.value })} />
          </Field>
        </>
      )}
      <CheckboxField
        label="Show seconds"
        checked={settings.showSeconds}
        onChange={(showSeconds) => onChange({ ...settings, showSeconds })}
      />
      <TextStyleFields style={settings.style} onChange={(style) => onChange({ ...settings, style })} />
    </div>
  );
}

function MicrophoneForm({ settings, onChange }: SourceFormProps<Of<'microphone'>>) {
  const devices = useDevices('audioinput');
  return (
    <div className="form-grid">
      <SelectField
        label="Device"
        value={settings.deviceId ?? ''}
        options={deviceOptions(devices, 'Default microphone', 'Microphone')}
        onChange={(deviceId) => onChange({ ...settings, deviceId: deviceId || null })}
      />
    </div>
  );
}

function DesktopAudioForm({ sourceId }: { sourceId: string | null }) {
  const studio = useStudio();
  return (
    <div className="form-grid">
      <p className="field-hint">
        Desktop audio comes with a shared screen or tab: the browser asks what to share, and offers sound where the platform has it (a tab
        everywhere; the whole screen on Windows and ChromeOS).
      </p>
      <button type="button" disabled={!sourceId} onClick={() => sourceId && studio.engine.restartSource(sourceId)}>
        Choose what to share…
      </button>
    </div>
  );
}
