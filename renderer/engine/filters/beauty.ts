/**
 * Beauty: edge-preserving skin smoothing, whitening and sharpening (after GPUPixel's beauty
 * filter; the techniques, not the code).
 *
 * - Smoothing is a self-guided filter (He et al., "Guided Image Filtering", 2010): per pixel,
 *   out = a·I + (1−a)·mean with a = var/(var+eps), so flat, noisy skin moves to its local
 *   mean while edges (high variance) keep their pixel. The statistics run at a quarter of
 *   the resolution in three small passes; the full-resolution part is fused into the draw.
 * - A skin-tone mask (YCbCr box with soft edges, and a floor on luma) limits smoothing and
 *   whitening to skin, so hair, eyes, lips and background keep their detail.
 * - Whitening is GPUPixel's log curve, log(x(β−1)+1)/log(β), on skin.
 * - Sharpening is an unsharp mask with a 3x3 tent (four bilinear taps) and a noise threshold,
 *   away from skin.
 * Every strength at 0 removes its code from the shader, so all three at 0 is the identity.
 */
import type { ShaderProgram } from '../gl/shader-system.ts';
import { bindTexture, type FilterImplementation, type Prepared } from './filter.ts';
import { beautyCoefficients } from './passes.ts';

/** eps of the guided filter for a smoothing strength: larger eps smooths stronger edges away. */
export function beautyEps(smoothing: number): number {
  return 0.0004 + 0.012 * smoothing * smoothing;
}

/** GLSL: the soft skin-tone mask, 0..1, from a premultiplied-free colour. */
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

export const beautyFilter: FilterImplementation<'beauty'> = {
  kind: 'beauty',
  access: 'sampling',
  variant: (s) => `beauty:${s.smoothing > 0 ? 's' : ''}${s.whitening > 0 ? 'w' : ''}${s.sharpening > 0 ? 'h' : ''}`,
  glsl(p, s) {
    const smoothing = s.smoothing > 0;
    const lines = [`vec4 ${p}(vec2 uv) {`, '  vec4 src = texture(u_input, uv);', '  vec3 c = src.rgb;'];
    if (smoothing) {
      lines.push(
        `  vec4 coef = texture(${p}_coef, uv);`,
        '  float skin = tallySkin(coef.rgb);',
        `  c = mix(c, mix(coef.rgb, c, coef.a), skin * ${p}_smoothing);`,
      );
    } else if (s.whitening > 0 || s.sharpening > 0) {
      lines.push('  float skin = tallySkin(src.rgb);');
    }
    if (s.sharpening > 0) {
      lines.push(
        '  vec2 h = 0.5 * u_texel;',
        '  vec3 tent = 0.25 * (texture(u_input, uv + vec2(-h.x, -h.y)).rgb + texture(u_input, uv + vec2(h.x, -h.y)).rgb',
        '    + texture(u_input, uv + vec2(-h.x, h.y)).rgb + texture(u_input, uv + vec2(h.x, h.y)).rgb);',
        // A soft threshold on the detail's luma: real edges sharpen, sensor noise does not.
        '  vec3 detail = src.rgb - tent;',
        '  float strength = smoothstep(0.015, 0.05, abs(dot(detail, vec3(0.299, 0.587, 0.114))));',
        `  c += detail * ${p}_sharpening * strength * (1.0 - skin);`,
      );
    }
    if (s.whitening > 0) {
      lines.push(`  c = mix(c, log(max(c, 0.0) * (${p}_beta - 1.0) + 1.0) / log(${p}_beta), skin);`);
    }
    lines.push('  return vec4(clamp(c, 0.0, src.a), src.a);', '}');
    return [
      // A segment has one sampling head, so these helpers appear once per program.
      GLSL_SKIN_MASK,
      smoothing ? `uniform sampler2D ${p}_coef; uniform float ${p}_smoothing;` : '',
      s.sharpening > 0 ? `uniform float ${p}_sharpening;` : '',
      s.whitening > 0 ? `uniform float ${p}_beta;` : '',
      lines.join('\n'),
    ].join('\n');
  },
  prepare(context, input, s) {
    if (s.smoothing <= 0) return null;
    const targets = beautyCoefficients(context, input, beautyEps(s.smoothing));
    return {
      textures: [targets.at(-1)!],
      release: () => targets.forEach((target) => context.targets.release(target)),
    };
  },
  bind(gl: WebGL2RenderingContext, program: ShaderProgram, p: string, s, prepared: Prepared | null, firstUnit: number) {
    if (s.smoothing > 0 && prepared) {
      bindTexture(gl, program, `${p}_coef`, prepared.textures[0]!, firstUnit);
      // Past 0.5 the mix saturates and eps carries the rest of the strength.
      gl.uniform1f(program.uniform(`${p}_smoothing`), Math.min(1, s.smoothing * 2));
    }
    if (s.sharpening > 0) gl.uniform1f(program.uniform(`${p}_sharpening`), s.sharpening * 2.5);
    if (s.whitening > 0) gl.uniform1f(program.uniform(`${p}_beta`), 1 + s.whitening * 4);
  },
};
