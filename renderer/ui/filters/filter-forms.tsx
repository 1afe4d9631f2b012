/** The settings of each filter type as sliders and pickers; every change is reported at once. */
import type { FilterSettings } from '../../../common/scene/schema.ts';
import { ColorField, percent, SelectField, Slider } from '../components/fields.tsx';

type Of<K extends FilterSettings['kind']> = Extract<FilterSettings, { kind: K }>;

const signed = (value: number) => `${value > 0 ? '+' : ''}${Math.round(value * 100)}`;

export function FilterSettingsForm({ settings, onChange }: { settings: FilterSettings; onChange: (settings: FilterSettings) => void }) {
  switch (settings.kind) {
    case 'beauty':
      return <BeautyForm settings={settings} onChange={onChange} />;
    case 'chromaKey':
      return <ChromaKeyForm settings={settings} onChange={onChange} />;
    case 'colorCorrection':
      return <ColorCorrectionForm settings={settings} onChange={onChange} />;
    case 'privacy':
      return <PrivacyForm settings={settings} onChange={onChange} />;
  }
}

function BeautyForm({ settings, onChange }: { settings: Of<'beauty'>; onChange: (settings: FilterSettings) => void }) {
  return (
    <div className="form-grid">
      <Slider
        label="Smoothing"
        value={settings.smoothing}
        min={0}
        max={1}
        step={0.01}
        format={percent}
        onChange={(smoothing) => onChange({ ...settings, smoothing })}
      />
      <Slider
        label="Whitening"
        value={settings.whitening}
        min={0}
        max={1}
        step={0.01}
        format={percent}
        onChange={(whitening) => onChange({ ...settings, whitening })}
      />
      <Slider
        label="Sharpness"
        value={settings.sharpening}
        min={0}
        max={1}
        step={0.01}
        format={percent}
        onChange={(sharpening) => onChange({ ...settings, sharpening })}
      />
    </div>
  );
}

const KEY_COLORS = [
  { value: '#00ff00', label: 'Green' },
  { value: '#0000ff', label: 'Blue' },
  { value: '#ff00ff', label: 'Magenta' },
];

function ChromaKeyForm({ settings, onChange }: { settings: Of<'chromaKey'>; onChange: (settings: FilterSettings) => void }) {
  const preset = KEY_COLORS.find((color) => color.value === settings.keyColor.toLowerCase())?.value ?? 'custom';
  return (
    <div className="form-grid">
      <SelectField
        label="Key colour type"
        value={preset}
        options={[...KEY_COLORS, { value: 'custom', label: 'Custom' }]}
        onChange={(value) => onChange({ ...settings, keyColor: value === 'custom' ? settings.keyColor : value })}
      />
      <ColorField label="Key colour" value={settings.keyColor} onChange={(keyColor) => onChange({ ...settings, keyColor })} />
      <Slider
        label="Similarity"
        value={settings.similarity}
        min={0}
        max={1}
        step={0.005}
        format={percent}
        onChange={(similarity) => onChange({ ...settings, similarity })}
      />
      <Slider
        label="Smoothness"
        value={settings.smoothness}
        min={0}
        max={1}
        step={0.005}
        format={percent}
        onChange={(smoothness) => onChange({ ...settings, smoothness })}
      />
      <Slider
        label="Key colour spill reduction"
        value={settings.spillReduction}
        min={0}
        max={1}
        step={0.005}
        format={percent}
        onChange={(spillReduction) => onChange({ ...settings, spillReduction })}
      />
    </div>
  );
}

function ColorCorrectionForm({ settings, onChange }: { settings: Of<'colorCorrection'>; onChange: (settings: FilterSettings) => void }) {
  const slider = (key: 'brightness' | 'contrast' | 'saturation' | 'gamma', label: string) => (
    <Slider
      label={label}
      value={settings[key]}
      min={-1}
      max={1}
      step={0.01}
      format={signed}
      onChange={(value) => onChange({ ...settings, [key]: value })}
    />
  );
  return (
    <div className="form-grid">
      {slider('brightness', 'Brightness')}
      {slider('contrast', 'Contrast')}
      {slider('saturation', 'Saturation')}
      {slider('gamma', 'Gamma')}
      <Slider
        label="Hue shift"
        value={settings.hueShiftDeg}
        min={-180}
        max={180}
        step={1}
        format={(value) => `${Math.round(value)}°`}
        onChange={(hueShiftDeg) => onChange({ ...settings, hueShiftDeg })}
      />
    </div>
  );
}

function PrivacyForm({ settings, onChange }: { settings: Of<'privacy'>; onChange: (settings: FilterSettings) => void }) {
  return (
    <div className="form-grid">
      <SelectField
        label="Effect"
        value={settings.mode}
        options={[
          { value: 'blur', label: 'Blur' },
          { value: 'pixelate', label: 'Pixelate' },
        ]}
        onChange={(mode) => onChange({ ...settings, mode })}
      />
      <Slider
        label={settings.mode === 'blur' ? 'Blur radius' : 'Pixel size'}
        value={settings.sizePx}
        min={1}
        max={256}
        step={1}
        format={(value) => `${Math.round(value)} px`}
        onChange={(sizePx) => onChange({ ...settings, sizePx })}
      />
    </div>
  );
}
