/**
 * The WebGL2 context and its loss and restore, handled in one place (after pixijs's
 * GlContextSystem). Every GPU-owning system registers here: on loss each drops its handles,
 * on restore each rebuilds, and rendering simply continues with the next frame.
 */
import type { Disposable } from '../../../common/host/contract-kit.ts';

/** A part of the renderer that owns GPU objects. All share this shape. */
export interface GlSystem {
  /** Creates the system's GPU objects; called at start and again after every restore. */
  init(gl: WebGL2RenderingContext): void;
  /** The context is gone: forget every handle (deleting them is neither needed nor possible). */
  contextLost(): void;
  /** Releases every GPU object for good. */
  destroy(): void;
}

/** Any canvas the engine can render into. */
export type EngineCanvas = HTMLCanvasElement | OffscreenCanvas;

/** What the compositor needs to know about the context's abilities. */
export interface GlCapabilities {
  /** Half-float colour attachments render (EXT_color_buffer_float or _half_float). */
  halfFloatTargets: boolean;
  maxTextureSize: number;
}

const CONTEXT_ATTRIBUTES: WebGLContextAttributes = {
  alpha: false,
  antialias: false,
  depth: false,
  stencil: false,
  premultipliedAlpha: true,
  preserveDrawingBuffer: false,
  powerPreference: 'high-performance',
  desynchronized: false,
};

function webgl2Of(canvas: EngineCanvas): WebGL2RenderingContext | null {
  const context = canvas.getContext('webgl2', CONTEXT_ATTRIBUTES);
  return context instanceof WebGL2RenderingContext ? context : null;
}

/** Owns the context; tells its systems when it is lost and restored. */
export class GlContextSystem implements Disposable {
  readonly canvas: EngineCanvas;
  private context: WebGL2RenderingContext;
  private readonly systems: GlSystem[] = [];
  private isLost = false;
  private restores = 0;
  private caps: GlCapabilities;
  private readonly listeners = new Set<(lost: boolean) => void>();

  constructor(canvas: EngineCanvas) {
    this.canvas = canvas;
    const gl = webgl2Of(canvas);
    if (!gl) throw new Error('WebGL2 is not available in this browser (enable hardware acceleration, or SwiftShader for headless runs)');
    this.context = gl;
    this.caps = this.readCapabilities();
    canvas.addEventListener('webglcontextlost', this.onLost);
    canvas.addEventListener('webglcontextrestored', this.onRestored);
  }

  /** The live context. Check `lost` before drawing. */
  get gl(): WebGL2RenderingContext {
    return this.context;
  }

  get lost(): boolean {
    return this.isLost || this.context.isContextLost();
  }

  /** How many times the context came back; for stats and tests. */
  get restoreCount(): number {
    return this.restores;
  }

  get capabilities(): GlCapabilities {
    return this.caps;
  }

  /** Adds a system and initialises it now if the context is live. */
  add<T extends GlSystem>(system: T): T {
    this.systems.push(system);
    if (!this.lost) system.init(this.context);
    return system;
  }

  /** Hears about loss (true) and restore (false). */
  onChange(listener: (lost: boolean) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private readonly onLost = (event: Event): void => {
    // Without preventDefault the browser never offers a restore.
    event.preventDefault();
    this.isLost = true;
    for (const system of this.systems) system.contextLost();
    for (const listener of this.listeners) listener(true);
  };

  private readonly onRestored = (): void => {
    this.context = this.canvas.getContext('webgl2', CONTEXT_ATTRIBUTES) as WebGL2RenderingContext;
    this.isLost = false;
    this.restores++;
    this.caps = this.readCapabilities();
    for (const system of this.systems) system.init(this.context);
    for (const listener of this.listeners) listener(false);
  };

  private readCapabilities(): GlCapabilities {
    const gl = this.context;
    const halfFloatTargets = !!(gl.getExtension('EXT_color_buffer_float') ?? gl.getExtension('EXT_color_buffer_half_float'));
    return { halfFloatTargets, maxTextureSize: gl.getParameter(gl.MAX_TEXTURE_SIZE) as number };
  }

  dispose(): void {
    for (const system of [...this.systems].reverse()) system.destroy();
    this.systems.length = 0;
    this.canvas.removeEventListener('webglcontextlost', this.onLost);
    this.canvas.removeEventListener('webglcontextrestored', this.onRestored);
    this.listeners.clear();
  }
}
