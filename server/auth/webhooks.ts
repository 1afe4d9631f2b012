/**
 * Webhooks: how a venue's login, payment or CMS system takes part. `on_publish` and `on_play`
 * decide (a 2xx answer allows; any other status, a network error or a timeout denies);
 * `on_unpublish` and `on_stop` inform. Every request is a JSON POST signed with
 * HMAC-SHA256 over the exact body (`X-Tally-Signature: sha256=HEX`), so the receiver can
 * check it came from this origin; the body carries a timestamp against replays.
 */
import { createHmac } from 'node:crypto';
import type { Logger } from '../log.ts';

/** The events, named as nginx-rtmp and SRS name theirs. */
export type WebhookEvent = 'on_publish' | 'on_unpublish' | 'on_play' | 'on_stop';

/** Where each event goes, and how requests are signed and bounded. */
export interface WebhookOptions {
  onPublish?: string;
  onUnpublish?: string;
  onPlay?: string;
  onStop?: string;
  /** HMAC-SHA256 key for `X-Tally-Signature`. Without it, requests are unsigned (a warning is logged at start). */
  secret?: string;
  /** Per-request timeout. Default 3000 ms. */
  timeoutMs?: number;
}

/** What the origin tells a webhook. Never a stream key. */
export interface WebhookPayload {
  stream: string;
  protocol: 'rtmp' | 'flv' | 'hls';
  clientIp: string;
  sessionId: string;
  /** on_unpublish / on_stop: how long the session lasted. */
  durationMs?: number;
  bytes?: number;
}

/** The outcome of a deciding webhook. */
export interface WebhookDecision {
  allowed: boolean;
  /** Why it was denied, for the log (status code, timeout...). */
  reason?: string;
}

/** Computes the signature header value for a body. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Sends webhooks for one origin. */
export class Webhooks {
  private readonly options: WebhookOptions;
  private readonly log: Logger;
  private readonly userAgent: string;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(options: WebhookOptions, log: Logger, version: string) {
    this.options = options;
    this.log = log;
    this.userAgent = `TallyOrigin/${version}`;
    const any = options.onPublish ?? options.onUnpublish ?? options.onPlay ?? options.onStop;
    for (const url of [options.onPublish, options.onUnpublish, options.onPlay, options.onStop]) {
      if (url !== undefined && !/^https?:\/\//.test(url)) throw new Error(`webhook URL must be http(s): ${url}`);
    }
    if (any && !options.secret) log.warn({}, 'webhooks are configured without a secret: requests will not be signed');
  }

  private urlFor(event: WebhookEvent): string | undefined {
    return {
      on_publish: this.options.onPublish,
      on_unpublish: this.options.onUnpublish,
      on_play: this.options.onPlay,
      on_stop: this.options.onStop,
    }[event];
  }

  /** Asks `on_publish` or `on_play`; allowed when no URL is configured. */
  async decide(event: 'on_publish' | 'on_play', payload: WebhookPayload): Promise<WebhookDecision> {
    const url = this.urlFor(event);
    if (!url) return { allowed: true };
    const task = this.post(url, event, payload);
    this.track(task);
    const result = await task;
    if (result.ok) return { allowed: true };
    return { allowed: false, reason: result.reason };
  }

  /** Tells `on_unpublish` or `on_stop`, without waiting; failures are logged. */
  notify(event: 'on_unpublish' | 'on_stop', payload: WebhookPayload): void {
    const url = this.urlFor(event);
    if (!url) return;
    this.track(
      this.post(url, event, payload).then((result) => {
        if (!result.ok) this.log.warn({ event, stream: payload.stream, reason: result.reason }, 'webhook failed');
      }),
    );
  }

  /** Waits for requests in flight (each is bounded by the timeout). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private track(task: Promise<unknown>): void {
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  private async post(url: string, event: WebhookEvent, payload: WebhookPayload): Promise<{ ok: boolean; reason?: string }> {
    const body = JSON.stringify({ event, ...payload, timestamp: Date.now() });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': this.userAgent, 'x-tally-event': event };
    if (this.options.secret) headers['x-tally-signature'] = webhookSignature(this.options.secret, body);
    const timeoutMs = this.options.timeoutMs ?? 3000;
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
      await response.body?.cancel();
      return response.status >= 200 && response.status < 300 ? { ok: true } : { ok: false, reason: `webhook answered ${response.status}` };
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return {
        ok: false,
        reason: timedOut
          ? `webhook timed out after ${timeoutMs} ms`
          : `webhook unreachable (${error instanceof Error ? error.message : String(error)})`,
      };
    }
  }
}
