/**
 * The studio's screen picker: when the page calls `getDisplayMedia()` in the desktop app,
 * the host lists screens and windows and waits here for the user to pick one (or cancel);
 * nothing is shared without that choice. In a browser the browser's own picker does this.
 */
import { useEffect, useState } from 'react';
import type { ScreenChoiceRequest } from '../../../common/host/contract.ts';
import type { StudioHost } from '../../host/index.ts';

export function ScreenChoiceDialog({ host }: { host: StudioHost }) {
  const [request, setRequest] = useState<ScreenChoiceRequest | null>(null);
  useEffect(() => {
    const subscription = host.api.capture.onDidRequestScreenChoice(setRequest);
    return () => subscription.dispose();
  }, [host]);
  if (!request) return null;

  const answer = (sourceId: string | null) => {
    setRequest(null);
    void host.api.capture.answerScreenChoice(request.requestId, sourceId).catch(() => undefined);
  };
  return (
    <div role="dialog" aria-modal="true" aria-labelledby="screen-choice-heading" className="panel screen-choice">
      <h2 id="screen-choice-heading">Choose what to share</h2>
      <ul>
        {request.sources.map((source) => (
          <li key={source.id}>
            <button type="button" onClick={() => answer(source.id)}>
              {source.thumbnailDataUrl && <img src={source.thumbnailDataUrl} alt="" width={160} height={90} />}
              {source.kind === 'screen' ? 'Screen' : 'Window'}: {source.name}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => answer(null)}>
        Cancel
      </button>
    </div>
  );
}
