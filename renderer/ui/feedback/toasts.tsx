/**
 * Non-blocking notifications: a message, what kind it is, and an optional action (Undo,
 * Retry). They stack in a corner, leave by themselves (errors stay longer), and are read
 * out by screen readers (errors as alerts).
 */
import { useEffect } from 'react';
import { ValueStore, useStore } from '../studio/store.ts';

/** One notification. */
export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  message: string;
  action?: { label: string; run: () => void };
}

const LIFETIME_MS: Record<Toast['kind'], number> = { info: 5000, success: 4000, error: 12_000 };

/** The notifications on screen. */
export class ToastStore extends ValueStore<Toast[]> {
  private nextId = 1;

  constructor() {
    super([]);
  }

  show(kind: Toast['kind'], message: string, action?: Toast['action']): number {
    const id = this.nextId++;
    this.modify((toasts) => [...toasts.slice(-4), { id, kind, message, ...(action ? { action } : {}) }]);
    return id;
  }

  info(message: string, action?: Toast['action']): number {
    return this.show('info', message, action);
  }

  success(message: string): number {
    return this.show('success', message);
  }

  /** Shows what went wrong: `doing` says what the user was doing ("Importing the collection"). */
  error(doing: string, error: unknown): number {
    return this.show('error', `${doing} failed: ${messageOf(error)}`);
  }

  dismiss(id: number): void {
    this.modify((toasts) => toasts.filter((toast) => toast.id !== id));
  }
}

/** The text of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Where notifications show. */
export function Toasts({ store }: { store: ToastStore }) {
  const toasts = useStore(store);
  return (
    <section className="toasts" aria-label="Notifications">
      {toasts.map((toast) => (
        <ToastView key={toast.id} toast={toast} onDismiss={() => store.dismiss(toast.id)} />
      ))}
    </section>
  );
}

function ToastView({ toast, onDismiss }: { toast: Toast; onDismiss: () => void }) {
  useEffect(() => {
    const timer = setTimeout(onDismiss, LIFETIME_MS[toast.kind]);
    return () => clearTimeout(timer);
  }, [toast, onDismiss]);
  return (
    <div className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
      <span className="toast-message">{toast.message}</span>
      {toast.action && (
        <button
          type="button"
          className="toast-action"
          onClick={() => {
            toast.action?.run();
            onDismiss();
          }}
        >
          {toast.action.label}
        </button>
      )}
      <button type="button" className="icon-button" aria-label="Dismiss notification" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
