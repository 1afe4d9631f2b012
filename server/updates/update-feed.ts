/**
 * `GET /updates/<channel>/<file>`: Tally's update feed as static files, so a venue or a test
 * team runs its own update server with the origin it already has. The folder holds one
 * folder per channel as `npm run release` writes it (`latest/`, `beta/`, `alpha/`: channel
 * files, their `.sig`, installers and blockmaps).
 *
 * Safe by construction: the channel is one of three names, the file one plain name
 * (letters, digits, `._+-`; no `%`, no slash, no leading dot), and the resolved file must
 * be a regular file whose real path stays inside the feed folder (no symlink out). Byte
 * ranges follow RFC 9110 §14: one range answers 206 with Content-Range, several answer
 * `multipart/byteranges` (electron-updater's differential download asks for many ranges in
 * one request: out/differentialDownloader/multipleRangeDownloader.js), unsatisfiable ones
 * 416. Channel files and signatures are `no-cache`; installers are named by version and
 * cached for a day.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { OutgoingHttpHeaders } from 'node:http';
import { extname, join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../log.ts';

/** The update channels the feed serves. */
export const FEED_CHANNELS = ['latest', 'beta', 'alpha'] as const;

const FEED_ROUTE = /^\/updates\/(latest|beta|alpha)\/([A-Za-z0-9][A-Za-z0-9._+-]{0,254})$/;
/** More ranges than this in one request get the whole file (RFC 9110 lets a server ignore Range). */
const MAX_RANGES = 512;

const CONTENT_TYPES: Record<string, string> = {
  '.yml': 'text/yaml; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.sig': 'text/plain; charset=utf-8',
  '.blockmap': 'application/octet-stream',
  '.exe': 'application/vnd.microsoft.portable-executable',
  '.dmg': 'application/x-apple-diskimage',
  '.zip': 'application/zip',
  '.appimage': 'application/vnd.appimage',
  '.deb': 'application/vnd.debian.binary-package',
  '.rpm': 'application/x-rpm',
  '.json': 'application/json',
};

/** The content type the feed sends for a file name. */
export function feedContentType(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The feed route, for `OriginHttpServer.register`. Plain answers (404, 416, a whole file, one
 * range) go through fastify; several ranges hijack the reply and write the multipart body
 * part by part from the file.
 */
export function updateFeedRoutes(rootDir: string, log: Logger): FastifyPluginAsync {
  let realRoot: Promise<string> | undefined;
  return async (app) => {
    // GET and HEAD declared together: fastify's own HEAD route would read a whole installer to answer it.
    app.route({ method: ['GET', 'HEAD'], url: '/updates/*', exposeHeadRoute: false, handler: serve });
  };

  async function serve(request: FastifyRequest, reply: FastifyReply) {
    // The raw path, not fastify's decoded parameters: an escaped `/`, `.` or NUL is refused, not decoded.
    const match = FEED_ROUTE.exec(request.url.split('?')[0]!);
    if (!match || match[2]!.includes('..')) return reply.callNotFound();
    const [, channel, fileName] = match as unknown as [string, string, string];
    realRoot ??= realpath(rootDir).catch(() => rootDir);
    const root = await realRoot;
    const file = await realpath(join(rootDir, channel, fileName)).catch(() => null);
    if (!file || !file.startsWith(root + sep)) return reply.callNotFound();
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return reply.callNotFound();

    const type = feedContentType(fileName);
    const isChannelFile = type.startsWith('text/');
    void reply.headers({
      'accept-ranges': 'bytes',
      'last-modified': info.mtime.toUTCString(),
      etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
      'cache-control': isChannelFile ? 'no-cache' : 'public, max-age=86400',
    });
    const ranges = parseRanges(request.headers.range, info.size);
    if (ranges === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${info.size}`).send();
    const head = request.method === 'HEAD';
    if (!ranges || ranges.length === 0) {
      void reply.code(200).headers({ 'content-type': type, 'content-length': String(info.size) });
      return reply.send(head ? undefined : createReadStream(file));
    }
    if (ranges.length === 1) {
      const [start, end] = ranges[0]!;
      void reply.code(206).headers({
        'content-type': type,
        'content-length': String(end - start + 1),
        'content-range': `bytes ${start}-${end}/${info.size}`,
      });
      return reply.send(head ? undefined : createReadStream(file, { start, end }));
    }
    const boundary = `tally-${randomBytes(12).toString('hex')}`;
    const partHeads = ranges.map(
      ([start, end]) => `--${boundary}\r\ncontent-type: ${type}\r\ncontent-range: bytes ${start}-${end}/${info.size}\r\n\r\n`,
    );
    const closing = `--${boundary}--\r\n`;
    const length =
      partHeads.reduce((sum, part, index) => sum + Buffer.byteLength(part) + ranges[index]![1] - ranges[index]![0] + 1 + 2, 0) +
      Buffer.byteLength(closing);
    void reply.code(206).headers({ 'content-type': `multipart/byteranges; boundary=${boundary}`, 'content-length': String(length) });
    if (head) return reply.send();
    // Several ranges: one body written from several reads of the file, so the reply is ours from here.
    reply.hijack();
    const response = reply.raw;
    response.writeHead(206, reply.getHeaders() as OutgoingHttpHeaders);
    try {
      for (const [index, [start, end]] of ranges.entries()) {
        response.write(partHeads[index]);
        await pipeline(createReadStream(file, { start, end }), response, { end: false });
        response.write('\r\n');
      }
      response.end(closing);
      log.debug({ channel, file: fileName, ranges: ranges.length }, 'update feed ranges served');
    } catch (error) {
      // The client went away mid-body, or the file did: nothing more can be said on this response.
      response.destroy();
      log.debug({ channel, file: fileName, err: error instanceof Error ? error.message : String(error) }, 'update feed ranges cut short');
    }
  }
}

/**
 * The byte ranges of a Range header as inclusive [start, end] pairs; null for no (or an
 * unusable) header, which means the whole file; 'unsatisfiable' when none fits the file.
 */
export function parseRanges(header: string | undefined, size: number): Array<[number, number]> | null | 'unsatisfiable' {
  if (!header) return null;
  const match = /^bytes=(.+)$/.exec(header.trim());
  if (!match) return null;
  const specs = match[1]!.split(',').map((spec) => spec.trim());
  if (specs.length > MAX_RANGES) return null;
  const ranges: Array<[number, number]> = [];
  for (const spec of specs) {
    const parts = /^(\d*)-(\d*)$/.exec(spec);
    if (!parts || (parts[1] === '' && parts[2] === '')) return null;
    if (parts[1] === '') {
      const suffix = Number(parts[2]);
      if (suffix > 0 && size > 0) ranges.push([Math.max(0, size - suffix), size - 1]);
      continue;
    }
    const start = Number(parts[1]);
    const end = parts[2] === '' ? size - 1 : Math.min(Number(parts[2]), size - 1);
    if (parts[2] !== '' && Number(parts[2]) < start) return null;
    if (start < size) ranges.push([start, end]);
  }
  return ranges.length === 0 ? 'unsatisfiable' : ranges;
}
