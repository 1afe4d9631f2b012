/**
 * A tiny observable value for UI state that lives outside React (selection, dialogs,
 * toasts, settings), read in components through `useStore` (useSyncExternalStore).
 */
import { useSyncExternalStore } from 'react';

/** An observable value. */
export class ValueStore<T> {
  private value: T;
  private readonly listeners = new Set<() => void>();

  constructor(value: T) {
    this.value = value;
  }

  get(): T {
    return this.value;
  }

  set(value: T): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    for (const listener of [...this.listeners]) listener();
  }

  modify(change: (value: T) => T): void {
    this.set(change(this.value));
  }

  /** Hears every change; returns the function that stops it. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

/** The store's value (or a part of it: the selector must return a stable value for unchanged input). */
export function useStore<T>(store: ValueStore<T>): T;
export function useStore<T, S>(store: ValueStore<T>, select: (value: T) => S): S;
export function useStore<T, S>(store: ValueStore<T>, select?: (value: T) => S): T | S {
  const read = () => (select ? select(store.get()) : store.get());
  return useSyncExternalStore(store.subscribe, read, read);
}
