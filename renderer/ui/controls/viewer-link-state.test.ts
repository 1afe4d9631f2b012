import { describe, expect, it } from 'vitest';
import { IDLE_DESTINATION_STATUS, type Destination, type OutputsState } from '../../../common/host/outputs-contract.ts';
import { IDLE_OUTPUTS } from '../../outputs/testing.ts';
import { HOSTING_NOT_LIVE, viewerLinkState } from './viewer-link-state.ts';

const URL = 'http://127.0.0.1:8080/live/studio';
const local = (state: Destination['status']['state'], enabled = true): Destination => ({
  id: 'local',
  name: 'Local origin',
  service: 'local-origin',
  serverUrl: 'rtmp://127.0.0.1:1935/live',
  streamKeyMasked: '••••abcd',
  enabled,
  adaptiveBitrate: false,
  hasCustomCa: false,
  status: { ...IDLE_DESTINATION_STATUS, state },
});
const hosting = (streaming: boolean, ...destinations: Destination[]): OutputsState => ({
  ...IDLE_OUTPUTS,
  streaming: { active: streaming, sinceMs: streaming ? 1000 : null },
  localOrigin: { ...IDLE_OUTPUTS.localOrigin, state: 'running', viewerUrl: URL },
  destinations,
});

describe('the viewer link', () => {
  it('shows only while the stream reaches the local origin', () => {
    expect(viewerLinkState(hosting(true, local('live')))).toEqual({ kind: 'link', url: URL });
  });

  it('before the first Go Live, hosting says to go live instead of giving a link that plays nothing', () => {
    expect(viewerLinkState(hosting(false, local('idle')))).toEqual({ kind: 'note', text: HOSTING_NOT_LIVE });
    expect(viewerLinkState(hosting(false))).toEqual({ kind: 'note', text: HOSTING_NOT_LIVE });
  });

  it('live elsewhere with the local origin removed or left out: no link, and why', () => {
    const note = (state: OutputsState) => {
      const shown = viewerLinkState(state);
      return shown?.kind === 'note' ? shown.text : null;
    };
    expect(note(hosting(true))).toMatch(/does not go there/);
    expect(note(hosting(true, local('idle', false)))).toMatch(/leaves it out/);
    expect(note(hosting(true, local('connecting')))).toMatch(/once the stream reaches it/);
  });

  it('nothing while not hosting', () => {
    expect(viewerLinkState(null)).toBeNull();
    expect(viewerLinkState({ ...IDLE_OUTPUTS, destinations: [local('live')] })).toBeNull();
  });
});
