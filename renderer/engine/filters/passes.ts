/**
 * Reduced-resolution passes the sampling filters share: a box downsample, separable box
 * blurs, and the statistics pass of the beauty filter. Smoothing at a quarter of the width
 * and height touches a sixteenth of the pixels, which is what makes beauty cheap.
 */
import type { RenderTarget, TargetFormat } from '../gl/render-target-system.ts';
import type { TextureRef } from '../gl/texture-system.ts';
import { bindTexture, drawPass, GLSL_LUMA, type PassContext } from './filter.ts';

const HEADER = `#version 300 es
precision highp float;
in vec2 v_uv;
out vec4 o_color;
uniform sampler2D u_src;
uniform vec2 u_srcTexel;
${GLSL_LUMA}
`;

/** Halves the size: one bilinear tap at the corner of four texels averages them exactly. */
const HALVE = `${HEADER}
void main() { o_color = texture(u_src, v_uv); }`;

/**
 * Quarter size with statistics: four bilinear taps, each the mean of a 2x2 block, give the
 * 4x4 block's mean colour; alpha carries the mean of squared luma, for the local variance.
 */
const STATS = `${HEADER}
uniform float u_spread;
void main() {
  vec2 d = u_srcTexel * u_spread;
  vec3 a = texture(u_src, v_uv + vec2(-d.x, -d.y)).rgb;
  vec3 b = texture(u_src, v_uv + vec2(d.x, -d.y)).rgb;
  vec3 c = texture(u_src, v_uv + vec2(-d.x, d.y)).rgb;
  vec3 e = texture(u_src, v_uv + vec2(d.x, d.y)).rgb;
  vec4 y = vec4(dot(a, LUMA), dot(b, LUMA), dot(c, LUMA), dot(e, LUMA));
  o_color = vec4((a + b + c + e) * 0.25, dot(y, y) * 0.25);
}`;

/** A box blur of radius 2 along one axis, read with texelFetch so edges clamp exactly. */
const BOX = `${HEADER}
uniform ivec2 u_step;
void main() {
  ivec2 size = textureSize(u_src, 0);
  ivec2 at = ivec2(gl_FragCoord.xy);
  vec4 sum = vec4(0.0);
  for (int i = -2; i <= 2; i++) sum += texelFetch(u_src, clamp(at + u_step * i, ivec2(0), size - 1), 0);
  o_color = sum * 0.2;
}`;

/**
 * The soft skin-tone mask, 0..1: a box in YCbCr with soft edges (skin tones of every
 * complexion share a narrow chroma band), and a floor on luma so dark hair and pupils stay out.
 */
export const GLSL_SKIN_MASK = `
float tallyBand(float x, float lo, float hi, float soft) {
  return smoothstep(lo - soft, lo + soft, x) * (1.0 - smoothstep(hi - soft, hi + soft, x));
}
float tallySkin(vec3 c) {
  float y = dot(c, vec3(0.299, 0.587, 0.114));
  float cb = (c.b - y) * 0.564;
  float cr = (c.r - y) * 0.713;
  return tallyBand(cb, -0.20, -0.005, 0.03) * tallyBand(cr, 0.02, 0.18, 0.025) * smoothstep(0.16, 0.28, y);
}`;

/**
 * The vertical box blur of the statistics, finished into everything the full-resolution
 * draw needs, at a sixteenth of the pixels:
 * - k = (1 − a)·skin·strength with a = var / (var + eps): how far a pixel moves to its mean;
 * - the whitening lift, skin·w·m(1 − m), taken from the local mean m: the curve is smooth, so
 *   over a few pixels it is all but constant and can be added rather than evaluated per pixel.
 * Output (k·m + lift, k): the draw computes (1 − k)·I + rgb, one fetch and one multiply-add.
 */
