/**
 * For tests: a TCP proxy on loopback between a client (the studio) and a server, that can
 * break the path the ways a network does: stall the client's bytes (a dead uplink), or drop
 * only the client's side of each connection while the server keeps its side open (a blip
 * the server does not notice), and later drop the server's side too (it notices at last).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A running proxy. */
export interface TcpProxy {
  /** The loopback port clients connect to. */
  port: number;
  /** Stops forwarding what clients send (and stops reading it): the link is dead, nothing is closed. */
  stall(): void;
  /** Drops the client's side of every connection now open; the server's side stays open and silent. */
  dropClientSides(): void;
  /** Closes the server's side of every connection whose client side is gone. */
  dropServerSides(): void;
  /** Connections made so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (a free port) to `host:port`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs: { client: Socket; server: Socket }[] = [];
  let stalled = false;
  let connections = 0;
  const proxy: Server = createServer((client) => {
    connections++;
    const server = connect(target.port, target.host);
    pairs.push({ client, server });
    client.on('data', (bytes) => {
      if (!stalled) server.write(bytes);
      else client.pause();
    });
    server.on('data', (bytes) => {
      if (!client.destroyed) client.write(bytes);
    });
    client.once('close', () => {
      // A client that left on its own closes its server side; one dropped by the proxy does not.
      if (!dropped.has(client)) server.destroy();
    });
    server.once('close', () => client.destroy());
    for (const socket of [client, server]) socket.on('error', () => {});
  });
  const dropped = new Set<Socket>();
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as { port: number }).port,
    get connections() {
      return connections;
    },
    stall() {
      stalled = true;
    },
    dropClientSides() {
      for (const { client } of pairs) {
        dropped.add(client);
        client.destroy();
      }
    },
    dropServerSides() {
      for (const { client, server } of pairs) if (client.destroyed) server.destroy();
    },
    async close() {
      for (const { client, server } of pairs.splice(0)) {
        client.destroy();
        server.destroy();
      }
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on (the system's free port, closed again): where "nothing answers". */
export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
