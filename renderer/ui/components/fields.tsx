/**
 * Labelled form controls shared by the dialogs: every control has a visible label that is
 * also its accessible name, so tests and screen readers find it by what the user reads.
 * Labels point at their control by id rather than wrapping it: a wrapping label would add
 * the control's own value (a slider's, a text field's) to its name.
 */
import { cloneElement, useId, type ReactElement, type ReactNode } from 'react';

type Control = ReactElement<{ id?: string }>;

/** A label above one control; extra children (a datalist) follow the control. */
export function Field({ label, children, hint }: { label: string; children: Control | [Control, ...ReactNode[]]; hint?: ReactNode }) {
  const fallbackId = useId();
  const [control, ...rest] = Array.isArray(children) ? children : [children];
  const id = control.props.id ?? fallbackId;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {cloneElement(control, { id })}
      {rest}
      {hint && <span className="field-hint">{hint}</span>}
    </div>
  );
}

export interface SliderProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange: (value: number) => void;
  /** How the value reads (`42%`, `-6.0 dB`). */
  format?: (value: number) => string;
  disabled?: boolean;
}

/** A range slider with its value shown and spoken. */
export function Slider({ label, value, min, max, step, onChange, format = String, disabled }: SliderProps) {
  const id = useId();
  return (
    <div className="field slider-field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        disabled={disabled}
        aria-valuetext={format(value)}
        onChange={(event) => onChange(Number(event.target.value))}
      />
      <output className="slider-value" htmlFor={id}>
        {format(value)}
      </output>
    </div>
  );
}

/** A percentage of 0..1. */
export const percent = (value: number) => `${Math.round(value * 100)}%`;

export interface NumberFieldProps {
  label: string;
  value: number;
  onChange: (value: number) => void;
  min?: number;
  max?: number;
  step?: number;
  unit?: string;
  disabled?: boolean;
}

/** A number input that only reports values inside its range. */
export function NumberField({ label, value, onChange, min, max, step = 1, unit, disabled }: NumberFieldProps) {
  return (
    <Field label={unit ? `${label} (${unit})` : label}>
      <input
        type="number"
        value={Number.isFinite(value) ? value : ''}
        min={min}
        max={max}
        step={step}
        disabled={disabled}
        onChange={(event) => {
          const next = event.target.valueAsNumber;
          if (Number.isFinite(next) && (min === undefined || next >= min) && (max === undefined || next <= max)) onChange(next);
        }}
      />
    </Field>
  );
}

export interface SelectFieldProps<T extends string> {
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange: (value: T) => void;
  disabled?: boolean;
  hint?: ReactNode;
}

/** A drop-down of labelled options. */
export function SelectField<T extends string>({ label, value, options, onChange, disabled, hint }: SelectFieldProps<T>) {
  return (
    <Field label={label} {...(hint ? { hint } : {})}>
      <select value={value} disabled={disabled} onChange={(event) => onChange(event.target.value as T)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A checkbox with its label after it. */
export function CheckboxField({
  label,
  checked,
  onChange,
  disabled,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="checkbox-field">
      <input id={id} type="checkbox" checked={checked} disabled={disabled} onChange={(event) => onChange(event.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** `#rrggbb` and an alpha byte from `#rrggbb` or `#rrggbbaa`. */
export function splitColor(color: string): { rgb: string; alpha: number } {
  return { rgb: color.slice(0, 7).toLowerCase(), alpha: color.length === 9 ? parseInt(color.slice(7, 9), 16) : 255 };
}

/** `#rrggbb` or, when not opaque, `#rrggbbaa`. */
export function joinColor(rgb: string, alpha: number): string {
  const byte = Math.max(0, Math.min(255, Math.round(alpha)));
  return byte === 255 ? rgb : `${rgb}${byte.toString(16).padStart(2, '0')}`;
}

/** A colour picker, with an opacity slider when `alpha`. */
export function ColorField({
  label,
  value,
  onChange,
  alpha,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  alpha?: boolean;
}) {
  const { rgb, alpha: byte } = splitColor(value);
  const colorId = useId();
  const opacityId = useId();
  const opacity = Math.round((byte / 255) * 100);
  return (
    <div className="field color-field">
      <div className="field-label-row">
        <label className="field-label" htmlFor={colorId}>
          {label}
        </label>
        <input id={colorId} type="color" value={rgb} onChange={(event) => onChange(joinColor(event.target.value, alpha ? byte : 255))} />
        <code className="color-code">{value}</code>
      </div>
      {alpha && (
        <div className="color-opacity">
          <label className="field-label" htmlFor={opacityId}>
            {label} opacity
          </label>
          <input
            id={opacityId}
            type="range"
            min={0}
            max={100}
            value={opacity}
            aria-valuetext={`${opacity}%`}
            onChange={(event) => onChange(joinColor(rgb, (Number(event.target.value) / 100) * 255))}
          />
        </div>
      )}
    </div>
  );
}
