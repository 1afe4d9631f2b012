/**
 * The pointwise filters: chroma key and colour correction. Each maps one premultiplied
 * colour to another, so any number of them fuse into the draw after a sampling filter.
 */
import { GLSL_LUMA, type FilterImplementation } from './filter.ts';

/** `#rrggbb[aa]` → [r, g, b, a] in 0..1. */
export function parseColor(color: string): [number, number, number, number] {
  const value = (index: number) => parseInt(color.slice(1 + index * 2, 3 + index * 2), 16) / 255;
  return [value(0), value(1), value(2), color.length === 9 ? value(3) : 1];
}

/** Rec. 709 CbCr of an RGB colour, both centred on 0. */
export function chroma709(r: number, g: number, b: number): [number, number] {
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return [(b - y) / 1.8556, (r - y) / 1.5748];
}

/**
 * Chroma key as OBS computes it (obs-filters/data/chroma_key_filter_v2.effect): distance in
 * CbCr from the key, minus similarity, over smoothness, to the power 1.5 → alpha; the same
 * over the spill width → how much colour remains before desaturating toward grey.
 */
export const chromaKeyFilter: FilterImplementation<'chromaKey'> = {
  kind: 'chromaKey',
  access: 'pointwise',
  variant: () => 'chromaKey',
  glsl: (p) => `uniform vec2 ${p}_key; uniform float ${p}_similarity; uniform float ${p}_smoothness; uniform float ${p}_spill;
vec4 ${p}(vec4 color) {
  ${GLSL_LUMA}
  if (color.a <= 0.0) return color;
  vec3 rgb = color.rgb / color.a;
  float y = dot(rgb, LUMA);
  vec2 cbcr = vec2((rgb.b - y) / 1.8556, (rgb.r - y) / 1.5748);
  float base = distance(cbcr, ${p}_key) - ${p}_similarity;
  float alpha = pow(clamp(base / ${p}_smoothness, 0.0, 1.0), 1.5);
  float spill = pow(clamp(base / ${p}_spill, 0.0, 1.0), 1.5);
  rgb = mix(vec3(y), rgb, spill);
  float a = color.a * alpha;
  return vec4(rgb * a, a);
}`,
  bind(gl, program, p, s) {
    const [r, g, b] = parseColor(s.keyColor);
    gl.uniform2f(program.uniform(`${p}_key`), ...chroma709(r, g, b));
    // OBS's UI scales 1..1000 onto these; CbCr distances of real keys stay under about 0.5.
    gl.uniform1f(program.uniform(`${p}_similarity`), s.similarity * 0.5);
    gl.uniform1f(program.uniform(`${p}_smoothness`), Math.max(1e-4, s.smoothness * 0.5));
    gl.uniform1f(program.uniform(`${p}_spill`), Math.max(1e-4, s.spillReduction * 0.5));
  },
};

/** The hue rotation about the grey axis, as a column-major 3x3 matrix. */
export function hueRotation(degrees: number): number[] {
  const angle = (degrees * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const k = 1 / 3;
  const sq = Math.sqrt(k);
  const a = cos + (1 - cos) * k;
  const b = k * (1 - cos) - sq * sin;
  const c = k * (1 - cos) + sq * sin;
  // Rows [a b c; c a b; b c a], stored by column.
  return [a, c, b, b, a, c, c, b, a];
}

/** Colour correction: gamma, contrast, brightness, saturation and hue, in that order (as OBS). */
export const colorCorrectionFilter: FilterImplementation<'colorCorrection'> = {
  kind: 'colorCorrection',
  access: 'pointwise',
  variant: () => 'colorCorrection',
  glsl: (
    p,
  ) => `uniform float ${p}_gamma; uniform float ${p}_contrast; uniform float ${p}_brightness; uniform float ${p}_saturation; uniform mat3 ${p}_hue;
vec4 ${p}(vec4 color) {
  ${GLSL_LUMA}
  if (color.a <= 0.0) return color;
  vec3 rgb = pow(max(color.rgb / color.a, 0.0), vec3(${p}_gamma));
  rgb = (rgb - 0.5) * ${p}_contrast + 0.5 + ${p}_brightness;
  rgb = mix(vec3(dot(rgb, LUMA)), rgb, ${p}_saturation);
  rgb = ${p}_hue * rgb;
  return vec4(clamp(rgb, 0.0, 1.0) * color.a, color.a);
}`,
  bind(gl, program, p, s) {
    gl.uniform1f(program.uniform(`${p}_gamma`), 2 ** (s.gamma * 1.5));
    gl.uniform1f(program.uniform(`${p}_contrast`), s.contrast < 0 ? 1 + s.contrast : 1 + s.contrast * 3);
    gl.uniform1f(program.uniform(`${p}_brightness`), s.brightness * 0.5);
    gl.uniform1f(program.uniform(`${p}_saturation`), 1 + s.saturation);
    gl.uniformMatrix3fv(program.uniform(`${p}_hue`), false, hueRotation(s.hueShiftDeg));
  },
};
