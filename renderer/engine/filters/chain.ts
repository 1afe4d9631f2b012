/**
 * Runs a source's filter chain for one frame: materialises every segment but the last into
 * a texture, prepares the last one, and hands the compositor a program and bindings that
 * draw the source with the last segment fused in. Results are cached per source for the
 * frame, so a source shown in preview and program is filtered once.
 */
import type { Filter, FilterKind } from '../../../common/scene/schema.ts';
import type { RenderTarget } from '../gl/render-target-system.ts';
import type { ShaderProgram } from '../gl/shader-system.ts';
import type { TextureRef } from '../gl/texture-system.ts';
import { beautyFilter } from './beauty.ts';
import { bindTexture, drawPass, planSegments, type FilterImplementation, type PassContext, type Prepared, type Segment } from './filter.ts';
import { privacyFilter } from './privacy.ts';
import { chromaKeyFilter, colorCorrectionFilter } from './pointwise.ts';

const implementations: { [K in FilterKind]: FilterImplementation<K> } = {
  beauty: beautyFilter,
  chromaKey: chromaKeyFilter,
  colorCorrection: colorCorrectionFilter,
  privacy: privacyFilter,
};

function implementationOf<K extends FilterKind>(kind: K): FilterImplementation<K> {
  return implementations[kind];
}

/** A ready-to-draw source: bind the program, call `bind`, then draw with your own matrix and UVs. */
export interface SourceDraw {
  readonly program: ShaderProgram;
  /** The texture the draw samples (its size sets the filters' texel). */
  readonly input: TextureRef;
  bind(): void;
}

const HEADER = `#version 300 es
precision highp float;
in vec2 v_uv;
out vec4 o_color;
uniform sampler2D u_input;
uniform vec2 u_texel;
uniform float u_opacity;
// The visible part of the input, inset by half a texel: linear filtering never pulls in cropped-away pixels.
uniform vec4 u_clampRect;
`;

/** The fragment shader of one segment: its head (or a plain sample), then each pointwise filter. */
function segmentSource(segment: Segment): string {
  const parts: string[] = [HEADER];
  let unit = 1;
  const calls: string[] = [];
  if (segment.head) {
    const settings = segment.head.settings;
    parts.push(implementationOf(settings.kind).glsl('f0', settings, unit++));
    calls.push('vec4 c = f0(clamp(v_uv, u_clampRect.xy, u_clampRect.zw));');
  } else {
    calls.push('vec4 c = texture(u_input, clamp(v_uv, u_clampRect.xy, u_clampRect.zw));');
  }
  segment.tail.forEach((filter, index) => {
    parts.push(implementationOf(filter.settings.kind).glsl(`f${index + 1}`, filter.settings, unit));
    calls.push(`c = f${index + 1}(c);`);
  });
  parts.push(`void main() {\n  ${calls.join('\n  ')}\n  o_color = c * u_opacity;\n}`);
  return parts.join('\n');
}

function segmentKey(segment: Segment): string {
  const variant = (filter: Filter) => implementationOf(filter.settings.kind).variant(filter.settings);
  return `segment:${segment.head ? variant(segment.head) : 'plain'}|${segment.tail.map(variant).join('|')}`;
}

/** Runs filter chains for one frame at a time, caching per source. */
export class FilterChainRunner {
  private readonly context: PassContext;
  private readonly frameCache = new Map<string, { filters: readonly Filter[]; draw: SourceDraw }>();
  private readonly held: Array<RenderTarget | Prepared> = [];

  constructor(context: PassContext) {
    this.context = context;
  }

  /**
   * The draw of `sourceId`'s texture through `filters`, computed once per frame for the same
   * filter list (a view of the source without its filters asks with another list).
   */
  draw(sourceId: string, texture: TextureRef, filters: readonly Filter[]): SourceDraw {
    const cached = this.frameCache.get(sourceId);
    if (cached?.filters === filters) return cached.draw;
    const segments = planSegments(filters, (kind) => implementationOf(kind).access);
    let input = texture;
    for (const segment of segments.slice(0, -1)) {
      const { gl } = this.context;
      const draw = this.prepareSegment(segment, input);
      const target = this.context.targets.acquire(input.width, input.height, 'rgba8');
      this.held.push(target);
      drawPass(this.context, target, draw.program, () => {
        draw.bind();
        gl.uniform1f(draw.program.uniform('u_opacity'), 1);
      });
      input = target;
    }
    const result = this.prepareSegment(segments.at(-1)!, input);
    this.frameCache.set(sourceId, { filters, draw: result });
    return result;
  }

  private prepareSegment(segment: Segment, input: TextureRef): SourceDraw {
    const { gl, shaders } = this.context;
    const program = shaders.get(segmentKey(segment), () => segmentSource(segment));
    const head = segment.head;
    let prepared: Prepared | null = null;
    if (head) {
      const implementation = implementationOf(head.settings.kind);
      prepared = implementation.prepare?.(this.context, input, head.settings) ?? null;
      if (prepared) this.held.push(prepared);
    }
    return {
      program,
      input,
      bind: () => {
        gl.useProgram(program.program);
        bindTexture(gl, program, 'u_input', input, 0);
        gl.uniform2f(program.uniform('u_texel'), 1 / input.width, 1 / input.height);
        gl.uniform4f(program.uniform('u_clampRect'), 0, 0, 1, 1);
        if (head) implementationOf(head.settings.kind).bind(gl, program, 'f0', head.settings, prepared, 1);
        segment.tail.forEach((filter, index) => {
          implementationOf(filter.settings.kind).bind(gl, program, `f${index + 1}`, filter.settings, null, 1);
        });
      },
    };
  }

  /** Gives back every texture this frame's filters borrowed. */
  endFrame(): void {
    for (const held of this.held.splice(0)) {
      if ('release' in held) held.release();
      else this.context.targets.release(held);
    }
    this.frameCache.clear();
  }

  /** Forgets borrowed targets without touching the lost context. */
  contextLost(): void {
    this.held.length = 0;
    this.frameCache.clear();
  }
}
