import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FfmpegInfo } from '../../../common/host/contract.ts';
import type { OutputFile, OutputsState } from '../../../common/host/outputs-contract.ts';
import { captureLogger } from '../../../server/log.ts';
import { until } from '../../../server/testing.ts';
import { MediaHub } from '../media-hub.ts';
import { Store } from '../store.ts';
import { OutputsService } from './outputs-service.ts';
import { lanAddress } from './local-origin.ts';
import { answerScreenshot, encodeTestProgram, playAsStudio, probe, probeLive, testOutputsOptions, TINY_PNG } from './testing.ts';

const program = encodeTestProgram({ seconds: 2, gop: 30 });
const FFMPEG: FfmpegInfo = { found: true, path: 'ffmpeg', version: 'test', source: 'path' };

interface Running {
  service: OutputsService;
  hub: MediaHub;
  store: Store;
  files: OutputFile[];
  lines: ReturnType<typeof captureLogger>['lines'];
  latest(): OutputsState;
  /** State events sent so far. */
  events(): number;
}

const open: Running[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const running of open.splice(0)) {
    await running.service.shutdown();
    running.store.dispose();
  }
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tally-outputs-'));
  dirs.push(dir);
  return dir;
}

function start(dir: string, ffmpeg: FfmpegInfo = FFMPEG): Running {
  const store = new Store({ dataDir: dir });
  const hub = new MediaHub(captureLogger());
  const files: OutputFile[] = [];
  const log = captureLogger();
  let latest: OutputsState | null = null;
  let events = 0;
  const service = new OutputsService(
    testOutputsOptions(dir, {
      store,
      log,
      media: hub,
      ffmpeg,
      files: { fileFinished: (file) => files.push(file) },
      onStateChange: (state) => {
        latest = state;
        events++;
      },
    }),
  );
  const running = { service, hub, store, files, lines: log.lines, latest: () => latest ?? service.state(), events: () => events };
  open.push(running);
  return running;
}

/** ffmpeg processes this test process started that are still alive. */
function ffmpegChildren(): number {
  const out = spawnSync('ps', ['--ppid', String(process.pid), '-o', 'comm=']).stdout.toString();
  return out.split('\n').filter((name) => name.trim() === 'ffmpeg').length;
}

/** Plays the program as the studio would, looping until `done()`. */
function studio(running: Running, done: () => boolean): Promise<void> {
  return playAsStudio(running.hub, program, { loops: 1000, stop: done });
}

/** Plays the program as the studio would until the running recording holds more than `ms` of media. */
async function recordMedia(running: Running, ms: number): Promise<void> {
  let done = false;
  const playing = studio(running, () => done);
  try {
    await until(() => running.service.state().recording.durationMs > ms, 20_000, 'recorded media');
  } finally {
    done = true;
    await playing;
  }
}

