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
 * - Whitening lifts skin with a concave curve, x + w·x(1−x) (the shape of GPUPixel's log curve),
 *   evaluated on the local mean at reduced resolution and added.
 * - Sharpening is an unsharp mask against two diagonal bilinear taps, with a noise threshold,
 *   where the skin is not being smoothed: features, hair, background.
 * Every strength at 0 removes its code from the shader, so all three at 0 is the identity.
 */
import type { ShaderProgram } from '../gl/shader-system.ts';
import { bindTexture, type FilterImplementation, type Prepared } from './filter.ts';
import { beautyCoefficients } from './passes.ts';

/** eps of the guided filter for a smoothing strength: larger eps smooths stronger edges away. */
export function beautyEps(smoothing: number): number {
  return 0.0004 + 0.012 * smoothing * smoothing;
}

/** How far flat skin moves to its mean: past 0.5 the move is complete and eps carries the rest. */
function smoothingMix(smoothing: number): number {
  return Math.min(1, smoothing * 2);
}

/** The beauty filter's GPU implementation. */
export const beautyFilter: FilterImplementation<'beauty'> = {
  kind: 'beauty',
  access: 'sampling',
  variant: (s) => `beauty:${s.smoothing > 0 || s.whitening > 0 ? 'c' : ''}${s.sharpening > 0 ? 'h' : ''}`,
  glsl(p, s) {
    const coefficients = s.smoothing > 0 || s.whitening > 0;
    const lines = [`vec4 ${p}(vec2 uv) {`, '  vec4 src = texture(u_input, uv);', '  vec3 c = src.rgb;'];
    if (coefficients) {
      // Smoothing and whitening, prepared at reduced resolution: (1 − k)·I + (k·mean + lift).
      lines.push(`  vec4 coef = texture(${p}_coef, uv);`, '  c = (1.0 - coef.a) * c + coef.rgb;');
    }
    if (s.sharpening > 0) {
      // Unsharp mask against two bilinear taps half a texel off on the diagonal: each averages
      // a 2x2 block, together a 3x3 neighbourhood, for two fetches instead of nine. A soft
      // threshold on the detail's luma leaves sensor noise alone, and where the skin is being
      // smoothed (k high) there is nothing to sharpen; edges inside the face (a ≈ 1) still are.
      lines.push(
        '  vec2 h = 0.5 * u_texel;',
        '  vec3 detail = src.rgb - 0.5 * (texture(u_input, uv + h).rgb + texture(u_input, uv - h).rgb);',
        '  float strength = smoothstep(0.015, 0.05, abs(dot(detail, vec3(0.299, 0.587, 0.114))));',
        `  c += detail * (${p}_sharpening * strength${coefficients ? ` * (1.0 - coef.a * ${p}_invStrength)` : ''});`,
      );
    }
    lines.push('  return vec4(clamp(c, 0.0, src.a), src.a);', '}');
    return [
      coefficients ? `uniform sampler2D ${p}_coef;` : '',
      s.sharpening > 0 ? `uniform float ${p}_sharpening;` : '',
      s.sharpening > 0 && coefficients ? `uniform float ${p}_invStrength;` : '',
      lines.join('\n'),
    ].join('\n');
  },
  prepare(context, input, s) {
    if (s.smoothing <= 0 && s.whitening <= 0) return null;
    const targets = beautyCoefficients(context, input, {
      eps: beautyEps(s.smoothing),
      strength: smoothingMix(s.smoothing),
      whitening: s.whitening * 0.8,
    });
    return { textures: [targets.at(-1)!], release: () => targets.forEach((target) => context.targets.release(target)) };
  },
  bind(gl: WebGL2RenderingContext, program: ShaderProgram, p: string, s, prepared: Prepared | null, firstUnit: number) {
    if (prepared) bindTexture(gl, program, `${p}_coef`, prepared.textures[0]!, firstUnit);
    if (s.sharpening > 0) {
      gl.uniform1f(program.uniform(`${p}_sharpening`), s.sharpening * 2.5);
      gl.uniform1f(program.uniform(`${p}_invStrength`), 1 / Math.max(1e-3, smoothingMix(s.smoothing)));
    }
  },
};
