/**
 * Settings → Stream: "Host on this computer" (the embedded Tally Origin, with the viewer link,
 * a Copy button and, when it is served to the network, a QR code) and the destinations Go Live streams to (presets for Twitch,
 * YouTube and Facebook, or any RTMP(S) server), each with its live figures. These live in the
 * host's outputs service and apply at once, through the studio's `OutputsController`.
 */
import { useState } from 'react';
import type { Destination, DestinationInput } from '../../../common/host/outputs-contract.ts';
import { isLoopbackHost } from '../../../common/loopback.ts';
import { useOutputs } from '../controls/OutputTimers.tsx';
import { viewerLinkState } from '../controls/viewer-link-state.ts';
import { ViewerLink } from '../controls/ViewerLink.tsx';
import { useStudio } from '../studio/context.tsx';
import { DestinationForm } from './DestinationForm.tsx';
import { DestinationList } from './DestinationList.tsx';
import { CommandResult, useOutputsCommand } from './OutputPage.tsx';
import './outputs-settings.css';

export function StreamPage() {
  const studio = useStudio();
  const state = useOutputs(studio.outputs).host;
  const { message, attempt } = useOutputsCommand();
  const [editingId, setEditingId] = useState<string | null>(null);
  if (!state) return <p>Asking the host for its outputs…</p>;
  const api = studio.outputs.api;
  const origin = state.localOrigin;
  const viewer = viewerLinkState(state);
  // A phone cannot open this computer's loopback address: no QR code for it, and a hint on how to get one.
  const thisComputerOnly = origin.viewerUrl !== null && isLoopbackHost(new URL(origin.viewerUrl).hostname);
  const enable = (destination: Destination, enabled: boolean) =>
    void attempt(
      () => api.setDestinationEnabled(destination.id, enabled),
      enabled ? `${destination.name} joins Go Live` : `${destination.name} stays out of Go Live`,
    );
  const editing = state.destinations.find(
    (destination): destination is Destination & { service: DestinationInput['service'] } =>
      destination.id === editingId && destination.service !== 'local-origin',
  );

  return (
    <div className="settings-sections stream-page">
      <p className="field-hint">Changes on this page apply at once.</p>
      <section aria-labelledby="host-heading">
        <h3 id="host-heading">Host on this computer</h3>
        <p className="field-hint">
          Tally's own origin server runs inside the studio: viewers open a link in any browser, no account needed. It serves this computer
          only, unless you let your network in (its API then needs its token).
        </p>
        <div className="host-controls">
          {origin.state === 'running' || origin.state === 'starting' ? (
            <button
              type="button"
              disabled={origin.state === 'starting'}
              onClick={() => void attempt(() => api.stopLocalOrigin(), 'Stopped hosting')}
            >
              Stop hosting
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              onClick={() => void attempt(() => api.startLocalOrigin({ lan: origin.lan }), 'Hosting on this computer')}
            >
              Host on this computer
            </button>
          )}
          <label>
            <input
              type="checkbox"
              checked={origin.lan}
              onChange={(event) =>
                void attempt(
                  () => api.startLocalOrigin({ lan: event.target.checked }),
                  event.target.checked ? 'Serving your network' : 'Serving this computer only',
                )
              }
            />{' '}
            Let devices on my network watch
          </label>
          <span className="field-hint" aria-label="Local origin state">
            {origin.state === 'running'
              ? 'Running'
              : origin.state === 'starting'
                ? 'Starting…'
                : origin.state === 'failed'
                  ? `Failed: ${origin.error}`
                  : 'Stopped'}
          </span>
        </div>
        {viewer?.kind === 'link' && (
          <>
            <ViewerLink url={viewer.url} qr={!thisComputerOnly} />
            {thisComputerOnly && (
              <p className="field-hint">
                This link opens on this computer only. Let devices on your network watch for a link and QR code a phone can open.
              </p>
            )}
          </>
        )}
        {viewer?.kind === 'note' && <p className="field-hint">{viewer.text}</p>}
        {origin.playback && (
          <p className="field-hint playback-urls">
            For players: HLS {origin.playback.hls} · HTTP-FLV {origin.playback.flv} · RTMP {origin.playback.rtmp}
          </p>
        )}
      </section>
      <section aria-labelledby="destinations-heading">
        <h3 id="destinations-heading">Destinations</h3>
        <DestinationList
          destinations={state.destinations}
          onStart={(id) => void attempt(() => api.startDestination(id), 'Started')}
          onStop={(id) => void attempt(() => api.stopDestination(id), 'Stopped')}
          onRemove={(id) => void attempt(() => api.removeDestination(id), 'Removed')}
          onEdit={(destination) => setEditingId(destination.id)}
          onEnable={enable}
        />
        {editing ? (
          <DestinationForm
            key={editing.id}
            editing={editing}
            onSave={async (input) => {
              await api.saveDestination(input);
              setEditingId(null);
            }}
            onCancel={() => setEditingId(null)}
          />
        ) : (
          <DestinationForm onSave={(input) => api.saveDestination(input)} />
        )}
      </section>
      <CommandResult message={message} />
    </div>
  );
}
