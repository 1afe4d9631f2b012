/**
 * The items of one page, as a grid of cards (poster, hover-scrubbing through the sprite) or as
 * a list (a table with the facts). Items can be dragged onto the preview.
 */
import { useState, type DragEvent } from 'react';
import { LIBRARY_ITEM_DRAG_TYPE, type LibraryItem } from '../../../common/host/library-contract.ts';
import { formatBytes } from '../format.ts';
import { formatDate, formatDuration, KIND_LABELS } from './library-format.ts';

export interface ItemBrowserProps {
  items: LibraryItem[];
  view: 'grid' | 'list';
  selectedId: number | null;
  onSelect: (item: LibraryItem) => void;
  onOpen: (item: LibraryItem) => void;
}

function startDrag(event: DragEvent, item: LibraryItem): void {
  event.dataTransfer.setData(LIBRARY_ITEM_DRAG_TYPE, String(item.id));
  event.dataTransfer.setData('text/plain', item.title);
  event.dataTransfer.effectAllowed = 'copy';
}

function StatusBadge({ item }: { item: LibraryItem }) {
  if (item.status === 'missing') return <span className="library-badge library-badge-warn">Missing</span>;
  if (item.status === 'corrupt') return <span className="library-badge library-badge-error">Unreadable</span>;
  return null;
}

/** A card's picture: the poster, and while the pointer moves over it the sprite frame under the pointer. */
function Thumb({ item }: { item: LibraryItem }) {
  const [frame, setFrame] = useState<number | null>(null);
  const frames = item.spriteFrames;
  const scrub = item.spriteUrl && frames > 1;
  return (
    <div
      className="library-thumb"
      onMouseMove={(event) => {
        if (!scrub) return;
        const box = event.currentTarget.getBoundingClientRect();
        setFrame(Math.min(frames - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * frames))));
      }}
      onMouseLeave={() => setFrame(null)}
      style={
        scrub && frame !== null
          ? {
              backgroundImage: `url("${item.spriteUrl}")`,
              backgroundSize: `${frames * 100}% 100%`,
              backgroundPosition: `${(frame / (frames - 1)) * 100}% 0`,
            }
          : undefined
      }
    >
      {item.posterUrl && frame === null ? <img src={item.posterUrl} alt="" loading="lazy" draggable={false} /> : null}
      {!item.posterUrl && <span className="library-thumb-kind">{KIND_LABELS[item.kind]}</span>}
      {item.durationMs !== null && <span className="library-duration">{formatDuration(item.durationMs)}</span>}
    </div>
  );
}

export function ItemBrowser({ items, view, selectedId, onSelect, onOpen }: ItemBrowserProps) {
  if (view === 'list') {
    return (
      <table className="library-table">
        <caption className="visually-hidden">Library items</caption>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Type</th>
            <th scope="col">Duration</th>
            <th scope="col">Size</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr
              key={item.id}
              aria-selected={item.id === selectedId}
              draggable={item.status === 'ok'}
              onDragStart={(event) => startDrag(event, item)}
              onDoubleClick={() => onOpen(item)}
            >
              <td>
                <button type="button" className="library-link" aria-pressed={item.id === selectedId} onClick={() => onSelect(item)}>
                  {item.title}
                </button>{' '}
                <StatusBadge item={item} />
              </td>
              <td>{KIND_LABELS[item.kind]}</td>
              <td>{formatDuration(item.durationMs)}</td>
              <td>{formatBytes(item.sizeBytes)}</td>
              <td>{formatDate(item.createdAtMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <ul className="library-grid" aria-label="Library items">
      {items.map((item) => (
        <li
          key={item.id}
          className={`library-card${item.id === selectedId ? ' selected' : ''}`}
          draggable={item.status === 'ok'}
          onDragStart={(event) => startDrag(event, item)}
          onDoubleClick={() => onOpen(item)}
        >
          <button
            type="button"
            className="library-card-button"
            aria-label={item.title}
            aria-pressed={item.id === selectedId}
            onClick={() => onSelect(item)}
          >
            <Thumb item={item} />
            {/* Cut with an ellipsis in the card; the whole name (a recording's time) on hover. */}
            <span className="library-card-title" title={item.title}>
              {item.title}
            </span>
          </button>
          <span className="library-card-meta">
            {KIND_LABELS[item.kind]} <StatusBadge item={item} />
          </span>
        </li>
      ))}
    </ul>
  );
}
