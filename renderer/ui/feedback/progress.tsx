/**
 * Progress for work that takes a while (starting the engine, importing, switching
 * collections): `track(label, promise)` shows a busy indicator named after the task if it
 * is still running after a quarter of a second, so quick work never flickers.
 */
import { useEffect, useState } from 'react';
import { ValueStore, useStore } from '../studio/store.ts';

/** A task under way. */
export interface ProgressTask {
  id: number;
  label: string;
  /** 0..1 when known. */
  fraction: number | null;
}

const SHOW_AFTER_MS = 250;

/** The tasks under way. */
export class ProgressStore extends ValueStore<ProgressTask[]> {
  private nextId = 1;

  constructor() {
    super([]);
  }

  /** Shows `label` while `work` runs; resolves or rejects as it does. */
  async track<T>(label: string, work: Promise<T> | ((report: (fraction: number) => void) => Promise<T>)): Promise<T> {
    const id = this.nextId++;
    const report = (fraction: number) =>
      this.modify((tasks) => tasks.map((task) => (task.id === id ? { ...task, fraction: Math.max(0, Math.min(1, fraction)) } : task)));
    const timer = setTimeout(() => this.modify((tasks) => [...tasks, { id, label, fraction: null }]), SHOW_AFTER_MS);
    try {
      return await (typeof work === 'function' ? work(report) : work);
    } finally {
      clearTimeout(timer);
      this.modify((tasks) => tasks.filter((task) => task.id !== id));
    }
  }
}

/** The busy indicators: a bar along the top of the window and a labelled tray. */
export function ProgressTray({ store }: { store: ProgressStore }) {
  const tasks = useStore(store);
  return (
    <>
      {tasks.length > 0 && <div className="busy-bar" aria-hidden="true" />}
      <div className="progress-tray">
        {tasks.map((task) => (
          <div
            key={task.id}
            className="progress-task"
            role="progressbar"
            aria-label={task.label}
            aria-valuemin={0}
            aria-valuemax={100}
            {...(task.fraction !== null ? { 'aria-valuenow': Math.round(task.fraction * 100) } : {})}
          >
            <span className="spinner" aria-hidden="true" />
            <span>{task.label}…</span>
            {task.fraction !== null && <span className="progress-value">{Math.round(task.fraction * 100)}%</span>}
          </div>
        ))}
      </div>
    </>
  );
}

/** A clock for timers in the UI: the current time, refreshed every `intervalMs` while mounted. */
export function useNow(intervalMs = 1000, enabled = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, enabled]);
  return now;
}
