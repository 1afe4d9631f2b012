/**
 * The studio engine: a plain class with its own frame loop at the output frame rate. It
 * takes commands (scene edits, transitions, encoding), runs the sources of the collection,
 * composites program (and preview in studio mode) with WebGL2, mixes audio, feeds the
 * encoder, and publishes snapshots for the UI (≤10 Hz) and meters (≤30 Hz). No React.
 */
import type { Disposable } from '../../common/host/contract-kit.ts';
import { applySceneCommand, type SceneCommand } from '../../common/scene/commands.ts';
import { emptyCollection, SceneCollection, SceneItem, type Scene, type Transition } from '../../common/scene/schema.ts';
import { sourcesToRestart } from './activation.ts';
import { AudioMixer, type MeterSnapshot } from './audio/mixer.ts';
import { Compositor, type LiveSource, type OutputSize } from './compositor.ts';
import { FilterChainRunner } from './filters/chain.ts';
import { GlContextSystem, type EngineCanvas } from './gl/context-system.ts';
import { QuadSystem } from './gl/quad-system.ts';
import { RenderTargetSystem } from './gl/render-target-system.ts';
import { ShaderSystem } from './gl/shader-system.ts';
import { TextureSystem } from './gl/texture-system.ts';
import { EncoderSession, type EncodingSettings } from './output/encoder-session.ts';
import type { EncoderInfo } from './output/video-encoder.ts';
import type { MediaSink } from './output/sink.ts';
import { createSource } from './sources/create-source.ts';
import type { CaptureDevices, SourceStatus } from './sources/source.ts';
import { FramePacer, frameTimestampUs } from './timing.ts';
import { slideOffsets, transitionProgress, type ActiveTransition } from './transitions.ts';

/** The output canvas: its size and frame rate never follow the window. */
export interface OutputSettings {
  width: number;
  height: number;
  fps: number;
}

/** How long the frame loop waits for the GPU to finish one frame before it draws the next anyway, ms (SwiftShader takes ~200 at 720p). */
const GPU_FENCE_GIVE_UP_MS = 1000;

/** The sizes and rates the studio offers. */
export const OUTPUT_PRESETS: readonly OutputSettings[] = [
  { width: 1280, height: 720, fps: 30 },
  { width: 1280, height: 720, fps: 60 },
  { width: 1920, height: 1080, fps: 30 },
  { width: 1920, height: 1080, fps: 60 },
];

/** Figures about rendering and encoding. */
export interface EngineStats {
  /** Frames rendered over the last second. */
  renderFps: number;
  /** Mean CPU-side time of the last 30 frames, ms. */
  renderTimeMs: number;
  framesRendered: number;
  /** Frames whose time passed before the loop could render them. */
  framesSkippedRenderLag: number;
  /** Rendered frames not encoded because the encoder's queue was full. */
  framesSkippedEncodeLag: number;
  framesEncoded: number;
  /** Frames waiting inside the encoder now. */
  encodeQueue: number;
  contextLosses: number;
  contextRestores: number;
  encoder: EncoderInfo | null;
  /** The last encoder failure, if any (a hardware failure falls back to software by itself). */
  encoderError: string | null;
  /** Bytes of encoded media the host has not taken in yet (0 when not sending to a host). */
  hostQueueBytes: number;
  /** Video frames dropped (whole GOPs) because the host was behind. */
  framesDroppedHostLag: number;
  /** Why the last frame failed, until one succeeds. */
  frameError: string | null;
  /** Times the audio device skipped samples (the PCM timeline restarted from the clock). */
  audioGaps: number;
}

/** What the UI reads, at most ten times a second. */
export interface EngineSnapshot {
  collection: SceneCollection;
  output: OutputSettings;
  studioMode: boolean;
  transition: { kind: Transition['kind']; toSceneId: string; progress: number } | null;
  sources: Record<string, SourceStatus & { width: number | null; height: number | null }>;
  audioRunning: boolean;
  stats: EngineStats;
}

export type { EncodingSettings } from './output/encoder-session.ts';

