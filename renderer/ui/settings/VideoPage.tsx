/**
 * Settings → Video: the base (canvas) resolution scenes are laid out on, the output
 * resolution the program is rendered and encoded at, and the frame rate. Sizes are typed
 * or picked, as in OBS; a changed output restarts the engine.
 */
import { useId, useState } from 'react';
import { Field, SelectField } from '../components/fields.tsx';
import { OUTPUT_FPS, OUTPUT_SIZES } from '../wizard/propose-output.ts';
import type { SettingsPageProps } from './pages.tsx';

/** `1280x720` → its numbers, when both are even and in range. */
export function parseResolution(value: string): { width: number; height: number } | null {
  const match = /^\s*(\d{2,4})\s*[x×]\s*(\d{2,4})\s*$/.exec(value);
  if (!match) return null;
  const width = Number(match[1]);
  const height = Number(match[2]);
  return width >= 16 && width <= 7680 && height >= 16 && height <= 4320 && width % 2 === 0 && height % 2 === 0 ? { width, height } : null;
}

function ResolutionField({
  label,
  value,
  onChange,
  hint,
}: {
  label: string;
  value: { width: number; height: number };
  onChange: (value: { width: number; height: number }) => void;
  hint: string;
}) {
  const [text, setText] = useState(`${value.width}x${value.height}`);
  const listId = useId();
  const valid = parseResolution(text) !== null;
  return (
    <Field label={label} hint={valid ? hint : 'Two even numbers, like 1280x720.'}>
      <input
        list={listId}
        value={text}
        aria-invalid={!valid}
        onChange={(event) => {
          setText(event.target.value);
          const parsed = parseResolution(event.target.value);
          if (parsed) onChange(parsed);
        }}
      />
      <datalist id={listId}>
        {OUTPUT_SIZES.map((size) => (
          <option key={`${size.width}x${size.height}`} value={`${size.width}x${size.height}`} />
        ))}
      </datalist>
    </Field>
  );
}

export function VideoPage({ draft, change }: SettingsPageProps) {
  const output = draft.settings.video.output;
  const rates = [...new Set([...OUTPUT_FPS, output.fps])].sort((a, b) => a - b);
  return (
    <div className="settings-sections">
      <section aria-labelledby="video-heading">
        <h3 id="video-heading">Video</h3>
        <div className="form-grid">
          <ResolutionField
            label="Base (canvas) resolution"
            value={draft.canvas}
            hint="The size scenes are laid out on, for this scene collection."
            onChange={(canvas) => change({ ...draft, canvas })}
          />
          <ResolutionField
            label="Output (scaled) resolution"
            value={output}
            hint="The size of the picture viewers get and recordings keep."
            onChange={(size) => change({ ...draft, settings: { ...draft.settings, video: { output: { ...output, ...size } } } })}
          />
          <SelectField
            label="Frame rate"
            value={String(output.fps)}
            options={rates.map((rate) => ({ value: String(rate), label: `${rate} fps` }))}
            onChange={(value) =>
              change({ ...draft, settings: { ...draft.settings, video: { output: { ...output, fps: Number(value) } } } })
            }
          />
        </div>
        <p className="field-hint">A new output size or frame rate restarts the studio's engine when you apply it.</p>
      </section>
    </div>
  );
}
