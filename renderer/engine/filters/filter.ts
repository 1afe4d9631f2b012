/**
 * The shape of a filter, and how a source's filter list becomes GPU work. A filter is either
 * pointwise (its output pixel depends only on its input pixel: colour correction, chroma key)
 * or sampling (it reads neighbours or prepared textures: beauty, privacy). A chain is split
 * into segments, each one sampling filter followed by pointwise ones; every segment but the
 * last renders into a texture, and the last is fused into the draw of the item itself, so a
 * plain beauty chain costs no extra full-resolution pass.
 */
import type { Filter, FilterKind, FilterSettings } from '../../../common/scene/schema.ts';
import type { QuadSystem } from '../gl/quad-system.ts';
import type { RenderTarget, RenderTargetSystem } from '../gl/render-target-system.ts';
import type { ShaderProgram, ShaderSystem } from '../gl/shader-system.ts';
import type { TextureRef } from '../gl/texture-system.ts';

/** Settings of one filter kind. */
export type SettingsOf<K extends FilterKind> = Extract<FilterSettings, { kind: K }>;

/** What a filter's preparation passes may use. */
export interface PassContext {
  readonly gl: WebGL2RenderingContext;
  readonly shaders: ShaderSystem;
  readonly targets: RenderTargetSystem;
  readonly quad: QuadSystem;
}

/** Textures a sampling filter prepared from its input for one frame. */
export interface Prepared {
  readonly textures: readonly TextureRef[];
  release(): void;
}

/** One filter kind's GPU implementation. */
export interface FilterImplementation<K extends FilterKind> {
  readonly kind: K;
  readonly access: 'pointwise' | 'sampling';
  /**
   * GLSL for one use of the filter. `p` prefixes its uniforms and names its function:
   * `vec4 p(vec2 uv)` for sampling filters (reading `u_input`), `vec4 p(vec4 color)` for
   * pointwise ones. Colours are premultiplied in and out. Parts whose strength is 0 are
   * left out of the code, so `variant` must name every such choice.
   */
  glsl(p: string, settings: SettingsOf<K>, firstUnit: number): string;
  /** A short string that differs whenever `glsl` would. */
  variant(settings: SettingsOf<K>): string;
  /** Passes at reduced resolution before the main one (sampling filters only). */
  prepare?(context: PassContext, input: TextureRef, settings: SettingsOf<K>): Prepared | null;
  /** Sets this filter's uniforms and binds its prepared textures from `firstUnit` on. */
  bind(
    gl: WebGL2RenderingContext,
    program: ShaderProgram,
    p: string,
    settings: SettingsOf<K>,
    prepared: Prepared | null,
    firstUnit: number,
  ): void;
}

/** Rec. 709 luma weights, shared by the shaders. */
export const GLSL_LUMA = 'const vec3 LUMA = vec3(0.2126, 0.7152, 0.0722);';

/** Draws a full-target pass: binds `target` (or the canvas when null), sets the viewport, draws the quad. */
export function drawPass(context: PassContext, target: RenderTarget | null, program: ShaderProgram, bind: () => void): void {
  const { gl } = context;
  gl.bindFramebuffer(gl.FRAMEBUFFER, target?.framebuffer ?? null);
  if (target) gl.viewport(0, 0, target.width, target.height);
  gl.useProgram(program.program);
  // Unit square → whole target, flipped so row 0 of the target is the top (see transforms.ts).
  gl.uniformMatrix3fv(program.uniform('u_matrix'), false, [2, 0, 0, 0, 2, 0, -1, -1, 1]);
  gl.uniform4f(program.uniform('u_uvRect'), 0, 0, 1, 1);
  bind();
  gl.disable(gl.BLEND);
  context.quad.draw();
}

/** Binds a texture to a unit and points a sampler uniform at it. */
export function bindTexture(gl: WebGL2RenderingContext, program: ShaderProgram, name: string, texture: TextureRef, unit: number): void {
  gl.activeTexture(gl.TEXTURE0 + unit);
  gl.bindTexture(gl.TEXTURE_2D, texture.texture);
  gl.uniform1i(program.uniform(name), unit);
}

/** A run of filters: one sampling head (or the source itself) and pointwise filters after it. */
export interface Segment {
  readonly head: Filter | null;
  readonly tail: readonly Filter[];
}

/** Splits the enabled filters of a chain into segments (see the file comment). */
export function planSegments(filters: readonly Filter[], accessOf: (kind: FilterKind) => 'pointwise' | 'sampling'): Segment[] {
  const segments: Segment[] = [];
  let head: Filter | null = null;
  let tail: Filter[] = [];
  for (const filter of filters) {
    if (!filter.enabled) continue;
    if (accessOf(filter.settings.kind) === 'pointwise') {
      tail.push(filter);
      continue;
    }
    if (head || tail.length) segments.push({ head, tail });
    head = filter;
    tail = [];
  }
  segments.push({ head, tail });
  return segments;
}