/** What an engine is made with; everything but `output` has a default. */
export interface StudioEngineOptions {
  output: OutputSettings;
  collection?: SceneCollection;
  /** Where the program is drawn; a new canvas of the output size by default. */
  canvas?: EngineCanvas;
  /** Capture devices; `navigator.mediaDevices` by default. */
  devices?: CaptureDevices;
  /** The engine clock, ms (monotonic); `performance.now` by default. */
  now?: () => number;
  /** Wall-clock time, epoch ms, for clock and countdown sources. */
  epochNow?: () => number;
  /** The mixer's worklet module URL and sample rate (48 kHz by default), or false to run without audio. */
  audio?: { workletUrl: string; sampleRate?: number } | false;
  /** Run the frame loop (default true). Off, frames render only through `renderFrame()`. */
  frameLoop?: boolean;
}

/** A live view of one source in a dialog (properties, filters): its picture with or without its filters. */
export interface SourceViewHandle extends Disposable {
  /** Shows the source without its filters (the filters dialog's A/B comparison). */
  setBypassFilters(bypass: boolean): void;
}

interface SourceView {
  canvas: HTMLCanvasElement;
  sourceId: string;
  item: SceneItem;
  bypassFilters: boolean;
}

/** Validates output settings: even sizes the encoder accepts, rates it can pace. */
export function checkOutput(output: OutputSettings): OutputSettings {
  const ok = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;
  if (!ok(output.width, 16, 7680) || !ok(output.height, 16, 4320) || output.width % 2 || output.height % 2)
    throw new RangeError(`output ${output.width}x${output.height} must be even sizes from 16x16 to 7680x4320`);
  if (!(output.fps >= 1 && output.fps <= 120)) throw new RangeError(`output rate ${output.fps} fps must be 1..120`);
  return output;
}

/** The studio engine (see the file comment). */
export class StudioEngine implements Disposable {
  readonly output: OutputSettings;
  readonly canvas: EngineCanvas;
  private readonly context: GlContextSystem;
  private readonly shaders: ShaderSystem;
  private readonly textures: TextureSystem;
  private readonly targets: RenderTargetSystem;
  private readonly quad: QuadSystem;
  private readonly filters: FilterChainRunner;
  private readonly compositor: Compositor;
  private readonly devices: CaptureDevices;
  private readonly now: () => number;
  private readonly epochNow: () => number;
  private readonly mixer: AudioMixer | null;
  private collectionValue: SceneCollection;
  private readonly live = new Map<string, LiveSource>();
  private studio = false;
  private active: ActiveTransition | null = null;
  private readonly previews = new Set<HTMLCanvasElement>();
  private readonly encoding: EncoderSession;
  private readonly sourceViews = new Set<SourceView>();
  private pacer: FramePacer;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Signalled when the GPU has finished the last frame the loop drew (null: none pending), and when it was set (ms). */
  private gpuFence: WebGLSync | null = null;
  private gpuFencedAtMs = 0;
  private manualIndex = 0;
  private readonly renderTimes: number[] = [];
  private readonly renderedAt: number[] = [];
  private readonly stats = { framesRendered: 0, framesSkippedRenderLag: 0, contextLosses: 0 };
  /** Sources whose picture failed to draw (an upload refused, a shader that did not compile). */
  private readonly renderErrors = new Map<string, string>();
  private lastFrameError: string | null = null;
  private readonly snapshotListeners = new Set<(snapshot: EngineSnapshot) => void>();
  private readonly collectionListeners = new Set<(collection: SceneCollection) => void>();
  private snapshotTimer: ReturnType<typeof setInterval> | null = null;
  private readonly disposables: Disposable[] = [];
  private disposed = false;

