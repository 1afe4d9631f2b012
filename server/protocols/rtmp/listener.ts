/**
 * The RTMP listener: accepts sockets, bounds how many are open, and hands each to an
 * `RtmpConnection`. Closing it stops accepting and closes every connection.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { nodeHandshakeCrypto } from '../../../net/rtmp/handshake-crypto.ts';
import type { Server as TlsServer } from 'node:tls';
import type { CertificatePair } from '../tls-certificates.ts';
import type { Logger } from '../../log.ts';
import { RtmpConnection, type RtmpLimits } from './conn.ts';
import type { StreamAdmission } from '../../stream/admission.ts';

/** How the listener is set up. */
export interface RtmpListenerOptions {
  host: string;
  port: number;
  app: string;
  maxConnections: number;
  limits: RtmpLimits;
  log: Logger;
  admission: StreamAdmission;
  /** RTMPS: the certificate and key to accept TLS with. */
  tls?: CertificatePair;
}

/** An RTMP server socket and its connections. */
export class RtmpListener {
  private readonly options: RtmpListenerOptions;
  private readonly server: Server;
  private readonly connections = new Set<RtmpConnection>();
  private readonly startedAtMs = Date.now();
  private nextId = 1;

  constructor(options: RtmpListenerOptions) {
    this.options = options;
    this.server = options.tls
      ? // node:tls only when RTMPS is on: an origin without a certificate does not load it (idle RSS).
        process.getBuiltinModule('node:tls').createServer({ ...options.tls, noDelay: true }, (socket) => this.accept(socket))
      : createServer({ noDelay: true }, (socket) => this.accept(socket));
    // A failed TLS handshake ends that socket only.
    this.server.on('tlsClientError', (error: Error, socket: Socket) => {
      options.log.warn(
        { remote: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`, err: error.message },
        'rtmps handshake failed',
      );
    });
    this.server.maxConnections = options.maxConnections;
    this.server.on('drop', (info) => {
      options.log.warn(
        { remote: `${info?.remoteAddress ?? '?'}:${info?.remotePort ?? 0}`, reason: `over ${options.maxConnections} connections` },
        'rtmp connection refused',
      );
    });
  }

  /** RTMPS: a new certificate for new connections (open ones keep theirs). */
  setSecureContext(pair: CertificatePair): void {
    (this.server as TlsServer).setSecureContext(pair);
  }

  /** Open connections (publishers, players, and ones still starting). */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  private accept(socket: Socket): void {
    const connection = new RtmpConnection(`rtmp-${this.nextId++}`, socket, {
      log: this.options.log,
      crypto: nodeHandshakeCrypto,
      admission: this.options.admission,
      app: this.options.app,
      limits: this.options.limits,
      uptimeMs: () => Date.now() - this.startedAtMs,
      onClosed: (closed) => this.connections.delete(closed),
    });
    this.connections.add(connection);
  }

  /** Stops accepting new connections. */
  stopAccepting(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Stops accepting and closes every connection with `reason`. */
  async close(reason: string): Promise<void> {
    const stopped = this.stopAccepting();
    for (const connection of [...this.connections]) connection.close(reason, 'info', true);
    await stopped;
  }
}