describe('the outputs service with the embedded origin', () => {
  it('on a fresh install, Go Live starts the local origin, adds it as a destination, and a viewer watches', async () => {
    const running = start(dataDir());
    const state = await running.service.goLive();
    expect(state.localOrigin).toMatchObject({
      state: 'running',
      lan: false,
      viewerUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/live\/studio$/) as unknown,
    });
    expect(state.destinations.map((d) => [d.id, d.service])).toEqual([['local-origin', 'local-origin']]);
    expect(state.encoder.active).toBe(true);
    let done = false;
    const playing = studio(running, () => done);
    try {
      await until(() => running.service.state().destinations[0]!.status.state === 'live', 10_000, 'live');
      expect(await probeLive(state.localOrigin.playback!.flv)).toEqual(['aac', 'h264,320,180']);
    } finally {
      done = true;
      await playing;
    }
    const ended = await running.service.endStream();
    expect(ended.streaming.active).toBe(false);
    expect(ended.encoder.active).toBe(false);
    expect(ended.destinations[0]!.status.state).toBe('idle');
  });

  it('a destination refused for its key shows the server’s reason until the key is edited, then reads idle', async () => {
    const running = start(dataDir());
    const origin = await running.service.startLocalOrigin();
    const saved = running.service.saveDestination({
      name: 'Venue',
      service: 'custom',
      serverUrl: origin.playback!.rtmp.replace(/\/[^/]+$/, ''),
      streamKey: 'wrong',
    });
    await running.service.startDestination(saved.id);
    const venue = () => running.service.state().destinations.find((d) => d.id === saved.id)!.status;
    await until(() => venue().state === 'failed', 10_000, 'refused');
    expect(venue().reason).toMatch(/Invalid stream key/);
    running.service.saveDestination({ id: saved.id, name: 'Venue', service: 'custom', serverUrl: saved.serverUrl, streamKey: 'edited' });
    expect(venue()).toMatchObject({ state: 'idle', reason: null });
  });

  it('comes back after a restart with its destinations and encoder settings, keys masked and never logged', async () => {
    const dir = dataDir();
    const first = start(dir);
    const key = 'sk_live_0123456789abcdefghij';
    first.service.saveDestination({ name: 'Twitch', service: 'twitch', serverUrl: '', streamKey: key });
    first.service.setEncoderSettings({
      videoBitrateKbps: 3000,
      keyframeIntervalSec: 2,
      audioBitrateKbps: 128,
      hardwareAcceleration: 'prefer-software',
    });
    await first.service.startLocalOrigin();
    // As a host that quits: its timers stop before its database closes.
    first.service.dispose();
    first.store.dispose();
    open.splice(open.indexOf(first), 1);

    const second = start(dir);
    const state = second.service.state();
    expect(state.encoder.settings).toEqual({
      videoBitrateKbps: 3000,
      keyframeIntervalSec: 2,
      audioBitrateKbps: 128,
      hardwareAcceleration: 'prefer-software',
    });
    expect(state.destinations.map((d) => [d.name, d.streamKeyMasked])).toEqual([
      ['Twitch', '••••••••ghij'],
      ['Local origin', expect.stringMatching(/^••••••••/) as unknown],
    ]);
    const everything = JSON.stringify([first.lines, second.lines, state]);
    expect(everything).not.toContain(key);
    expect(readFileSync(join(dir, 'tally.db')).includes(key)).toBe(false);
  });

  it('records with or without going live, announces the file, and takes screenshots', async () => {
    const running = start(dataDir());
    running.service.startRecording();
    await recordMedia(running, 2500);
    const file = running.service.stopRecording()!;
    expect(file).toMatchObject({
      kind: 'recording',
      status: 'complete',
      audioCodec: 'mp4a.40.2',
      width: 320,
      height: 180,
      sceneCollectionId: 'collection-1',
      destinationIds: [],
    });
    expect(file.path).toMatch(/Recordings\/Tally \d{4}-\d\d-\d\d \d\d-\d\d-\d\d Main - Stage\.mp4$/);
    expect(running.files).toEqual([file]);
    expect(
      probe(file.path)
        .streams.map((s) => s.codec_name)
        .sort(),
    ).toEqual(['aac', 'h264']);
    expect(running.service.state().encoder.active).toBe(false);

    const saving = running.service.saveScreenshot(42);
    answerScreenshot(running.hub, 42);
    const shot = await saving;
    expect(shot).toMatchObject({ kind: 'screenshot', width: 2, height: 1, status: 'complete' });
    expect(shot.path).toMatch(/Recordings\/Screenshots\/.*\.png$/);
    expect(readFileSync(shot.path).equals(TINY_PNG)).toBe(true);
    expect(running.service.listFiles().map((f) => f.kind)).toEqual(['screenshot', 'recording']);
  });

  it('without ffmpeg, streams video alone and says why there is no audio', { timeout: 60_000 }, async () => {
    const running = start(dataDir(), { found: false, error: 'ffmpeg was not found. Install it' });
    const state = await running.service.goLive();
    let done = false;
    const playing = studio(running, () => done);
    try {
      await until(() => running.latest().audio.state === 'unavailable', 5000, 'the audio state');
      expect(running.latest().audio.error).toMatch(/No audio: ffmpeg was not found/);
      await until(() => running.service.state().destinations[0]!.status.state === 'live', 10_000, 'live');
      expect(await probeLive(state.localOrigin.playback!.flv)).toEqual(['h264,320,180']);
    } finally {
      done = true;
      await playing;
    }
  });

  it('encoder settings stored before the hardware/software choice existed read as "hardware where there is one"', () => {
    const dir = dataDir();
    const first = start(dir);
    first.store.setSetting('outputs.encoder', { videoBitrateKbps: 2500, keyframeIntervalSec: 2, audioBitrateKbps: 128 });
    const second = start(dir);
    expect(second.service.state().encoder.settings).toEqual({
      videoBitrateKbps: 2500,
      keyframeIntervalSec: 2,
      audioBitrateKbps: 128,
      hardwareAcceleration: 'prefer-hardware',
    });
  });

  it('an ffmpeg set while live without one starts the AAC encoder at once (real ffmpeg)', { timeout: 60_000 }, async () => {
    const running = start(dataDir(), { found: false, error: 'ffmpeg was not found. Install it' });
    await running.service.goLive();
    let done = false;
    const playing = studio(running, () => done);
    try {
      await until(() => running.latest().audio.state === 'unavailable', 5000, 'the audio state');
      running.service.setFfmpeg(FFMPEG);
      await until(() => running.latest().audio.state === 'running', 20_000, 'the AAC encoder running');
      expect(running.latest().audio.error).toBeNull();
    } finally {
      done = true;
      await playing;
    }
  });

  it('the local origin can be left out of Go Live, and stays out when it restarts', async () => {
    const running = start(dataDir());
    await running.service.startLocalOrigin();
    expect(running.service.setDestinationEnabled('local-origin', false).enabled).toBe(false);
    await expect(running.service.goLive()).rejects.toThrow(/no destination is enabled/);
    await running.service.stopLocalOrigin();
    await running.service.startLocalOrigin();
    expect(running.service.state().destinations[0]).toMatchObject({ id: 'local-origin', enabled: false });
    expect(() => running.service.setDestinationEnabled('nope', true)).toThrow(/no destination nope/);
    running.service.setDestinationEnabled('local-origin', true);
    const live = await running.service.goLive();
    expect(live.destinations[0]!.status.state).not.toBe('idle');
  });

  it('hosting asked for again while live, after its destination was removed, streams there at once and a viewer watches', async () => {
    const running = start(dataDir());
    await running.service.goLive();
    let done = false;
    const playing = studio(running, () => done);
    try {
      await until(() => running.service.state().destinations[0]?.status.state === 'live', 10_000, 'live');
      await running.service.removeDestination('local-origin');
      expect(running.service.state().destinations).toEqual([]);
      // As the Stream page does it: Stop hosting, then Host on this computer.
      await running.service.stopLocalOrigin();
      const hosting = await running.service.startLocalOrigin();
      await until(() => running.service.state().destinations[0]?.status.state === 'live', 10_000, 'live again');
      expect(await probeLive(hosting.playback!.flv)).toEqual(['aac', 'h264,320,180']);
    } finally {
      done = true;
      await playing;
    }
  });

  it('marks a recording the last run left unfinished as interrupted, and announces it', async () => {
    const dir = dataDir();
    const first = start(dir);
    first.service.startRecording();
    let done = false;
    const playing = studio(first, () => done);
    await until(() => first.service.state().recording.bytes > 10_000, 20_000, 'some fragments');
    done = true;
    await playing;
    const path = first.service.state().recording.path!;
    // As after a kill -9: the next host starts while the row still says "recording" and the
    // file has no moov. (The first is left as it is and shut down after the test: closing its
    // store under it would leave its timers reading a closed database.)
    const second = start(dir);
    await second.service.recovered;
    const probed = probe(path);
    expect(probed.streams.map((s) => s.codec_name)).toContain('h264');
    expect(second.files).toEqual([
      expect.objectContaining({
        path,
        status: 'interrupted',
        kind: 'recording',
        sizeBytes: statSync(path).size,
        videoCodec: expect.stringMatching(/^avc1\./) as unknown,
        audioCodec: 'mp4a.40.2',
        width: 320,
        height: 180,
      }) as unknown,
    ]);
    expect(Math.abs(second.files[0]!.durationMs! / 1000 - probed.durationSec)).toBeLessThan(0.5);
    expect(second.service.listFiles()[0]).toEqual(second.files[0]);
    // What the studio shows at start (as a recording error: "Recording: …").
    expect(second.latest().recording.error).toMatch(
      /^The last recording was cut short when Tally stopped: .+\.mp4 keeps its first \d+ s and was added to the library\.$/,
    );
  });

  it('a recording the last run cut short before it wrote anything (no file, or an empty one) is marked empty, said in one line, and announced to no one', async () => {
    for (const leftBehind of ['no file', 'an empty file'] as const) {
      const dir = dataDir();
      const first = start(dir);
      // Recording, but no media has come yet: the row exists, the file does not.
      first.service.startRecording();
      const path = first.service.state().recording.path!;
      expect(existsSync(path)).toBe(false);
      if (leftBehind === 'an empty file') writeFileSync(path, '');
      const second = start(dir);
      await second.service.recovered;
      expect(second.files).toEqual([]);
      expect(second.service.listFiles()).toEqual([
        expect.objectContaining({ path, status: 'empty', sizeBytes: 0, durationMs: null }) as unknown,
      ]);
      const warnings = second.lines.filter((line) => line.level === 'warn' || line.level === 'error');
      expect(warnings).toEqual([
        expect.objectContaining({
          msg: 'a recording the last shutdown cut short had recorded nothing; it is not added to the library',
          fields: { path, problem: leftBehind === 'no file' ? 'there is no file' : 'the file is empty' },
        }) as unknown,
      ]);
      expect(JSON.stringify(warnings)).not.toMatch(/stack|plays/);
      expect(second.latest().recording.error).toBe(
        'The last recording was cut short when Tally stopped, before anything was recorded: nothing was saved.',
      );
    }
  });

  it('keeps the audio when the audio bitrate changes while recording, again and again (the AAC child restarts once each time)', async () => {
    const running = start(dataDir());
    running.service.startRecording();
    let done = false;
    const playing = studio(running, () => done);
    try {
      const settings = { videoBitrateKbps: 2500, keyframeIntervalSec: 2, audioBitrateKbps: 160 };
      for (const [i, audioBitrateKbps] of [96, 128, 160].entries()) {
        await until(() => running.service.state().recording.durationMs > 1000 * (i + 1), 20_000, 'recorded media');
        running.service.setEncoderSettings({ ...settings, audioBitrateKbps });
      }
      await until(() => running.service.state().recording.durationMs > 4500, 20_000, 'media after the last change');
      expect(running.service.state().audio).toEqual({ state: 'running', error: null });
    } finally {
      done = true;
      await playing;
    }
    const file = running.service.stopRecording()!;
    // Stopped with the recording: no AAC child left behind by any of the changes.
    await until(() => ffmpegChildren() === 0, 10_000, 'the AAC children gone');
    const streams = probe(file.path).streams;
    const duration = (codec: string) => Number(streams.find((stream) => stream.codec_name === codec)?.duration);
    // Audio to the end: each change loses at most what the old child still held (tens of ms).
    expect(duration('aac')).toBeGreaterThan(duration('h264') - 0.5);
  });

  it('sends the state only when it changed', async () => {
    const running = start(dataDir());
    const settings = { videoBitrateKbps: 3000, keyframeIntervalSec: 2, audioBitrateKbps: 160 };
    running.service.setEncoderSettings(settings);
    await until(() => running.events() === 1, 5000, 'the first state');
    running.service.setEncoderSettings(settings);
    await new Promise((resolve) => setTimeout(resolve, 600)); // past the 250 ms coalescing
    expect(running.events()).toBe(1);
    running.service.setEncoderSettings({ ...settings, videoBitrateKbps: 2500 });
    await until(() => running.events() === 2, 5000, 'the changed state');
    expect(running.latest().encoder.settings.videoBitrateKbps).toBe(2500);
  });

  it('keeps recordings in the folder the user chooses (absolute, created when missing)', () => {
    const dir = dataDir();
    const running = start(dir);
    expect(() => running.service.setRecordingFolder('relative/folder')).toThrow(/absolute/);
    // A file where the folder should be: refused with the reason, and the folder in use stays.
    const before = running.service.state().recording.folder;
    writeFileSync(join(dir, 'a-file'), 'x');
    expect(() => running.service.setRecordingFolder(join(dir, 'a-file', 'recordings'))).toThrow(
      `${join(dir, 'a-file', 'recordings')} cannot be the recordings folder: a file is in the way, not a folder`,
    );
    expect(running.service.state().recording.folder).toBe(before);
    // A folder no file can be written in (access() says yes to root; a real write says no).
    if (existsSync('/proc/self'))
      expect(() => running.service.setRecordingFolder('/proc')).toThrow(
        '/proc cannot be the recordings folder: new folders or files cannot be made there',
      );
    expect(running.service.state().recording.folder).toBe(before);
    const chosen = join(dir, 'chosen', 'Shows');
    expect(running.service.setRecordingFolder(chosen).folder).toBe(chosen);
    expect(existsSync(chosen)).toBe(true);
    expect(running.service.startRecording().path!.startsWith(chosen)).toBe(true);
    running.service.stopRecording();
  });

  it('records in the format chosen, named with its extension and indexed like an MP4; the choice survives a restart', async () => {
    const dir = dataDir();
    const first = start(dir);
    expect(first.service.state().recording.format).toBe('hybrid-mp4');
    expect(() => first.service.setRecordingFormat('avi')).toThrow(
      /unknown recording format "avi": choose one of hybrid-mp4, fragmented-mp4, flv/,
    );
    expect(first.service.setRecordingFormat('flv').format).toBe('flv');
    expect(first.latest().recording.format).toBe('flv');

    const running = start(dir);
    expect(running.service.state().recording.format).toBe('flv');
    running.service.startRecording();
    await recordMedia(running, 2500);
    // A change while recording applies to the next one.
    running.service.setRecordingFormat('fragmented-mp4');
    const file = running.service.stopRecording()!;
    expect(file.path).toMatch(/Recordings\/Tally \d{4}-\d\d-\d\d \d\d-\d\d-\d\d Main - Stage\.flv$/);
    expect(file).toMatchObject({ kind: 'recording', status: 'complete', audioCodec: 'mp4a.40.2', width: 320, height: 180 });
    expect(file.durationMs).toBeGreaterThan(2500);
    expect(file.sizeBytes).toBe(statSync(file.path).size);
    expect(running.service.listFiles()[0]).toEqual(file);
    expect(running.files.at(-1)).toEqual(file);
    const probed = probe(file.path);
    expect(probed.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(probed.durationSec).toBeGreaterThan(2.5);
    expect(running.service.startRecording().path).toMatch(/\.mp4$/);
    running.service.stopRecording();
  });
});

describe('the local origin on the LAN', () => {
  it('shows viewers the first non-internal IPv4 address', () => {
    expect(
      lanAddress({
        lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '255.0.0.0', mac: '', cidr: null }],
        eth0: [
          { address: 'fe80::1', family: 'IPv6', internal: false, netmask: '', mac: '', cidr: null, scopeid: 2 },
          { address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '', cidr: null },
        ],
      }),
    ).toBe('192.168.1.20');
    expect(lanAddress({})).toBeNull();
  });
});