  private constructor(options: StudioEngineOptions, mixer: AudioMixer | null) {
    this.output = checkOutput(options.output);
    this.canvas = options.canvas ?? createCanvas(this.output);
    this.canvas.width = this.output.width;
    this.canvas.height = this.output.height;
    this.now = options.now ?? (() => performance.now());
    this.epochNow = options.epochNow ?? (() => Date.now());
    this.devices = options.devices ?? navigator.mediaDevices;
    this.mixer = mixer;
    this.encoding = new EncoderSession(this.output, mixer);
    this.context = new GlContextSystem(this.canvas);
    this.shaders = this.context.add(new ShaderSystem());
    this.textures = this.context.add(new TextureSystem());
    this.targets = this.context.add(new RenderTargetSystem());
    this.quad = this.context.add(new QuadSystem());
    this.filters = new FilterChainRunner({ gl: this.context.gl, shaders: this.shaders, targets: this.targets, quad: this.quad });
    this.compositor = new Compositor({
      onSourceError: (sourceId, error) => this.renderErrors.set(sourceId, error instanceof Error ? error.message : String(error)),
      gl: () => this.context.gl,
      shaders: this.shaders,
      textures: this.textures,
      quad: this.quad,
      filters: this.filters,
    });
    this.disposables.push(
      this.context.onChange((lost) => {
        if (lost) {
          this.gpuFence = null;
          this.stats.contextLosses++;
          this.filters.contextLost();
        }
      }),
    );
    this.collectionValue = emptyCollection('studio', 'Studio', { width: this.output.width, height: this.output.height });
    this.pacer = new FramePacer(this.output.fps, this.now());
  }

  /** Creates an engine: WebGL2 context, audio context and worklets, the collection's sources. */
  static async create(options: StudioEngineOptions): Promise<StudioEngine> {
    let created: StudioEngine | null = null;
    // The mixer stamps PCM on the engine's clock: µs since the frame loop's origin, the same as video.
    const mixer = options.audio
      ? await AudioMixer.create({
          workletUrl: options.audio.workletUrl,
          clockUs: () => created?.clockUs() ?? 0,
          ...(options.audio.sampleRate ? { sampleRate: options.audio.sampleRate } : {}),
        })
      : null;
    const engine = new StudioEngine(options, mixer);
    created = engine;
    if (options.collection) engine.load(options.collection);
    if (options.frameLoop !== false) engine.start();
    return engine;
  }

  /** The shared clock, µs since the frame loop's origin: video frame n is n/fps on it. */
  clockUs(): number {
    return (this.now() - this.pacer.startMs) * 1000;
  }

  /** The collection the engine runs. */
  get collection(): SceneCollection {
    return this.collectionValue;
  }

  /** The WebGL2 context, for diagnostics (and tests that lose it on purpose). */
  get gl(): WebGL2RenderingContext {
    return this.context.gl;
  }

  // ---- commands -----------------------------------------------------------------------

  /** Replaces the whole collection (validated), starting and stopping sources to match. */
  load(collection: SceneCollection): void {
    this.collectionValue = SceneCollection.parse(collection);
    this.active = null;
    this.reconcile();
    this.collectionChanged();
  }

  /** Applies one scene edit. */
  dispatch(command: SceneCommand): void {
    const before = this.collectionValue;
    const next = applySceneCommand(this.collectionValue, command);
    if (command.type === 'setProgramScene' && next.programSceneId !== this.collectionValue.programSceneId) {
      // Program changes go through the transition, as a click on a scene does in OBS.
      this.startTransition(this.collectionValue.programSceneId, next.programSceneId, next.transition);
    }
    this.collectionValue = next;
    this.reconcile();
    this.restartActivated(before);
    this.collectionChanged();
  }

  /** Stops and starts a source again (a camera that was busy, a screen share to choose anew). */
  restartSource(sourceId: string): void {
    this.stopSource(sourceId);
    this.reconcile();
  }

  /** Media set to restart on activate plays from its start when it comes on program. */
  private restartActivated(before: SceneCollection): void {
    for (const id of sourcesToRestart(before, this.collectionValue)) this.live.get(id)?.runtime.restart?.();
  }

  /** Studio mode: edits go to preview, and `transition()` takes preview to program. */
  setStudioMode(on: boolean): void {
    if (on && !this.studio)
      this.collectionValue = applySceneCommand(this.collectionValue, {
        type: 'setPreviewScene',
        sceneId: this.collectionValue.programSceneId,
      });
    this.studio = on;
  }

  get studioMode(): boolean {
    return this.studio;
  }

  /** Takes the preview scene to program with the collection's transition (or `transition`). */
  transition(transition?: Partial<Transition>): void {
    const spec = { ...this.collectionValue.transition, ...transition };
    const from = this.collectionValue.programSceneId;
    const to = this.collectionValue.previewSceneId;
    if (from === to) return;
    const before = this.collectionValue;
    this.collectionValue = applySceneCommand(this.collectionValue, { type: 'setProgramScene', sceneId: to });
    this.startTransition(from, to, spec);
    this.restartActivated(before);
    this.collectionChanged();
  }

