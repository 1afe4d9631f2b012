/**
 * The local origin's viewer link: the address viewers open, a Copy button, and (on the Stream
 * settings page) a QR code a phone can scan. The link is the origin's player page; no key is in it.
 */
import QRCode from 'qrcode';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { messageOf } from '../feedback/toasts.tsx';
import '../settings/outputs-settings.css';

/** `label` is the visible text before the link ("Viewer link" in the narrow Controls dock). */
export function ViewerLink({ url, qr = false, label = 'Viewers watch at' }: { url: string; qr?: boolean; label?: string }) {
  const [copied, setCopied] = useState<string>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Copied');
    } catch (error) {
      setCopied(`Could not copy (${messageOf(error)}): select the link and copy it`);
    }
  };
  return (
    <div className="viewer-link-block">
      <div className="viewer-link" role="group" aria-label="Viewers">
        <span className="viewer-link-label">{label}</span>
        <a href={url} target="_blank" rel="noreferrer" aria-label="Viewer link" className="viewer-link-url" title={url}>
          {urlWithBreaks(url)}
        </a>
        <button type="button" onClick={() => void copy()} aria-label="Copy viewer link">
          Copy
        </button>
        <span role="status" aria-label="Copy result" className="field-hint">
          {copied}
        </span>
      </div>
      {qr && <QrCode text={url} label="QR code of the viewer link" />}
    </div>
  );
}

/** The address with a line-break opportunity after each path "/" (not inside "//"), so a narrow dock wraps it there, not mid-word. */
function urlWithBreaks(url: string): ReactNode[] {
  return url.split(/(?<=\/)(?!\/)/).flatMap((part, index) => (index === 0 ? [part] : [<wbr key={index} />, part]));
}

/** `text` as a QR code on a canvas (the `qrcode` library), 4 px modules, with a light quiet zone. */
export function QrCode({ text, label }: { text: string; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    QRCode.toCanvas(canvas.current, text, { margin: 2, scale: 4, errorCorrectionLevel: 'M' }).then(
      () => setError(null),
      (failure: unknown) => setError(messageOf(failure)),
    );
  }, [text]);
  return error ? (
    <p role="alert">The QR code could not be drawn: {error}</p>
  ) : (
    <canvas ref={canvas} className="qr-code" role="img" aria-label={label} />
  );
}
