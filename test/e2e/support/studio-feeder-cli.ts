/**
 * `node studio-feeder-cli.ts STUDIO_URL RENDITIONS_DIR SECONDS SERVER_URL KEY`: run inside
 * the weak-network test's namespace. It adds a destination with adaptive bitrate, plays the
 * renditions (`video-KBPS.flv`) following the host's bitrate for SECONDS, and prints one
 * JSON line: the host's figures each second and the destination's final status.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DestinationStatus } from '../../../common/host/outputs-contract.ts';
import { feedRenditions, readRendition, StudioConnection } from './studio-feeder.ts';

const [studioUrl, renditionsDir, secondsText, serverUrl, streamKey] = process.argv.slice(2);
if (!studioUrl || !renditionsDir || !secondsText || !serverUrl || !streamKey)
  throw new Error('usage: studio-feeder-cli.ts URL DIR SECONDS SERVER_URL KEY');

const renditions = readdirSync(renditionsDir)
  .map((file) => /^video-(\d+)\.flv$/.exec(file))
  .filter((match) => match !== null)
  .map((match) => readRendition(join(renditionsDir, match[0]), Number(match[1])))
  .sort((a, b) => b.kbps - a.kbps);
const connection = await StudioConnection.open(studioUrl);
await connection.call('outputs.setEncoderSettings', {
  videoBitrateKbps: renditions[0]!.kbps,
  keyframeIntervalSec: 2,
  audioBitrateKbps: 128,
});
const destination = await connection.call<{ id: string }>('outputs.saveDestination', {
  name: 'Weak link',
  service: 'custom',
  serverUrl,
  streamKey,
  enabled: true,
  adaptiveBitrate: true,
});
await connection.call('outputs.startDestination', destination.id);

const history: {
  t: number;
  targetKbps: number;
  renditionKbps: number;
  state: string;
  sentKbps: number;
  queueMs: number;
  dropped: number;
}[] = [];
const statusOf = (): DestinationStatus | undefined => connection.state?.destinations.find((d) => d.id === destination.id)?.status;
await feedRenditions(connection, renditions, {
  seconds: Number(secondsText),
  onSecond(t, state, renditionKbps) {
    const status = statusOf();
    history.push({
      t,
      targetKbps: state?.encoder.targetVideoBitrateKbps ?? 0,
      renditionKbps,
      state: status?.state ?? 'unknown',
      sentKbps: Math.round(status?.bitrateKbps ?? 0),
      queueMs: Math.round(status?.queueMs ?? 0),
      dropped: status?.framesDropped ?? 0,
    });
  },
});
process.stdout.write(`${JSON.stringify({ history, final: statusOf() ?? null })}\n`);
await connection.call('outputs.stopDestination', destination.id);
connection.close();
process.exit(0);