  private startTransition(fromSceneId: string, toSceneId: string, spec: Transition): void {
    this.active =
      spec.kind === 'cut' || spec.durationMs <= 0
        ? null
        : { kind: spec.kind, fromSceneId, toSceneId, startMs: this.now(), durationMs: spec.durationMs };
  }

  /** Shows the preview scene on `canvas` each frame while studio mode is on. */
  attachPreview(canvas: HTMLCanvasElement): Disposable {
    canvas.width = this.output.width;
    canvas.height = this.output.height;
    this.previews.add(canvas);
    return { dispose: () => this.previews.delete(canvas) };
  }

  /**
   * Draws one source on `canvas` each frame, through its filters (or without them), fitted
   * with its aspect kept; for the live previews of the source and filter dialogs.
   */
  attachSourceView(canvas: HTMLCanvasElement, sourceId: string): SourceViewHandle {
    const view: SourceView = { canvas, sourceId, item: SceneItem.parse({ id: 'view', sourceId }), bypassFilters: false };
    this.sourceViews.add(view);
    return {
      setBypassFilters: (bypass) => (view.bypassFilters = bypass),
      dispose: () => this.sourceViews.delete(view),
    };
  }

  /** The size of a source's picture, or null while it has none. */
  sourceSize(sourceId: string): { width: number; height: number } | null {
    return this.live.get(sourceId)?.runtime.size ?? null;
  }

  /** Where monitored sound plays; see `AudioMixer.setMonitoringDevice`. */
  async setMonitoringDevice(deviceId: string | null): Promise<void> {
    if (!this.mixer) throw new Error('the studio runs without audio');
    await this.mixer.setMonitoringDevice(deviceId);
  }

  /** Starts the audio context (browsers require a user gesture) and paused media. */
  async resumeAudio(): Promise<void> {
    await this.mixer?.resume();
    await Promise.all([...this.live.values()].map((source) => source.runtime.resume?.() ?? Promise.resolve()));
  }

  /** Resolves when every source has started or failed. */
  async whenSourcesStarted(): Promise<void> {
    await Promise.all([...this.live.values()].map((source) => source.runtime.started));
  }

  /** Starts encoding program frames (and sending mixed PCM) to `sink` (see `EncoderSession`). */
  startEncoding(settings: EncodingSettings, sink: MediaSink): Promise<EncoderInfo> {
    return this.encoding.start(settings, sink);
  }

  /** Stops encoding after flushing what is queued. */
  stopEncoding(): Promise<void> {
    return this.encoding.stop();
  }

  /** Changes the running encoder's video bitrate (dynamic bitrate). */
  setEncodingBitrate(bitrateKbps: number): void {
    this.encoding.setBitrate(bitrateKbps);
  }