const COEFFICIENTS = `${HEADER}
${GLSL_SKIN_MASK}
uniform float u_eps;
uniform float u_strength;
uniform float u_whitening;
void main() {
  ivec2 size = textureSize(u_src, 0);
  ivec2 at = ivec2(gl_FragCoord.xy);
  vec4 sum = vec4(0.0);
  for (int i = -2; i <= 2; i++) sum += texelFetch(u_src, clamp(at + ivec2(0, i), ivec2(0), size - 1), 0);
  vec4 m = sum * 0.2;
  float meanY = dot(m.rgb, LUMA);
  float variance = max(m.a - meanY * meanY, 0.0);
  float a = variance / (variance + u_eps);
  float skin = tallySkin(m.rgb);
  float k = (1.0 - a) * skin * u_strength;
  o_color = vec4(k * m.rgb + skin * u_whitening * m.rgb * (1.0 - m.rgb), k);
}`;

function run(
  context: PassContext,
  key: string,
  source: string,
  input: TextureRef,
  width: number,
  height: number,
  format: TargetFormat,
  bind?: (p: ReturnType<PassContext['shaders']['get']>) => void,
): RenderTarget {
  const target = context.targets.acquire(Math.max(1, width), Math.max(1, height), format);
  const program = context.shaders.get(key, () => source);
  drawPass(context, target, program, () => {
    bindTexture(context.gl, program, 'u_src', input, 0);
    context.gl.uniform2f(program.uniform('u_srcTexel'), 1 / input.width, 1 / input.height);
    bind?.(program);
  });
  return target;
}

/** Halves `input` until it is at most 1/`factor` of its size; returns the targets (last is the result). */
export function downsample(context: PassContext, input: TextureRef, factor: number): RenderTarget[] {
  const chain: RenderTarget[] = [];
  let current: TextureRef = input;
  for (let reached = 1; reached < factor; reached *= 2) {
    const next = run(context, 'pass:halve', HALVE, current, Math.ceil(current.width / 2), Math.ceil(current.height / 2), 'rgba8');
    chain.push(next);
    current = next;
  }
  return chain;
}

/** A separable 5x5 box blur of `input` at its own size, in `format`. */
export function boxBlur(context: PassContext, input: TextureRef, format: TargetFormat): RenderTarget[] {
  const bind = (step: [number, number]) => (program: ReturnType<PassContext['shaders']['get']>) =>
    context.gl.uniform2i(program.uniform('u_step'), ...step);
  const horizontal = run(context, 'pass:box', BOX, input, input.width, input.height, format, bind([1, 0]));
  const vertical = run(context, 'pass:box', BOX, horizontal, input.width, input.height, format, bind([0, 1]));
  return [horizontal, vertical];
}

/** The reduced-resolution size the beauty statistics use for an input of `width`. */
export function beautyFactor(width: number): number {
  return width >= 512 ? 4 : width >= 128 ? 2 : 1;
}

/**
 * The reduced-resolution passes of the beauty filter: statistics, a horizontal box, then the
 * coefficients (vertical box, guided-filter maths, skin mask, whitening lift).
 */
export function beautyCoefficients(
  context: PassContext,
  input: TextureRef,
  options: { eps: number; strength: number; whitening: number },
): RenderTarget[] {
  const factor = beautyFactor(input.width);
  const width = Math.ceil(input.width / factor);
  const height = Math.ceil(input.height / factor);
  const stats = run(context, 'pass:stats', STATS, input, width, height, 'rgba16f', (program) =>
    context.gl.uniform1f(program.uniform('u_spread'), factor / 4),
  );
  const horizontal = run(context, 'pass:box', BOX, stats, width, height, 'rgba16f', (program) =>
    context.gl.uniform2i(program.uniform('u_step'), 1, 0),
  );
  // Eight bits are enough for the result, and a CPU-rendered GL filters them faster than half floats.
  const coefficients = run(context, 'pass:coefficients', COEFFICIENTS, horizontal, width, height, 'rgba8', (program) => {
    context.gl.uniform1f(program.uniform('u_eps'), options.eps);
    context.gl.uniform1f(program.uniform('u_strength'), options.strength);
    context.gl.uniform1f(program.uniform('u_whitening'), options.whitening);
  });
  return [stats, horizontal, coefficients];
}
