/**
 * A modal dialog on the native <dialog> element: the page behind is inert, focus starts
 * inside, Escape closes, and the title names it for screen readers and tests.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Buttons along the bottom (OK, Cancel…). */
  footer?: ReactNode;
  /** `wide` for the settings and filters dialogs. */
  size?: 'normal' | 'wide';
  className?: string;
  /** The close button's accessible name; `Close <title>` when not given. */
  closeLabel?: string;
}

/** A modal dialog; see the file comment. */
export function Dialog({ title, onClose, children, footer, size = 'normal', className, closeLabel }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    // Start in the content (the first field or action), not on the close button at the top.
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>(
        '.dialog-body :is(input, select, textarea, button, [tabindex="0"]):not([disabled]):not([type="hidden"])',
      ) ??
      dialog.querySelector<HTMLElement>('.dialog-footer button.primary:not([disabled])');
    first?.focus();
    return () => dialog.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label={closeLabel ?? `Close ${title}`} onClick={onClose}>
          ×
        </button>
      </header>
      <div className="dialog-body">{children}</div>
      {footer && <footer className="dialog-footer">{footer}</footer>}
    </dialog>
  );
}