  /** The program as RGBA pixels, top row first, rendered now at full output resolution. */
  readProgram(): { width: number; height: number; data: Uint8Array } {
    const gl = this.context.gl;
    this.renderOutputs(false);
    const { width, height } = this.output;
    const data = new Uint8Array(width * height * 4);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, data);
    this.filters.endFrame();
    // The canvas's row 0 is its bottom.
    const row = width * 4;
    const flipped = new Uint8Array(data.length);
    for (let y = 0; y < height; y++) flipped.set(data.subarray((height - 1 - y) * row, (height - y) * row), y * row);
    return { width, height, data: flipped };
  }

  /** A PNG of the program at full output resolution. */
  async screenshot(): Promise<Blob> {
    const { width, height, data } = this.readProgram();
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('2D canvas is not available for the screenshot');
    context.putImageData(new ImageData(new Uint8ClampedArray(data.buffer as ArrayBuffer), width, height), 0, 0);
    return canvas.convertToBlob({ type: 'image/png' });
  }

  // ---- frame loop ---------------------------------------------------------------------

  /** Starts the frame loop (on by default). */
  start(): void {
    if (this.timer !== null || this.disposed) return;
    const tick = () => {
      const due = this.pacer.due(this.now());
      if (due && this.gpuBehind()) {
        // The GPU has not finished the last frame: drawing another would only queue work and
        // starve the page (its animation frames, the encoder's readbacks). Skip, as render lag.
        this.stats.framesSkippedRenderLag += due.skipped + 1;
      } else if (due) {
        this.stats.framesSkippedRenderLag += due.skipped;
        try {
          this.renderFrame(due.index);
          this.fenceFrame();
        } catch (error) {
          // One bad frame must not stop the loop; the error shows in stats until a frame succeeds.
          this.lastFrameError = error instanceof Error ? error.message : String(error);
        }
      }
      if (!this.disposed) this.timer = setTimeout(tick, this.pacer.delayMs(this.now()));
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Whether the GPU is still busy with the last frame the loop drew (a non-blocking fence check). */
  private gpuBehind(): boolean {
    const fence = this.gpuFence;
    if (!fence || this.context.lost) return false;
    const gl = this.context.gl;
    // A fence still unsignalled after GPU_FENCE_GIVE_UP_MS is not a slow frame but a driver that never signals it: stop waiting
    // (the loop would otherwise show one frame for good).
    if (gl.clientWaitSync(fence, 0, 0) === gl.TIMEOUT_EXPIRED && this.now() - this.gpuFencedAtMs < GPU_FENCE_GIVE_UP_MS) return true;
    gl.deleteSync(fence);
    this.gpuFence = null;
    return false;
  }

  private fenceFrame(): void {
    if (this.context.lost || this.gpuFence) return;
    const gl = this.context.gl;
    this.gpuFence = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
    this.gpuFencedAtMs = this.now();
    gl.flush();
  }

  /** Stops the frame loop. */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Renders frame `index` (default: the next of a manual sequence): preview when studio mode
   * shows one, program, and the encoder's copy stamped `index`/fps on the shared clock.
   */
  renderFrame(index: number = this.manualIndex++): void {
    if (this.context.lost) return;
    const started = performance.now();
    // An encoder with no room would skip this frame anyway: skip drawing it too, so the GPU's
    // time goes to the frames the encoder is still reading back (measured: 1-4 → 18-40 frames
    // encoded in 4 s at 720p on a loaded 2-core machine with SwiftShader).
    if (this.encoding.active && !this.encoding.hasRoom) {
      this.encoding.countSkip();
      return;
    }
    this.renderOutputs(true);
    this.encoding.offer(
      () =>
        new VideoFrame(this.canvas, {
          timestamp: frameTimestampUs(index, this.output.fps),
          duration: Math.round(1_000_000 / this.output.fps),
          alpha: 'discard',
        }),
    );
    this.filters.endFrame();
    this.lastFrameError = null;
    this.stats.framesRendered++;
    const ended = performance.now();
    this.renderTimes.push(ended - started);
    if (this.renderTimes.length > 30) this.renderTimes.shift();
    this.renderedAt.push(ended);
    // The last second, half-open: a frame exactly 1000 ms old belongs to the second before (15 fps reads 15, not 16).
    while (this.renderedAt.length && ended - this.renderedAt[0]! >= 1000) this.renderedAt.shift();
  }

  /** Blocks until the GPU has finished everything queued (for benchmarks: CPU-rendered GL runs elsewhere). */
  finish(): void {
    const gl = this.context.gl;
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  }

  private renderOutputs(withPreview: boolean): void {
    // Errors describe the latest frame: a source that draws again is no longer in error.
    this.renderErrors.clear();
    const collection = this.collectionValue;
    const nowMs = this.now();
    const frame = { nowMs, epochMs: this.epochNow() };
    const scene = (id: string): Scene => collection.scenes.find((candidate) => candidate.id === id) ?? collection.scenes[0]!;
    if (this.active && transitionProgress(this.active, nowMs) >= 1) this.active = null;
    const program = scene(collection.programSceneId);
    const from = this.active ? scene(this.active.fromSceneId) : null;
    const showPreview = withPreview && this.studio && this.previews.size > 0;
    const preview = scene(collection.previewSceneId);
    const scales = this.compositor.rasterScales(
      [program, ...(from ? [from] : []), ...(showPreview ? [preview] : [])],
      collection.canvas,
      this.output,
    );

    if (showPreview) {
      this.compositor.render(null, [{ scene: preview }], this.live, collection.canvas, this.output, frame, scales);
      for (const view of this.previews) view.getContext('2d')?.drawImage(this.canvas, 0, 0, view.width, view.height);
    }
    if (withPreview) for (const view of this.sourceViews) this.renderSourceView(view, frame, scales);
    if (!this.active || !from) {
      this.compositor.render(null, [{ scene: program }], this.live, collection.canvas, this.output, frame, scales);
      return;
    }
    const progress = transitionProgress(this.active, nowMs);
    if (this.active.kind === 'slide') {
      const offsets = slideOffsets(progress, this.output.width);
      this.compositor.render(
        null,
        [
          { scene: from, offsetX: offsets.from },
          { scene: program, offsetX: offsets.to },
        ],
        this.live,
        collection.canvas,
        this.output,
        frame,
        scales,
      );
      return;
    }
    // Fade: both scenes into textures, then a true cross-fade of the two pictures.
    const size: OutputSize = this.output;
    const a = this.targets.acquire(size.width, size.height);
    const b = this.targets.acquire(size.width, size.height);
    try {
      this.compositor.render(a, [{ scene: from }], this.live, collection.canvas, size, frame, scales);
      this.compositor.render(b, [{ scene: program }], this.live, collection.canvas, size, frame, scales);
      this.compositor.drawTexture(null, a, size, 1, false);
      this.compositor.drawTexture(null, b, size, progress, true);
    } finally {
      this.targets.release(a);
      this.targets.release(b);
    }
  }

  private renderSourceView(view: SourceView, frame: { nowMs: number; epochMs: number }, programScales: ReadonlyMap<string, number>): void {
    const context = view.canvas.getContext('2d');
    const live = this.live.get(view.sourceId);
    const size = live?.runtime.size;
    if (!context) return;
    context.fillStyle = '#000';
    context.fillRect(0, 0, view.canvas.width, view.canvas.height);
    if (!live || !size) return;
    const scene: Scene = { id: 'view', name: 'view', items: [view.item] };
    const sources = view.bypassFilters
      ? new Map([[live.model.id, { model: { ...live.model, filters: [] }, runtime: live.runtime }]])
      : this.live;
    // A source also on program keeps program's raster scale: text drawn at two scales would be rasterised twice a frame.
    const programScale = programScales.get(live.model.id);
    const scales = programScale ? new Map([[live.model.id, programScale]]) : this.compositor.rasterScales([scene], size, this.output);
    this.compositor.render(null, [{ scene }], sources, size, this.output, frame, scales);
    // The source filled the output; draw it back at its own aspect, letterboxed.
    const fit = Math.min(view.canvas.width / size.width, view.canvas.height / size.height);
    const width = size.width * fit;
    const height = size.height * fit;
    context.drawImage(
      this.canvas,
      0,
      0,
      this.output.width,
      this.output.height,
      (view.canvas.width - width) / 2,
      (view.canvas.height - height) / 2,
      width,
      height,
    );
  }

  // ---- sources ------------------------------------------------------------------------

  /** Starts, restarts and stops runtime sources so they match the collection. */
  private reconcile(): void {
    const wanted = new Map(this.collectionValue.sources.map((source) => [source.id, source]));
    for (const [id, live] of this.live) {
      const model = wanted.get(id);
      if (!model || JSON.stringify(model.settings) !== JSON.stringify(live.model.settings)) this.stopSource(id);
    }
    for (const model of wanted.values()) {
      const current = this.live.get(model.id);
      if (current) {
        // Filters, audio and name change without restarting the capture.
        (current as { model: typeof model }).model = model;
        this.connectAudio(current);
        continue;
      }
      const live: LiveSource = { model, runtime: createSource(model.settings, this.devices) };
      this.live.set(model.id, live);
      void live.runtime.started.then(() => {
        if (this.live.get(model.id) === live) this.connectAudio(live);
      });
    }
  }

  private connectAudio(live: LiveSource): void {
    if (!this.mixer || live.runtime.status.state !== 'ready') return;
    const node = live.runtime.audioNode?.(this.mixer.context);
    if (node) this.mixer.setSource(live.model.id, node, live.model.audio);
  }

  private stopSource(id: string): void {
    const live = this.live.get(id);
    if (!live) return;
    this.renderErrors.delete(id);
    this.live.delete(id);
    this.mixer?.removeSource(id);
    this.textures.release(id);
    live.runtime.dispose();
  }

  // ---- snapshots ----------------------------------------------------------------------

  /** Everything the UI shows, as plain data. */
  getSnapshot(): EngineSnapshot {
    const sources: EngineSnapshot['sources'] = {};
    for (const [id, live] of this.live) {
      const size = live.runtime.size;
      const renderError = this.renderErrors.get(id);
      const status =
        renderError && live.runtime.status.state === 'ready' ? { state: 'error' as const, message: renderError } : live.runtime.status;
      sources[id] = { ...status, width: size?.width ?? null, height: size?.height ?? null };
    }
    const nowMs = this.now();
    return {
      collection: this.collectionValue,
      output: { ...this.output },
      studioMode: this.studio,
      transition: this.active
        ? { kind: this.active.kind, toSceneId: this.active.toSceneId, progress: transitionProgress(this.active, nowMs) }
        : null,
      sources,
      audioRunning: this.mixer?.running ?? false,
      stats: this.getStats(),
    };
  }

  /** Render and encode figures. */
  getStats(): EngineStats {
    const times = this.renderTimes;
    const encoding = this.encoding.stats();
    return {
      renderFps: this.renderedAt.length,
      renderTimeMs: times.length ? times.reduce((sum, t) => sum + t, 0) / times.length : 0,
      ...this.stats,
      framesSkippedEncodeLag: encoding.framesSkippedEncodeLag,
      framesEncoded: encoding.framesEncoded,
      encodeQueue: encoding.encodeQueue,
      contextRestores: this.context.restoreCount,
      encoder: encoding.encoder,
      encoderError: encoding.encoderError,
      hostQueueBytes: encoding.sink?.hostQueueBytes ?? 0,
      framesDroppedHostLag: encoding.sink?.framesDroppedHostLag ?? 0,
      frameError: this.lastFrameError,
      audioGaps: this.mixer?.gapCount ?? 0,
    };
  }

  /** Hears snapshots at `hz` (at most 10). */
  onSnapshot(listener: (snapshot: EngineSnapshot) => void, hz = 10): Disposable {
    this.snapshotListeners.add(listener);
    this.snapshotTimer ??= setInterval(
      () => {
        const snapshot = this.getSnapshot();
        for (const each of this.snapshotListeners) each(snapshot);
      },
      1000 / Math.min(10, Math.max(0.1, hz)),
    );
    return {
      dispose: () => {
        this.snapshotListeners.delete(listener);
        if (this.snapshotListeners.size === 0 && this.snapshotTimer !== null) {
          clearInterval(this.snapshotTimer);
          this.snapshotTimer = null;
        }
      },
    };
  }

  /** Hears every change of the collection (edits, loads, transitions): what autosave listens to. */
  onCollectionChange(listener: (collection: SceneCollection) => void): Disposable {
    this.collectionListeners.add(listener);
    return { dispose: () => this.collectionListeners.delete(listener) };
  }

  private collectionChanged(): void {
    for (const listener of this.collectionListeners) listener(this.collectionValue);
  }

  /** Hears audio levels, at most 30 times a second. */
  onMeters(listener: (meters: MeterSnapshot) => void): Disposable {
    return this.mixer?.onMeters(listener) ?? { dispose() {} };
  }

  /** The latest audio levels. */
  meters(): MeterSnapshot | null {
    return this.mixer?.meters() ?? null;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stop();
    if (this.snapshotTimer !== null) clearInterval(this.snapshotTimer);
    this.snapshotListeners.clear();
    this.collectionListeners.clear();
    this.encoding.dispose();
    this.sourceViews.clear();
    for (const id of [...this.live.keys()]) this.stopSource(id);
    for (const disposable of this.disposables) disposable.dispose();
    this.mixer?.dispose();
    this.context.dispose();
  }
}

function createCanvas(output: OutputSettings): EngineCanvas {
  if (typeof document !== 'undefined') {
    const canvas = document.createElement('canvas');
    canvas.width = output.width;
    canvas.height = output.height;
    return canvas;
  }
  return new OffscreenCanvas(output.width, output.height);
}
