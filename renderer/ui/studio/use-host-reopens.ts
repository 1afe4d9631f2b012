/** How many times the host's control channel opened again after it was lost, for views that must re-read what they missed. */
import { useEffect, useState } from 'react';
import type { StudioHost } from '../../host/index.ts';

/**
 * Counts reopens of `host`'s connection: 0 until the connection closes and opens again, then
 * one more each time. Events the host sent while the page was cut off are lost; a view that
 * follows them (the library, its jobs) puts this count in its effects' dependencies to read
 * everything again.
 */
export function useHostReopens(host: Pick<StudioHost, 'onConnectionChange'>): number {
  const [reopens, setReopens] = useState(0);
  useEffect(() => {
    let lost = false;
    return host.onConnectionChange((state) => {
      if (state === 'closed') lost = true;
      else if (state === 'open' && lost) {
        lost = false;
        setReopens((count) => count + 1);
      }
    });
  }, [host]);
  return reopens;
}
