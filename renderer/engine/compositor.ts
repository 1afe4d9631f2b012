/**
 * Draws scenes: for each visible item, the source's picture (uploaded once per change),
 * through its filter chain, placed by the item's geometry, blended premultiplied over what
 * is below. Scenes render into the canvas (program) or into a texture (transitions).
 */
import { canvasToClip, itemGeometry, multiply, scaling, translation, type Mat3, type UvRect } from '../../common/scene/transforms.ts';
import type { Canvas, Scene, Source } from '../../common/scene/schema.ts';
import type { FilterChainRunner, SourceDraw } from './filters/chain.ts';
import type { RenderTarget } from './gl/render-target-system.ts';
import type { ShaderSystem } from './gl/shader-system.ts';
import type { QuadSystem } from './gl/quad-system.ts';
import type { TextureRef, TextureSystem } from './gl/texture-system.ts';
import type { FrameInfo, RuntimeSource } from './sources/source.ts';

/** A source of the collection with its running counterpart. */
export interface LiveSource {
  readonly model: Source;
  readonly runtime: RuntimeSource;
}

/** Output pixel size. */
export interface OutputSize {
  width: number;
  height: number;
}

/** How one scene is drawn this time: where, shifted how far (slide), how opaque (fade). */
export interface SceneDraw {
  scene: Scene;
  /** Shift in output pixels, for slide transitions. */
  offsetX?: number;
  opacity?: number;
}

/** The systems the compositor draws with. */
export interface CompositorParts {
  /** Told when one source's picture or filters fail this frame; the rest of the scene still draws. */
  onSourceError?: (sourceId: string, error: unknown) => void;
  gl: () => WebGL2RenderingContext;
  shaders: ShaderSystem;
  textures: TextureSystem;
  quad: QuadSystem;
  filters: FilterChainRunner;
}

const PLAIN = `#version 300 es
precision highp float;
in vec2 v_uv;
out vec4 o_color;
uniform sampler2D u_input;
uniform float u_opacity;
void main() { o_color = texture(u_input, v_uv) * u_opacity; }`;

/** Draws scenes into the canvas or a render target. */
export class Compositor {
  private readonly parts: CompositorParts;

  constructor(parts: CompositorParts) {
    this.parts = parts;
  }

  /**
   * The raster scale each source needs this frame: output pixels per canvas pixel of its
   * largest visible item. Text sources draw at this scale to stay crisp.
   */
  rasterScales(scenes: readonly Scene[], canvas: Canvas, output: OutputSize): Map<string, number> {
    const outputScale = Math.max(output.width / canvas.width, output.height / canvas.height);
    const scales = new Map<string, number>();
    for (const scene of scenes) {
      for (const item of scene.items) {
        if (!item.visible || item.opacity <= 0) continue;
        const scale = Math.max(Math.abs(item.scale.x), Math.abs(item.scale.y)) * outputScale;
        scales.set(item.sourceId, Math.max(scales.get(item.sourceId) ?? 0, scale));
      }
    }
    return scales;
  }

  /**
   * Clears `target` (null = the canvas) to opaque black and draws each scene in turn. Every
   * upload and filter pass runs first, so the target is bound once and never interrupted:
   * switching framebuffers mid-scene costs a store and a reload of the whole target.
   */
  render(
    target: RenderTarget | null,
    draws: readonly SceneDraw[],
    sources: ReadonlyMap<string, LiveSource>,
    canvas: Canvas,
    output: OutputSize,
    frame: Omit<FrameInfo, 'rasterScale'>,
    scales: ReadonlyMap<string, number>,
  ): void {
    const gl = this.parts.gl();
    const clip = canvasToClip(output, target !== null);
    const canvasToOutput = scaling(output.width / canvas.width, output.height / canvas.height);
    const planned: Array<{ draw: SourceDraw; matrix: Mat3; uv: UvRect; opacity: number }> = [];
    for (const draw of draws) {
      const base = multiply(clip, multiply(translation(draw.offsetX ?? 0, 0), canvasToOutput));
      for (const item of draw.scene.items) {
        if (!item.visible || item.opacity <= 0) continue;
        const live = sources.get(item.sourceId);
        if (!live) continue;
        try {
          const texture = this.pictureOf(live, { ...frame, rasterScale: scales.get(item.sourceId) ?? 1 });
          const size = live.runtime.size;
          if (!texture || !size) continue;
          const geometry = itemGeometry(item, size);
          if (!geometry) continue;
          planned.push({
            draw: this.parts.filters.draw(live.model.id, texture, live.model.filters),
            matrix: multiply(base, geometry.matrix),
            uv: geometry.uv,
            opacity: item.opacity * (draw.opacity ?? 1),
          });
        } catch (error) {
          this.parts.onSourceError?.(item.sourceId, error);
        }
      }
    }
    gl.bindFramebuffer(gl.FRAMEBUFFER, target?.framebuffer ?? null);
    gl.viewport(0, 0, output.width, output.height);
    gl.clearColor(0, 0, 0, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    for (const { draw, matrix, uv, opacity } of planned) {
      draw.bind();
      const program = draw.program;
      gl.uniformMatrix3fv(program.uniform('u_matrix'), false, matrix as unknown as number[]);
      gl.uniform4f(program.uniform('u_uvRect'), uv.u0, uv.v0, uv.u1, uv.v1);
      const halfU = 0.5 / draw.input.width;
      const halfV = 0.5 / draw.input.height;
      const midU = 0.5 * (uv.u0 + uv.u1);
      const midV = 0.5 * (uv.v0 + uv.v1);
      gl.uniform4f(
        program.uniform('u_clampRect'),
        Math.min(uv.u0 + halfU, midU),
        Math.min(uv.v0 + halfV, midV),
        Math.max(uv.u1 - halfU, midU),
        Math.max(uv.v1 - halfV, midV),
      );
      gl.uniform1f(program.uniform('u_opacity'), opacity);
      this.parts.quad.draw();
    }
  }

  /** Draws a texture over the whole of `target` (null = canvas), at `opacity`, shifted by `offsetX` output pixels. */
  drawTexture(target: RenderTarget | null, texture: TextureRef, output: OutputSize, opacity: number, blend: boolean): void {
    const gl = this.parts.gl();
    const program = this.parts.shaders.get('compositor:plain', () => PLAIN);
    gl.bindFramebuffer(gl.FRAMEBUFFER, target?.framebuffer ?? null);
    gl.viewport(0, 0, output.width, output.height);
    if (blend) gl.enable(gl.BLEND);
    else gl.disable(gl.BLEND);
    gl.useProgram(program.program);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, texture.texture);
    gl.uniform1i(program.uniform('u_input'), 0);
    const clip = canvasToClip(output, target !== null);
    const full: Mat3 = multiply(clip, scaling(output.width, output.height));
    gl.uniformMatrix3fv(program.uniform('u_matrix'), false, full as unknown as number[]);
    gl.uniform4f(program.uniform('u_uvRect'), 0, 0, 1, 1);
    gl.uniform1f(program.uniform('u_opacity'), opacity);
    this.parts.quad.draw();
  }

  private pictureOf(live: LiveSource, frame: FrameInfo): TextureRef | null {
    const picture = live.runtime.picture(frame);
    if (!picture) return null;
    return this.parts.textures.upload(live.model.id, picture.image, picture.width, picture.height, picture.version);
  }
}
