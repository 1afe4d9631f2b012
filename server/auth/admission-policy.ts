/**
 * The origin's admission policy, behind the seam every protocol asks
 * (`stream/admission.ts`): a publish key must name a stream that has no publisher, a viewer
 * must name a stream that exists, and the venue's webhooks (`on_publish`, `on_play`) decide
 * last. A stream that requires signed playback links admits only a viewer with a valid token
 * (`auth/playback-tokens.ts`), before the webhook is asked. Sessions that end are reported to
 * `on_unpublish`/`on_stop`.
 */
import {
  refuse,
  type Admission,
  type PlayRequest,
  type Refusal,
  type SessionContext,
  type SessionSummary,
  type StreamAdmission,
} from '../stream/admission.ts';
import type { LiveStream, Publisher } from '../stream/live-stream.ts';
import type { PlaybackTokens } from './playback-tokens.ts';
import type { StreamAccess } from './stream-access.ts';
import type { Webhooks } from './webhooks.ts';

/** What the policy reads. */
export interface AdmissionPolicyDeps {
  access: Pick<StreamAccess, 'streamForKey' | 'exists' | 'requiresPlaybackToken'>;
  tokens: Pick<PlaybackTokens, 'verify'>;
  webhooks: Pick<Webhooks, 'decide' | 'notify'>;
  /** The stream called `name` (made on first use; the caller checked the name exists). */
  stream(name: string): LiveStream;
}

/** Stream keys, names and webhooks, as one admission. */
export class AdmissionPolicy implements StreamAdmission {
  private readonly deps: AdmissionPolicyDeps;

  constructor(deps: AdmissionPolicyDeps) {
    this.deps = deps;
  }

  async admitPublisher(key: string, publisher: Publisher, context: SessionContext): Promise<Admission> {
    const { access, webhooks } = this.deps;
    const name = access.streamForKey(key);
    if (!name) return refuse('bad-key', 'unknown stream key');
    const busy = () => refuse('busy', `stream ${name} already has a publisher`);
    if (this.deps.stream(name).live) return busy();
    const decision = await webhooks.decide('on_publish', {
      stream: name,
      protocol: 'rtmp',
      clientIp: context.remoteAddress,
      sessionId: context.sessionId,
    });
    if (!decision.allowed) return refuse('denied', `on_publish denied (${decision.reason})`);
    // Looked up again: the stream may have been deleted while the webhook was asked.
    if (!access.exists(name)) return refuse('bad-key', 'stream deleted');
    const stream = this.deps.stream(name);
    return stream.claim(publisher) ? { ok: true, name, stream } : busy();
  }

  async admitPlayer(request: PlayRequest, context: SessionContext): Promise<Admission> {
    const { access, webhooks } = this.deps;
    const { name } = request;
    if (!access.exists(name)) return refuse('not-found', 'unknown stream');
    const tokenRefusal = this.checkPlayback(request, context);
    if (tokenRefusal) return tokenRefusal;
    const decision = await webhooks.decide('on_play', {
      stream: name,
      protocol: context.protocol,
      clientIp: context.remoteAddress,
      sessionId: context.sessionId,
    });
    if (!decision.allowed) return refuse('denied', `on_play denied (${decision.reason})`);
    if (!access.exists(name)) return refuse('not-found', 'stream deleted');
    return { ok: true, name, stream: this.deps.stream(name) };
  }

  checkPlayback(request: PlayRequest, context: SessionContext): Refusal | null {
    if (!this.deps.access.requiresPlaybackToken(request.name)) return null;
    const token = request.query.get('token');
    if (!token) return refuse('denied', 'playback token missing');
    const problem = this.deps.tokens.verify(token, request.name, context.remoteAddress);
    return problem ? refuse('denied', `playback token ${problem}`) : null;
  }

  publisherLeft(name: string, context: SessionContext, summary: SessionSummary): void {
    this.deps.webhooks.notify('on_unpublish', {
      stream: name,
      protocol: 'rtmp',
      clientIp: context.remoteAddress,
      sessionId: context.sessionId,
      ...summary,
    });
  }

  playerLeft(name: string, context: SessionContext, summary: SessionSummary): void {
    this.deps.webhooks.notify('on_stop', {
      stream: name,
      protocol: context.protocol,
      clientIp: context.remoteAddress,
      sessionId: context.sessionId,
      ...summary,
    });
  }
}
