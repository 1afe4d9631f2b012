/**
 * Privacy: blur or pixelate a source (a face, a screen with a password on it). Blur is a
 * chain of 2x box downsamples to about the blur size, a 5x5 box at that size, and a
 * bilinear upsample in the draw; pixelate samples each block's centre.
 */
import { bindTexture, type FilterImplementation } from './filter.ts';
import { boxBlur, downsample } from './passes.ts';

/** The privacy filter's GPU implementation. */
export const privacyFilter: FilterImplementation<'privacy'> = {
  kind: 'privacy',
  access: 'sampling',
  variant: (s) => `privacy:${s.mode}`,
  glsl(p, s) {
    if (s.mode === 'pixelate') {
      return `uniform float ${p}_block;
vec4 ${p}(vec2 uv) {
  vec2 cell = ${p}_block * u_texel;
  return texture(u_input, (floor(uv / cell) + 0.5) * cell);
}`;
    }
    return `uniform sampler2D ${p}_blurred;
vec4 ${p}(vec2 uv) { return texture(${p}_blurred, uv); }`;
  },
  prepare(context, input, s) {
    if (s.mode !== 'blur') return null;
    // The 5x5 box at the reduced size spans about 2.5 reduced texels each side.
    const factor = Math.max(1, 2 ** Math.round(Math.log2(Math.max(1, s.sizePx / 2.5))));
    const chain = downsample(context, input, factor);
    const blurred = boxBlur(context, chain.at(-1) ?? input, 'rgba8');
    const targets = [...chain, ...blurred];
    return { textures: [blurred[1]!], release: () => targets.forEach((target) => context.targets.release(target)) };
  },
  bind(gl, program, p, s, prepared, firstUnit) {
    if (s.mode === 'pixelate') gl.uniform1f(program.uniform(`${p}_block`), Math.max(1, s.sizePx));
    else if (prepared) bindTexture(gl, program, `${p}_blurred`, prepared.textures[0]!, firstUnit);
  },
};
