import { describe, expect, it } from 'vitest';
import { IDLE_DESTINATION_STATUS, type Destination, type OutputsState } from '../../../common/host/outputs-contract.ts';
import { IDLE_OUTPUTS } from '../../outputs/testing.ts';
import { DISK_FULL, FFMPEG_MISSING, outputAlerts } from './output-alerts.ts';
import { outputsSnapshotOf, streamStateOf } from './outputs-controller.ts';

const destination = (name: string, state: Destination['status']['state'], reason: string | null = null): Destination => ({
  id: name.toLowerCase(),
  name,
  service: 'custom',
  serverUrl: 'rtmp://example.test/live',
  streamKeyMasked: '••••1234',
  enabled: true,
  adaptiveBitrate: true,
  hasCustomCa: false,
  status: { ...IDLE_DESTINATION_STATUS, state, reason },
});
const withDestinations = (...destinations: Destination[]): OutputsState => ({
  ...IDLE_OUTPUTS,
  streaming: { active: true, sinceMs: 1000 },
  destinations,
});

describe('output alerts', () => {
  it('a refused key says the server refused the stream key, once', () => {
    const failed = withDestinations(destination('Twitch', 'failed', 'NetStream.Publish.BadName: Invalid stream key'));
    const alerts = outputAlerts(withDestinations(destination('Twitch', 'connecting')), failed);
    expect(alerts).toEqual([expect.stringMatching(/^Twitch: the server refused the stream key \(NetStream.Publish.BadName/)]);
    expect(outputAlerts(failed, failed)).toEqual([]);
  });

  it("an untrusted certificate says where to add the venue's CA, without Node's advice to its own users", () => {
    const raw =
      'self-signed certificate; if the root CA is installed locally, try running Node.js with --use-system-ca (DEPTH_ZERO_SELF_SIGNED_CERT)';
    expect(outputAlerts(null, withDestinations(destination('Venue', 'failed', raw)))).toEqual([
      "Venue: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT); add the venue's certificate authority to this destination. Edit it in Settings → Stream.",
    ]);
    // The host's own reason already says what to do: not twice.
    const plain =
      "the server's certificate is not trusted (self-signed); add the venue's certificate authority to this destination (DEPTH_ZERO_SELF_SIGNED_CERT)";
    expect(outputAlerts(null, withDestinations(destination('Venue', 'failed', plain)))).toEqual([
      `Venue: ${plain}. Edit it in Settings → Stream.`,
    ]);
  });

  it('a server that cannot be reached is not mistaken for a refused key, and its reason is shown as the host gave it', () => {
    const reason = 'nothing answers at 127.0.0.1:1 (ECONNREFUSED)';
    expect(outputAlerts(null, withDestinations(destination('Venue', 'failed', reason)))).toEqual([
      `Venue: ${reason}. Check the server URL in Settings → Stream and your connection.`,
    ]);
  });

  it('ffmpeg missing says how to fix it; an AAC child that died says what happens', () => {
    const missing = { ...IDLE_OUTPUTS, audio: { state: 'unavailable' as const, error: 'No audio: ffmpeg was not found. Install it …' } };
    expect(outputAlerts(IDLE_OUTPUTS, missing)).toEqual([FFMPEG_MISSING]);
    const died = { ...IDLE_OUTPUTS, audio: { state: 'restarting' as const, error: 'the audio encoder (ffmpeg) was killed (SIGKILL)' } };
    expect(outputAlerts(IDLE_OUTPUTS, died)).toEqual(['Audio: the audio encoder (ffmpeg) was killed (SIGKILL)']);
  });

  it('a full disk says the recording stopped and was saved', () => {
    const full = {
      ...IDLE_OUTPUTS,
      recording: { ...IDLE_OUTPUTS.recording, error: 'Recording stopped: the disk holding /r has less than 256 MiB free' },
    };
    expect(outputAlerts(IDLE_OUTPUTS, full)).toEqual([expect.stringContaining(DISK_FULL)]);
  });
});

describe('the Controls dock snapshot from the host state', () => {
  it('is live while any destination is, reconnecting while all running ones are, and says a pending command', () => {
    expect(streamStateOf(IDLE_OUTPUTS, null)).toBe('offline');
    expect(streamStateOf(withDestinations(destination('A', 'live'), destination('B', 'reconnecting')), null)).toBe('live');
    expect(streamStateOf(withDestinations(destination('A', 'reconnecting'), destination('B', 'failed')), null)).toBe('reconnecting');
    expect(streamStateOf(withDestinations(destination('A', 'connecting')), null)).toBe('starting');
    expect(streamStateOf(withDestinations(destination('A', 'live')), 'stopping')).toBe('stopping');
  });

  it('says the outputs are unavailable when the host cannot be reached', () => {
    const snapshot = outputsSnapshotOf(
      { state: null, stateError: 'no outputs service', encoder: null, encoderStartError: null },
      { stream: null, recording: null },
      null,
    );
    expect(snapshot.unavailable.stream).toMatch(/no outputs service/);
    expect(snapshot.stream.state).toBe('offline');
  });
});
