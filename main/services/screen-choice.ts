/**
 * The user's choice of what to share, asked of the studio's own picker. When the studio page
 * calls `getDisplayMedia()` in Electron, the shell lists screens and windows
 * (desktopCapturer) and asks here; the host emits `capture.onDidRequestScreenChoice` with
 * the sources, the picker shows them, and the page answers with
 * `capture.answerScreenChoice(requestId, sourceId | null)`. No answer within the timeout is
 * a refusal, and an answer can only pick one of the sources that were offered.
 */
import { randomUUID } from 'node:crypto';
import type { ScreenSource } from '../../common/host/contract.ts';

export interface ScreenChoiceRequest {
  requestId: string;
  sources: ScreenSource[];
}

export interface ScreenChoiceOptions {
  /** Shows the request to the user (emits the host event). */
  announce(request: ScreenChoiceRequest): void;
  /** Default 120 000 ms. */
  timeoutMs?: number;
}

export class ScreenChoiceBroker {
  private readonly pending = new Map<string, { offered: Set<string>; settle(choice: string | null): void }>();
  private readonly announce: (request: ScreenChoiceRequest) => void;
  private readonly timeoutMs: number;

  constructor(options: ScreenChoiceOptions) {
    this.announce = (request) => options.announce(request);
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** Asks the user to pick one of `sources`; resolves with its id, or null when refused or unanswered. */
  ask(sources: ScreenSource[]): Promise<string | null> {
    if (sources.length === 0) return Promise.resolve(null);
    const requestId = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(null), this.timeoutMs);
      timer.unref?.();
      const settle = (choice: string | null) => {
        clearTimeout(timer);
        this.pending.delete(requestId);
        resolve(choice);
      };
      this.pending.set(requestId, { offered: new Set(sources.map((source) => source.id)), settle });
      this.announce({ requestId, sources });
    });
  }

  /** The picker's answer. False when the request is unknown (answered, timed out) or the id was not offered. */
  answer(requestId: string, sourceId: string | null): boolean {
    const request = this.pending.get(requestId);
    if (!request) return false;
    if (sourceId !== null && !request.offered.has(sourceId)) return false;
    request.settle(sourceId);
    return true;
  }

  /** Refuses every open request (the window closed, the app quits). */
  dispose(): void {
    for (const request of [...this.pending.values()]) request.settle(null);
  }
}
