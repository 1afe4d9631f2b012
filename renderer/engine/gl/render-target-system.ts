/**
 * Framebuffers with a colour texture, pooled by size and format: filter passes and scene
 * renders borrow one for a frame and give it back. Lost with the context, rebuilt on demand.
 */
import type { GlSystem } from './context-system.ts';
import { createTexture, type TextureRef } from './texture-system.ts';

/** `rgba8` for pictures; `rgba16f` for filter statistics that need more than 8 bits. */
export type TargetFormat = 'rgba8' | 'rgba16f';

/** A texture that can be drawn into. */
export interface RenderTarget extends TextureRef {
  readonly framebuffer: WebGLFramebuffer;
  readonly format: TargetFormat;
}

/** Pools framebuffer-backed textures by size and format. */
export class RenderTargetSystem implements GlSystem {
  private gl: WebGL2RenderingContext | null = null;
  private readonly free: RenderTarget[] = [];
  private readonly lent = new Set<RenderTarget>();
  private halfFloat = false;

  init(gl: WebGL2RenderingContext): void {
    this.gl = gl;
    this.halfFloat = !!(gl.getExtension('EXT_color_buffer_float') ?? gl.getExtension('EXT_color_buffer_half_float'));
  }

  contextLost(): void {
    this.free.length = 0;
    this.lent.clear();
  }

  /** Borrows a target; `rgba16f` quietly becomes `rgba8` where half floats cannot be rendered. */
  acquire(width: number, height: number, format: TargetFormat = 'rgba8'): RenderTarget {
    const gl = this.gl;
    if (!gl) throw new Error('the render target system has no context');
    const actual: TargetFormat = format === 'rgba16f' && !this.halfFloat ? 'rgba8' : format;
    const index = this.free.findIndex((target) => target.width === width && target.height === height && target.format === actual);
    const target = index >= 0 ? this.free.splice(index, 1)[0]! : create(gl, width, height, actual);
    this.lent.add(target);
    return target;
  }

  /** Gives a target back to the pool. */
  release(target: RenderTarget): void {
    if (!this.lent.delete(target)) return;
    this.free.push(target);
    // Keep the pool small: sizes change when sources change resolution.
    while (this.free.length > 24) this.delete(this.free.shift()!);
  }

  private delete(target: RenderTarget): void {
    if (!this.gl || this.gl.isContextLost()) return;
    this.gl.deleteFramebuffer(target.framebuffer);
    this.gl.deleteTexture(target.texture);
  }

  destroy(): void {
    for (const target of [...this.free, ...this.lent]) this.delete(target);
    this.free.length = 0;
    this.lent.clear();
    this.gl = null;
  }
}

function create(gl: WebGL2RenderingContext, width: number, height: number, format: TargetFormat): RenderTarget {
  const texture = createTexture(gl);
  if (format === 'rgba16f') gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RGBA16F, width, height);
  else gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RGBA8, width, height);
  const framebuffer = gl.createFramebuffer();
  gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
  gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
  const status = gl.checkFramebufferStatus(gl.FRAMEBUFFER);
  gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  if (status !== gl.FRAMEBUFFER_COMPLETE && !gl.isContextLost())
    throw new Error(`render target ${width}x${height} ${format} is incomplete (${status})`);
  return { texture, framebuffer, width, height, format };
}
