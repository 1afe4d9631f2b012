/**
 * The destinations, each with its state (and the server's reason), bitrate, queue and dropped
 * frames, live while streaming; its server (host and app, so two custom servers can be told
 * apart) and its key only masked; whether Go Live includes it (the local origin's too); Start,
 * Stop, Edit (not the local origin's: the studio manages it), Remove (asked first, in the row).
 */
import { useState } from 'react';
import type { Destination } from '../../../common/host/outputs-contract.ts';
import { DESTINATION_PRESETS } from '../../../common/host/outputs-contract.ts';

const STATE_LABEL: Record<Destination['status']['state'], string> = {
  idle: 'idle',
  connecting: 'connecting',
  live: 'live',
  reconnecting: 'reconnecting',
  failed: 'failed',
};

/** One line of figures for a destination, as the list shows it. */
export function describeDestination(destination: Destination): string {
  const { status } = destination;
  const parts = [STATE_LABEL[status.state]];
  if (status.reason && (status.state === 'failed' || status.state === 'reconnecting' || status.state === 'idle'))
    parts[0] += ` (${status.reason})`;
  if (status.state === 'reconnecting' && status.nextRetryInMs !== null) parts.push(`retry in ${Math.ceil(status.nextRetryInMs / 1000)} s`);
  if (status.state === 'live' || status.bitrateKbps > 0) parts.push(`${Math.round(status.bitrateKbps)} kbps`);
  parts.push(`${status.framesDropped} dropped`);
  if (status.queueMs > 0) parts.push(`queue ${Math.round(status.queueMs)} ms`);
  if (status.reconnects > 0) parts.push(status.reconnects === 1 ? '1 reconnect' : `${status.reconnects} reconnects`);
  if (status.requestedBitrateKbps !== null) parts.push(`asks ${status.requestedBitrateKbps} kbps`);
  return parts.join(' · ');
}

export const serviceLabel = (destination: Destination) =>
  destination.service === 'local-origin' ? 'Tally local origin' : DESTINATION_PRESETS[destination.service].label;

/**
 * The server a destination streams to, as `rtmps://host:port/app`: enough to tell two custom
 * servers apart. Never the key (not part of `serverUrl`), nor any user, password or query in it.
 */
export function serverLabel(serverUrl: string): string {
  try {
    const url = new URL(serverUrl);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}`;
  } catch {
    return '';
  }
}

export function DestinationList(props: {
  destinations: Destination[];
  onStart(id: string): void;
  onStop(id: string): void;
  onRemove(id: string): void;
  onEdit(destination: Destination): void;
  onEnable(destination: Destination, enabled: boolean): void;
}) {
  if (props.destinations.length === 0)
    return (
      <p className="hint">
        No destination yet: Go Live streams to the local origin on this computer, or add Twitch, YouTube, Facebook or any RTMP(S) server
        below.
      </p>
    );
  return (
    <ul aria-label="Destinations" className="destination-list">
      {props.destinations.map((destination) => (
        <DestinationRow key={destination.id} destination={destination} {...props} />
      ))}
    </ul>
  );
}

type RowProps = Omit<Parameters<typeof DestinationList>[0], 'destinations'> & { destination: Destination };

function DestinationRow({ destination, onStart, onStop, onRemove, onEdit, onEnable }: RowProps) {
  // Remove asks first, in the row: "Remove X? Remove / Keep", Keep focused.
  const [confirming, setConfirming] = useState(false);
  const running = ['connecting', 'live', 'reconnecting'].includes(destination.status.state);
  const server = serverLabel(destination.serverUrl);
  const { name } = destination;
  return (
    <li aria-label={name} data-state={destination.status.state}>
      <span className="destination-name">{name}</span>{' '}
      <span className="destination-service">
        {serviceLabel(destination)}
        {server && (
          <>
            {' · '}
            <span className="destination-server" title={server}>
              {server}
            </span>
          </>
        )}
        {destination.streamKeyMasked && ` · key ${destination.streamKeyMasked}`}
      </span>
      <span className="destination-figures">{describeDestination(destination)}</span>
      {confirming ? (
        <span className="destination-actions destination-confirm" role="group" aria-label={`Remove ${name}?`}>
          <span>
            Remove {name}?{destination.service === 'local-origin' && running && ' Viewers of the viewer link lose the stream.'}
          </span>
          <button type="button" className="danger" onClick={() => onRemove(destination.id)}>
            Remove
          </button>
          <button type="button" autoFocus onClick={() => setConfirming(false)}>
            Keep
          </button>
        </span>
      ) : (
        <span className="destination-actions">
          <label className="destination-enabled">
            <input
              type="checkbox"
              checked={destination.enabled}
              onChange={(event) => onEnable(destination, event.target.checked)}
              aria-label={`Include ${name} in Go Live`}
            />
            Go Live
          </label>
          {running ? (
            <button type="button" onClick={() => onStop(destination.id)} aria-label={`Stop ${name}`}>
              Stop
            </button>
          ) : (
            <button type="button" onClick={() => onStart(destination.id)} aria-label={`Start ${name}`}>
              Start
            </button>
          )}
          {destination.service !== 'local-origin' && (
            <button type="button" onClick={() => onEdit(destination)} aria-label={`Edit ${name}`}>
              Edit
            </button>
          )}
          <button type="button" onClick={() => setConfirming(true)} aria-label={`Remove ${name}`}>
            Remove
          </button>
        </span>
      )}
    </li>
  );
}
