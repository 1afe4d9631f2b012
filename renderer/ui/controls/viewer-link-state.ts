/**
 * What the studio says about the local origin's viewer link, pure: the link only while the
 * stream reaches the origin (its destination is live), so a viewer who opens it sees the
 * stream; while hosting without that, a line that says why there is no link yet.
 */
import type { OutputsState } from '../../../common/host/outputs-contract.ts';

/** The viewer link to show, a line instead of it, or nothing (not hosting). */
export type ViewerLinkState = { kind: 'link'; url: string } | { kind: 'note'; text: string } | null;

/** Hosting, not live: the line the Controls dock and Settings → Stream show instead of a link. */
export const HOSTING_NOT_LIVE = 'Hosting on this computer: go live to get a viewer link.';

export function viewerLinkState(state: OutputsState | null): ViewerLinkState {
  const origin = state?.localOrigin;
  if (!state || !origin || (origin.state !== 'running' && origin.state !== 'starting')) return null;
  const destination = state.destinations.find((candidate) => candidate.service === 'local-origin');
  if (origin.state === 'running' && origin.viewerUrl && destination?.status.state === 'live')
    return { kind: 'link', url: origin.viewerUrl };
  if (!state.streaming.active) return { kind: 'note', text: HOSTING_NOT_LIVE };
  if (!destination)
    return {
      kind: 'note',
      text: 'Hosting on this computer, but the stream does not go there: to add it back, Stop hosting, then Host on this computer, in Settings → Stream.',
    };
  if (!destination.enabled && destination.status.state === 'idle')
    return { kind: 'note', text: 'Hosting on this computer, but this stream leaves it out: start it in Settings → Stream.' };
  return { kind: 'note', text: 'Hosting on this computer: the viewer link shows once the stream reaches it.' };
}
