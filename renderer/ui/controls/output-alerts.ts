/**
 * Output failures as a user can act on them: what changed between two host states that
 * deserves a notification, in words that say what to do. Pure; `HostOutputs`' subscriber in
 * the studio turns each into an error toast.
 */
import type { OutputsState } from '../../../common/host/outputs-contract.ts';

/** ffmpeg (the AAC encoder) is missing: how to fix it. */
export const FFMPEG_MISSING =
  'ffmpeg was not found, so the stream and recordings have no sound: install it, or set its path in Settings → General (it shows where Tally looked)';
/** The disk filled while recording. */
export const DISK_FULL =
  'The disk is full: the recording stopped and was saved. Free some space or choose another folder in Settings → Output.';

const NODE_CA_ADVICE = /;?\s*if the root CA is installed locally, try running Node\.js with --use-system-ca/i;

/**
 * A destination's failure with what to do about it. The host's reason is already in plain words
 * with its code in brackets ("nothing answers at 127.0.0.1:1935 (ECONNREFUSED)"); a server's own
 * refusal is its status text ("NetStream.Publish.BadName: Invalid stream key").
 */
export function destinationFailureText(name: string, reason: string | null): string {
  if (!reason) return `${name} failed`;
  // Node's own advice (run Node.js with --use-system-ca) means nothing to a user of the studio.
  const text = reason.replace(NODE_CA_ADVICE, '');
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN/.test(text))
    return `${name}: ${text}. Check the server URL in Settings → Stream and your connection.`;
  if (/certificate|CERT_/i.test(text))
    return `${name}: ${text}${/certificate authority/i.test(text) ? '' : "; add the venue's certificate authority to this destination"}. Edit it in Settings → Stream.`;
  if (/BadName|badauth|auth|refused|unauthori[sz]ed|forbidden|invalid stream key/i.test(text))
    return `${name}: the server refused the stream key (${text}). Check the key in Settings → Stream.`;
  return `${name} failed: ${text}`;
}

/** The notifications `next` brings that `previous` did not have. */
export function outputAlerts(previous: OutputsState | null, next: OutputsState): string[] {
  const alerts: string[] = [];
  const audioError = next.audio.error;
  if (audioError && audioError !== previous?.audio.error)
    alerts.push(
      next.audio.state === 'unavailable' && /ffmpeg/i.test(audioError) && /not found|ENOENT/i.test(audioError)
        ? FFMPEG_MISSING
        : `Audio: ${audioError}`,
    );
  for (const destination of next.destinations) {
    const before = previous?.destinations.find((candidate) => candidate.id === destination.id);
    const { state, reason } = destination.status;
    if (state === 'failed' && (before?.status.state !== 'failed' || before.status.reason !== reason))
      alerts.push(destinationFailureText(destination.name, reason));
  }
  const recordingError = next.recording.error;
  if (recordingError && recordingError !== previous?.recording.error)
    alerts.push(/disk|ENOSPC|space/i.test(recordingError) ? `${DISK_FULL} (${recordingError})` : `Recording: ${recordingError}`);
  if (next.localOrigin.state === 'failed' && next.localOrigin.error && previous?.localOrigin.error !== next.localOrigin.error)
    alerts.push(`The local origin could not start: ${next.localOrigin.error}`);
  return alerts;
}
