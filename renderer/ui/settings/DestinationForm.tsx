/**
 * Adds a destination, or edits one: a platform preset (Twitch, YouTube, Facebook) or any
 * rtmp:// or rtmps:// server, with its key, typed masked; once saved the key comes back only
 * masked. Editing, an empty key field keeps the stored key.
 */
import { useState } from 'react';
import { DESTINATION_PRESETS, type Destination, type DestinationInput } from '../../../common/host/outputs-contract.ts';
import { outputsErrorMessage } from '../../outputs/studio-outputs.ts';

type Service = DestinationInput['service'];

export function DestinationForm({
  onSave,
  submitLabel,
  editing,
  onCancel,
}: {
  onSave: (input: DestinationInput) => Promise<unknown>;
  submitLabel?: string;
  /** The destination to change (not the local origin's); absent to add one. */
  editing?: Destination & { service: Service };
  onCancel?: () => void;
}) {
  const [service, setService] = useState<Service>(editing?.service ?? 'custom');
  const [name, setName] = useState(editing?.name ?? '');
  const [serverUrl, setServerUrl] = useState(editing?.serverUrl ?? '');
  const [streamKey, setStreamKey] = useState('');
  const [adaptive, setAdaptive] = useState(editing?.adaptiveBitrate ?? true);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const preset = DESTINATION_PRESETS[service];

  const submit = async () => {
    setSaving(true);
    setError(null);
    try {
      await onSave({
        ...(editing ? { id: editing.id } : {}),
        name: name.trim() || preset.label,
        service,
        serverUrl,
        // Editing, an empty field keeps the stored key.
        ...(editing && !streamKey ? {} : { streamKey }),
        enabled: editing?.enabled ?? true,
        adaptiveBitrate: adaptive,
      });
      setName('');
      setServerUrl('');
      setStreamKey('');
    } catch (failure) {
      setError(outputsErrorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      aria-label={editing ? `Edit ${editing.name}` : 'Add destination'}
      className="destination-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label>
        Service
        <select value={service} onChange={(event) => setService(event.target.value as Service)}>
          {(Object.keys(DESTINATION_PRESETS) as Service[]).map((key) => (
            <option key={key} value={key}>
              {DESTINATION_PRESETS[key].label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Name
        <input
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder={preset.label}
          maxLength={100}
          // Editing opens below the list: bring it into view, ready to type.
          autoFocus={editing !== undefined}
        />
      </label>
      <label>
        Server URL
        <input
          value={serverUrl}
          onChange={(event) => setServerUrl(event.target.value)}
          placeholder={preset.serverUrl || 'rtmp://host/live'}
          spellCheck={false}
        />
      </label>
      <label>
        Stream key
        <input
          type="password"
          value={streamKey}
          onChange={(event) => setStreamKey(event.target.value)}
          placeholder={editing?.streamKeyMasked ? `empty keeps ${editing.streamKeyMasked}` : undefined}
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      <label>
        <input type="checkbox" checked={adaptive} onChange={(event) => setAdaptive(event.target.checked)} /> Adaptive bitrate
      </label>
      <button type="submit" disabled={saving}>
        {submitLabel ?? (editing ? 'Save changes' : 'Add destination')}
      </button>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
      {preset.requiresRtmps && <p className="hint">{preset.label} accepts only rtmps://.</p>}
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
