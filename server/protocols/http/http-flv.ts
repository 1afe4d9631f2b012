/**
 * HTTP-FLV: `GET /live/NAME.flv` streams the live FLV (header, then the metadata, decoder
 * configuration and GOP cache, then live tags) for players such as mpegts.js, flv.js, ffmpeg
 * and VLC. Open to any origin (CORS), since the page that plays it is usually elsewhere. The
 * response ends when the publisher leaves; the player reconnects.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { flvFileHeader } from '../../../common/media/flv.ts';
import type { Logger } from '../../log.ts';
import { GatedReader } from '../../stream/gated-reader.ts';
import type { BackpressurePolicy } from '../../stream/reader-gate.ts';
import type { SessionHost } from '../rtmp/session-host.ts';

/** What the handler needs. */
export interface HttpFlvDeps {
  host: SessionHost;
  log: Logger;
  backpressure: BackpressurePolicy;
  nextSessionId(): string;
  /** A stream that exists, without asking webhooks (HEAD requests probe liveness only). */
  peek(name: string): { live: boolean } | undefined;
}

/** Serves one HTTP-FLV viewer until either side goes. */
export async function serveHttpFlv(name: string, request: IncomingMessage, response: ServerResponse, deps: HttpFlvDeps): Promise<void> {
  const cors = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'content-type' };
  if (request.method === 'HEAD') {
    const live = deps.peek(name)?.live === true;
    response.writeHead(live ? 200 : 404, {
      'content-type': live ? 'video/x-flv' : 'text/plain; charset=utf-8',
      'cache-control': 'no-cache',
      ...cors,
    });
    response.end();
    return;
  }
  const sessionId = deps.nextSessionId();
  const remoteAddress = request.socket.remoteAddress ?? '';
  const context = { sessionId, remoteAddress, protocol: 'flv' as const };
  const admission = await deps.host.admitPlayer(name, context);
  if (!admission.ok) {
    const notFound = admission.code === 'NetStream.Play.StreamNotFound';
    response.writeHead(notFound ? 404 : 403, { 'content-type': 'text/plain; charset=utf-8', ...cors });
    response.end(`${admission.description}\n`);
    if (!notFound)
      deps.log.warn({ session: sessionId, remote: remoteAddress, stream: name, reason: admission.reason }, 'http-flv play refused');
    return;
  }
  const stream = admission.stream;
  if (!stream.live || request.destroyed) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache', ...cors });
    response.end('stream is not live\n');
    return;
  }
  // A live FLV body has no length and ends when the stream does: plain bytes, then close. (Node 24 writes
  // a corked chunked body as one syscall per piece; unchunked it is one writev per batch.)
  response.useChunkedEncodingByDefault = false;
  response.writeHead(200, { 'content-type': 'video/x-flv', 'cache-control': 'no-cache, no-store', connection: 'close', ...cors });
  const startedAtMs = Date.now();
  let bytes = 0;
  let ended = false;
  const write = (chunk: Uint8Array) => {
    if (ended) return;
    bytes += chunk.length;
    response.write(chunk);
  };
  write(flvFileHeader({ audio: stream.audio !== undefined || !stream.video, video: stream.video !== undefined || !stream.audio }));
  const finish = (reason: string, level: 'info' | 'warn', abort: boolean) => {
    if (ended) return;
    ended = true;
    const durationMs = Date.now() - startedAtMs;
    deps.log[level](
      { session: sessionId, remote: remoteAddress, stream: name, reason, bytesOut: bytes, durationMs },
      'http-flv session closed',
    );
    if (abort) response.destroy();
    else response.end();
    deps.host.playerLeft(name, context, { durationMs, bytes });
  };
  const reader = new GatedReader(
    stream,
    {
      protocol: 'flv',
      bytesOf: (packet) => packet.flv(),
      write,
      writeMany: (chunks) => {
        response.cork();
        for (const chunk of chunks) write(chunk);
        response.uncork();
      },
      queuedBytes: () => response.writableLength,
      publishStarted: () => {},
      publishStopped: () => reader.detach('publisher left', false),
      close: (reason, slow) => finish(reason, slow ? 'warn' : 'info', slow),
    },
    deps.backpressure,
  );
  response.on('close', () => reader.detach('client closed', false));
  stream.addReader(reader);
}
