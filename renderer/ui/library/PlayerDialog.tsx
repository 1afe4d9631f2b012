/** The in-app player: video and sound with the browser's controls, images full size. Files come from the host by id. */
import { useState } from 'react';
import type { LibraryItem } from '../../../common/host/library-contract.ts';
import { Dialog } from '../components/Dialog.tsx';

export function PlayerDialog({ item, onClose }: { item: LibraryItem; onClose: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const still = item.kind === 'image' || item.kind === 'screenshot';
  const sound = item.videoCodec === null && !still;
  const failed = () =>
    setError(
      item.container === 'flv' || item.container?.startsWith('matroska')
        ? 'This browser cannot play this container: remux it to MP4 first.'
        : 'This file cannot be played here.',
    );
  return (
    <Dialog title={`Player: ${item.title}`} onClose={onClose} closeLabel="Close player" size="wide">
      {error && <p role="alert">{error}</p>}
      {still ? (
        <img className="library-player-media" src={item.mediaUrl} alt={item.title} />
      ) : sound ? (
        <audio className="library-player-media" src={item.mediaUrl} controls autoPlay aria-label="Sound player" onError={failed} />
      ) : (
        <video
          className="library-player-media"
          src={item.mediaUrl}
          controls
          autoPlay
          playsInline
          aria-label="Video player"
          onError={failed}
        />
      )}
    </Dialog>
  );
}
