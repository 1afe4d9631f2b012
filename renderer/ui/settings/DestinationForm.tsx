/**
 * Adds a destination, or edits one: a platform preset (Twitch, YouTube, Facebook) or any
 * rtmp:// or rtmps:// server, with its key, typed masked; once saved the key comes back only
 * masked. Editing, an empty key field keeps the stored key. A custom rtmps:// server can carry
 * its own certificate authority (a venue's, or a self-signed certificate), pasted as PEM or read
 * from a .pem/.crt file in the page; editing, it shows as set, with Clear.
 */
import { useId, useState } from 'react';
import { DESTINATION_PRESETS, MAX_CA_PEM_CHARS, type Destination, type DestinationInput } from '../../../common/host/outputs-contract.ts';
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
  /** A new certificate authority (PEM) to trust; empty keeps the stored one, unless cleared. */
  const [caPem, setCaPem] = useState('');
  const [caCleared, setCaCleared] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const preset = DESTINATION_PRESETS[service];
  const takesCa = service === 'custom' && /^rtmps:\/\//i.test(serverUrl.trim());
  const caSet = editing?.hasCustomCa === true && !caCleared;

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
        // Absent keeps the stored one; null removes it.
        ...(takesCa && caPem.trim() ? { caPem } : caCleared ? { caPem: null } : {}),
      });
      setName('');
      setServerUrl('');
      setStreamKey('');
      setCaPem('');
      setCaCleared(false);
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
      {takesCa && (
        <CaField
          value={caPem}
          onChange={setCaPem}
          onError={setError}
          set={caSet}
          onClear={() => {
            setCaCleared(true);
            setCaPem('');
          }}
        />
      )}
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

/** "Certificate authority (PEM)": a text area for a pasted PEM and a file input that reads one in the page. */
function CaField(props: {
  value: string;
  onChange: (pem: string) => void;
  onError: (message: string) => void;
  set: boolean;
  onClear: () => void;
}) {
  const hintId = useId();
  const read = async (file: File | undefined) => {
    if (!file) return;
    // A PEM is ASCII: its bytes are its characters, which the contract limits.
    if (file.size > MAX_CA_PEM_CHARS)
      return props.onError(`${file.name} is too big for a certificate authority (over ${MAX_CA_PEM_CHARS / 1024} KiB)`);
    const text = await file.text();
    if (!text.includes('-----BEGIN CERTIFICATE-----'))
      return props.onError(`${file.name} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    props.onChange(text);
  };
  return (
    <fieldset className="ca-field">
      <label>
        Certificate authority (PEM)
        <textarea
          value={props.value}
          onChange={(event) => props.onChange(event.target.value)}
          rows={3}
          spellCheck={false}
          placeholder={props.set ? 'empty keeps the custom CA set' : '-----BEGIN CERTIFICATE-----'}
          aria-describedby={hintId}
        />
      </label>
      <label className="ca-file">
        Or read it from a file
        <input type="file" accept=".pem,.crt,.cer" onChange={(event) => void read(event.target.files?.[0])} />
      </label>
      {props.set && (
        <p className="ca-set">
          <span role="status" aria-label="Certificate authority">
            custom CA set
          </span>{' '}
          <button type="button" onClick={props.onClear}>
            Clear
          </button>
        </p>
      )}
      <p className="hint" id={hintId}>
        Only for a server whose certificate this computer does not trust, such as a venue&apos;s own certificate authority or a self-signed
        certificate: paste the CA certificate, or choose its .pem or .crt file. Tally then trusts it for this server only.
      </p>
    </fieldset>
  );
}
