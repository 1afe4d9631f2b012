/**
 * The origin's Prometheus figures (prom-client, one registry per origin, so two
 * origins in a process keep their figures apart): bytes in and out, publishers, viewers and
 * dropped frames per stream, connections, and the process figures prom-client collects.
 * Values are read from the streams when scraped; the media path only bumps plain counters.
 * Process figures (CPU, memory, event loop, GC) describe the process, so one registry of them
 * is made on first use and shared: prom-client's collectors install process-wide observers
 * that are never removed, and an embedder starting origins repeatedly must not pile them up.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ReaderProtocol } from '../stream/live-stream.ts';
import type { MetricsSource, OriginMetrics } from './metrics.ts';

const PROTOCOLS: ReaderProtocol[] = ['rtmp', 'flv', 'hls'];

let processRegistry: Registry | undefined;

/** The process figures, collected once per process. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    // prom-client counts CPU from when its collector is made (here, at the first scrape);
    // Prometheus's process_cpu_* are since the process started, so add what came before.
    const before = process.cpuUsage();
    collectDefaultMetrics({ register: processRegistry });
    const counters: [string, number][] = [
      ['process_cpu_user_seconds_total', before.user],
      ['process_cpu_system_seconds_total', before.system],
      ['process_cpu_seconds_total', before.user + before.system],
    ];
    for (const [name, micros] of counters) (processRegistry.getSingleMetric(name) as Counter | undefined)?.inc(micros / 1e6);
  }
  return processRegistry;
}

/** Builds the origin's registry. */
export function createOriginMetrics(source: MetricsSource): OriginMetrics {
  const registry = new Registry();
  const processFigures = processMetrics();
  new Gauge({
    name: 'tally_origin_publishers',
    help: 'Streams with a publisher now',
    registers: [registry],
    collect() {
      this.set(source.streams().filter((stream) => stream.live).length);
    },
  });
  new Gauge({
    name: 'tally_origin_stream_live',
    help: '1 while the stream has a publisher',
    labelNames: ['stream'],
    registers: [registry],
    collect() {
      this.reset();
      for (const stream of source.streams()) this.set({ stream: stream.name }, stream.live ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tally_origin_viewers',
    help: 'Viewers now, by stream and protocol',
    labelNames: ['stream', 'protocol'],
    registers: [registry],
    collect() {
      this.reset();
      for (const stream of source.streams()) {
        const viewers = stream.viewers();
        viewers.hls = source.hlsViewers(stream.name);
        for (const protocol of PROTOCOLS) this.set({ stream: stream.name, protocol }, viewers[protocol]);
      }
    },
  });
  new Counter({
    name: 'tally_origin_bytes_received_total',
    help: 'Media bytes received from publishers',
    labelNames: ['stream'],
    registers: [registry],
    collect() {
      this.reset();
      for (const stream of source.streams()) this.inc({ stream: stream.name }, stream.stats.bytesIn);
    },
  });
  new Counter({
    name: 'tally_origin_bytes_sent_total',
    help: 'Media bytes sent to viewers, by protocol',
    labelNames: ['stream', 'protocol'],
    registers: [registry],
    collect() {
      this.reset();
      for (const stream of source.streams())
        for (const protocol of PROTOCOLS) this.inc({ stream: stream.name, protocol }, stream.stats.bytesOut[protocol]);
    },
  });
  new Counter({
    name: 'tally_origin_dropped_frames_total',
    help: 'Video frames skipped for viewers that fell behind',
    labelNames: ['stream'],
    registers: [registry],
    collect() {
      this.reset();
      for (const stream of source.streams()) this.inc({ stream: stream.name }, stream.stats.droppedFrames);
    },
  });
  new Gauge({
    name: 'tally_origin_ingest_bitrate_kbps',
    help: 'Incoming bitrate over the last seconds',
    labelNames: ['stream'],
    registers: [registry],
    collect() {
      this.reset();
      for (const stream of source.streams()) if (stream.live) this.set({ stream: stream.name }, Math.round(stream.bitrateBps() / 1000));
    },
  });
  new Gauge({
    name: 'tally_origin_rtmp_connections',
    help: 'Open RTMP connections (publishers, players and ones starting)',
    registers: [registry],
    collect() {
      this.set(source.rtmpConnections());
    },
  });
  return {
    contentType: registry.contentType,
    metrics: async () => `${await registry.metrics()}\n${await processFigures.metrics()}`,
  };
}
