/**
 * Beauty: edge-preserving skin smoothing, whitening and sharpening (after GPUPixel's beauty
 * filter; the techniques, not the code).
 *
 * - Smoothing is a self-guided filter (He et al., "Guided Image Filtering", 2010): per pixel,
 *   out = a·I + (1−a)·mean with a = var/(var+eps), so flat, noisy skin moves to its local
 *   mean while edges (high variance) keep their pixel. The statistics run at a quarter of
 *   the resolution in small passes, which also fold in the skin mask and strength; the full-resolution part is fused into the draw.
 * - A skin-tone mask (YCbCr box with soft edges, and a floor on luma) limits smoothing and
 *   whitening to skin, so hair, eyes, lips and background keep their detail.
 * - Whitening lifts skin with a concave curve, x + k·x(1−x) (the shape of GPUPixel's log curve,
 *   at a fraction of the cost).
 * - Sharpening is an unsharp mask against two diagonal bilinear taps, with a noise threshold,
 *   away from skin.
 * Every strength at 0 removes its code from the shader, so all three at 0 is the identity.
 */
import type { ShaderProgram } from '../gl/shader-system.ts';
import { bindTexture, type FilterImplementation, type Prepared } from './filter.ts';
import { beautyTextures } from './passes.ts';

/** eps of the guided filter for a smoothing strength: larger eps smooths stronger edges away. */
export function beautyEps(smoothing: number): number {
  return 0.0004 + 0.012 * smoothing * smoothing;
}

export const beautyFilter: FilterImplementation<'beauty'> = {
  kind: 'beauty',
  access: 'sampling',
  variant: (s) => `beauty:${s.smoothing > 0 ? 's' : ''}${s.whitening > 0 ? 'w' : ''}${s.sharpening > 0 ? 'h' : ''}`,
  glsl(p, s) {
    const smoothing = s.smoothing > 0;
    const skin = s.whitening > 0 || s.sharpening > 0;
    const lines = [`vec4 ${p}(vec2 uv) {`, '  vec4 src = texture(u_input, uv);', '  vec3 c = src.rgb;'];
    if (smoothing) {
      // k already holds (1 − a)·skin·strength: move toward the local mean by k.
      lines.push(`  vec4 coef = texture(${p}_coef, uv);`, '  c += coef.a * (coef.rgb - c);');
    }
    if (skin) lines.push(`  float skin = texture(${p}_skin, uv).r;`);
    if (s.sharpening > 0) {
      // Unsharp mask against two bilinear taps half a texel off on the diagonal: each averages
      // a 2x2 block, together a 3x3 neighbourhood, for two fetches instead of nine.
      lines.push(
        '  vec2 h = 0.5 * u_texel;',
        '  vec3 detail = src.rgb - 0.5 * (texture(u_input, uv + h).rgb + texture(u_input, uv - h).rgb);',
        // A soft threshold on the detail's luma: real edges sharpen, sensor noise does not.
        '  float strength = smoothstep(0.015, 0.05, abs(dot(detail, vec3(0.299, 0.587, 0.114))));',
        `  c += detail * ${p}_sharpening * strength * (1.0 - skin);`,
      );
    }
    if (s.whitening > 0) {
      // A concave lift (GPUPixel uses a log curve of the same shape): blacks and whites stay put.
      lines.push(`  c += ${p}_whitening * skin * c * (1.0 - c);`);
    }
    lines.push('  return vec4(clamp(c, 0.0, src.a), src.a);', '}');
    return [
      smoothing ? `uniform sampler2D ${p}_coef;` : '',
      skin ? `uniform sampler2D ${p}_skin;` : '',
      s.sharpening > 0 ? `uniform float ${p}_sharpening;` : '',
      s.whitening > 0 ? `uniform float ${p}_whitening;` : '',
      lines.join('\n'),
    ].join('\n');
  },
  prepare(context, input, s) {
    const skin = s.whitening > 0 || s.sharpening > 0;
    if (s.smoothing <= 0 && !skin) return null;
    // Past 0.5 the move toward the mean is complete and eps carries the rest of the strength.
    const textures = beautyTextures(context, input, {
      eps: beautyEps(s.smoothing),
      strength: Math.min(1, s.smoothing * 2),
      smoothing: s.smoothing > 0,
      skin,
    });
    const bound = [textures.coefficients, textures.skin].filter((target) => target !== null);
    return { textures: bound, release: () => textures.all.forEach((target) => context.targets.release(target)) };
  },
  bind(gl: WebGL2RenderingContext, program: ShaderProgram, p: string, s, prepared: Prepared | null, firstUnit: number) {
    let unit = firstUnit;
    const textures = [...(prepared?.textures ?? [])];
    if (s.smoothing > 0) bindTexture(gl, program, `${p}_coef`, textures.shift()!, unit++);
    if (s.whitening > 0 || s.sharpening > 0) bindTexture(gl, program, `${p}_skin`, textures.shift()!, unit);
    if (s.sharpening > 0) gl.uniform1f(program.uniform(`${p}_sharpening`), s.sharpening * 2.5);
    if (s.whitening > 0) gl.uniform1f(program.uniform(`${p}_whitening`), s.whitening * 0.8);
  },
};
