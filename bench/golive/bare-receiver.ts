/**
 * The floor under the studio host's receive path, for `golive.bench.ts`: a WebSocket server
 * on Node's HTTP server and `ws` (as the web host is), with the host's media payload limit,
 * that takes in the renderer's stream (the feeder's control and media sockets) and drops each
 * message. What it costs is what any Node host pays to receive a browser's (always masked)
 * WebSocket stream, before it does anything with it.
 *
 * Prints `Receiver: http://127.0.0.1:PORT` once listening; runs until killed.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { MAX_MEDIA_PAYLOAD_BYTES, MEDIA_HEADER_BYTES } from '../../common/host/media-frame.ts';

const server = createServer((_req, res) => res.writeHead(404).end());
const sockets = new WebSocketServer({ server, maxPayload: MEDIA_HEADER_BYTES + MAX_MEDIA_PAYLOAD_BYTES });
let bytes = 0;
sockets.on('connection', (ws) => {
  ws.on('error', () => ws.terminate());
  ws.on('message', (data: Buffer) => {
    bytes += data.byteLength;
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`Receiver: http://127.0.0.1:${address.port}`);
});
process.on('SIGTERM', () => {
  console.error(`received ${bytes} bytes`);
  process.exit(0);
});
