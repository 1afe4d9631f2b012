/**
 * The library's files over HTTP, for the in-app player and for media and image sources:
 * `GET /library/media/:id` (byte ranges, RFC 9110 §14), `GET /library/poster/:id` and
 * `/library/sprite/:id` (JPEG, made on first request), and in the web host
 * `POST /library/upload` (a file from the browser onto the host). Only items of the library
 * are served, by numeric id; the URL never names a path. Two adapters share one answer: Node's
 * `http` (the web host) and the Fetch `Request`/`Response` of Electron's `protocol.handle`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LIBRARY_HTTP_PREFIX, LIBRARY_UPLOAD_PATH } from '../../../common/host/library-contract.ts';
import { resolveInside } from '../static-content.ts';
import { ensureWritableFolder, FolderUnusableError } from '../user-folder.ts';
import { freePath, isMediaFileName, mediaContentType } from './media-files.ts';
import type { ThumbKind } from './thumbnails.ts';

/** What the HTTP layer needs from the library. */
export interface LibraryFiles {
  mediaFile(id: number): Promise<{ path: string; sizeBytes: number } | { error: string; status: 404 | 410 }>;
  thumbnail(id: number, which: ThumbKind): Promise<string | null>;
  readonly uploadsDir: string;
}

/** An answer, before a transport writes it. */
export interface LibraryAnswer {
  status: number;
  headers: Record<string, string>;
  /** Bytes of a file to send, inclusive range. */
  file?: { path: string; start: number; end: number };
  text?: string;
}

/** True for URL paths the library answers. */
export function isLibraryPath(pathname: string): boolean {
  return pathname.startsWith(LIBRARY_HTTP_PREFIX);
}

/** A `Range: bytes=...` header against a size: the one range to send, `unsatisfiable`, or null for the whole file. */
export function parseRange(header: string | undefined | null, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null; // several ranges or another unit: RFC 9110 lets a server send the whole file
  const [, first, last] = match;
  if (first === '' && last === '') return null;
  if (size === 0) return 'unsatisfiable';
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

const ROUTE = /^\/library\/(media|poster|sprite)\/([1-9]\d{0,15})$/;

/** Answers a GET or HEAD for a library path. */
export async function answerLibraryGet(files: LibraryFiles, pathname: string, range: string | null | undefined): Promise<LibraryAnswer> {
  const route = ROUTE.exec(pathname);
  if (!route) return text(404, 'not found');
  const id = Number(route[2]);
  const kind = route[1] as 'media' | ThumbKind;
  if (kind !== 'media') {
    const thumb = await files.thumbnail(id, kind);
    if (!thumb) return text(404, `no ${kind} for this item`);
    const { size } = await stat(thumb);
    return {
      status: 200,
      headers: { 'content-type': 'image/jpeg', 'content-length': String(size), 'cache-control': 'private, max-age=86400' },
      file: { path: thumb, start: 0, end: size - 1 },
    };
  }
  const found = await files.mediaFile(id);
  if ('error' in found) return text(found.status, found.error);
  const base = { 'content-type': mediaContentType(found.path), 'accept-ranges': 'bytes', 'cache-control': 'no-cache' };
  const wanted = parseRange(range, found.sizeBytes);
  if (wanted === 'unsatisfiable') return { status: 416, headers: { ...base, 'content-range': `bytes */${found.sizeBytes}` } };
  if (!wanted) {
    return {
      status: 200,
      headers: { ...base, 'content-length': String(found.sizeBytes) },
      file: { path: found.path, start: 0, end: found.sizeBytes - 1 },
    };
  }
  return {
    status: 206,
    headers: {
      ...base,
      'content-length': String(wanted.end - wanted.start + 1),
      'content-range': `bytes ${wanted.start}-${wanted.end}/${found.sizeBytes}`,
    },
    file: { path: found.path, ...wanted },
  };
}

function text(status: number, body: string): LibraryAnswer {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, text: body };
}

/**
 * Node's adapter (the web host). Call it after the host's own checks (Host, session); an
 * upload must also come from the studio's own origin (`sameOrigin`), since a form on another
 * site could otherwise post with the cookie.
 */
export async function handleLibraryHttp(
  files: LibraryFiles,
  req: IncomingMessage,
  res: ServerResponse,
  options: { sameOrigin: boolean; headers: Record<string, string> },
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === LIBRARY_UPLOAD_PATH) {
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    if (!options.sameOrigin) return void res.writeHead(403, { 'content-type': 'text/plain' }).end('uploads come from the studio page only');
    return receiveUpload(files, req, res, url);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
  const answer = await answerLibraryGet(files, url.pathname, req.headers.range);
  res.writeHead(answer.status, { ...options.headers, ...answer.headers });
  if (req.method === 'HEAD' || !answer.file) return void res.end(req.method === 'HEAD' ? undefined : answer.text);
  const stream = createReadStream(answer.file.path, { start: answer.file.start, end: answer.file.end });
  await pipeline(stream, res).catch(() => res.destroy());
}

/** Fetch adapter (Electron's `protocol.handle`): GET and HEAD only; Electron imports by path, not by upload. */
export async function libraryFetchResponse(files: LibraryFiles, request: Pick<Request, 'url' | 'method' | 'headers'>): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405 });
  const answer = await answerLibraryGet(files, new URL(request.url).pathname, request.headers.get('range'));
  if (!answer.file || request.method === 'HEAD') return new Response(request.method === 'HEAD' ? null : (answer.text ?? null), answer);
  const stream = createReadStream(answer.file.path, { start: answer.file.start, end: answer.file.end });
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, answer);
}

/** A file name from the browser made safe: its last segment, no control characters, not hidden. */
export function safeUploadName(raw: string): string | null {
  const name = basename(raw.replaceAll('\\', '/'))
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
  return name && !name.startsWith('.') && isMediaFileName(name) ? name : null;
}

async function receiveUpload(files: LibraryFiles, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const name = safeUploadName(url.searchParams.get('name') ?? '');
  if (!name) return void res.writeHead(415, { 'content-type': 'text/plain' }).end('not a media file Tally imports');
  const folderParam = url.searchParams.get('folder') ?? '';
  const folder = folderParam ? resolveInside(files.uploadsDir, `/${folderParam.replaceAll('\\', '/')}`) : files.uploadsDir;
  if (!folder || folderParam.split('/').some((segment) => segment.startsWith('.'))) {
    return void res.writeHead(400, { 'content-type': 'text/plain' }).end('bad folder');
  }
  try {
    ensureWritableFolder(folder);
  } catch (error) {
    if (!(error instanceof FolderUnusableError)) throw error;
    return void res.writeHead(409, { 'content-type': 'text/plain' }).end(`the folder cannot take the upload: ${error.reason}`);
  }
  const target = await freePath(folder, name);
  try {
    await pipeline(req, createWriteStream(target));
  } catch (error) {
    await rm(target, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (res.writableEnded || req.destroyed) return;
    if (code === 'ENOSPC') return void res.writeHead(507, { 'content-type': 'text/plain' }).end("the host's disk is full");
    return void res.writeHead(500, { 'content-type': 'text/plain' }).end(`the upload failed: ${(error as Error).message}`);
  }
  res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ path: target }));
}
