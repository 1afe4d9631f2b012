/** A modal `<dialog>` opened on mount, named for assistive technology, closed by Escape or its Close button. */
import { useEffect, useRef, type ReactNode } from 'react';

export function ModalDialog({
  label,
  onClose,
  closeLabel,
  children,
}: {
  label: string;
  onClose: () => void;
  closeLabel: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} className="library-dialog" aria-label={label} onClose={onClose} onCancel={onClose}>
      <header className="library-dialog-header">
        <h3>{label}</h3>
        <button type="button" onClick={onClose}>
          {closeLabel}
        </button>
      </header>
      {children}
    </dialog>
  );
}
