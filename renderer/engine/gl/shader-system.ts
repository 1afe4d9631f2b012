/** Compiles and caches shader programs by key; rebuilt lazily after a context restore. */
import type { GlSystem } from './context-system.ts';

/** A linked program with its uniform locations looked up once. */
export interface ShaderProgram {
  readonly program: WebGLProgram;
  uniform(name: string): WebGLUniformLocation | null;
}

/** The vertex shader every draw uses: a unit square through `u_matrix`, UVs through `u_uvRect`. */
export const QUAD_VERTEX_SHADER = `#version 300 es
layout(location = 0) in vec2 a_unit;
uniform mat3 u_matrix;
uniform vec4 u_uvRect;
out vec2 v_uv;
void main() {
  vec3 position = u_matrix * vec3(a_unit, 1.0);
  gl_Position = vec4(position.xy, 0.0, 1.0);
  v_uv = mix(u_uvRect.xy, u_uvRect.zw, a_unit);
}`;

/** Caches linked programs by key. */
export class ShaderSystem implements GlSystem {
  private gl: WebGL2RenderingContext | null = null;
  private readonly programs = new Map<string, ShaderProgram>();

  init(gl: WebGL2RenderingContext): void {
    this.gl = gl;
  }

  contextLost(): void {
    this.programs.clear();
  }

  /** The program for `key`, compiled from `fragment` (and the quad vertex shader) on first use. */
  get(key: string, fragment: () => string): ShaderProgram {
    const cached = this.programs.get(key);
    if (cached) return cached;
    const gl = this.gl;
    if (!gl) throw new Error('the shader system has no context');
    const program = link(gl, QUAD_VERTEX_SHADER, fragment(), key);
    const locations = new Map<string, WebGLUniformLocation | null>();
    const built: ShaderProgram = {
      program,
      uniform(name) {
        if (!locations.has(name)) locations.set(name, gl.getUniformLocation(program, name));
        return locations.get(name) ?? null;
      },
    };
    this.programs.set(key, built);
    return built;
  }

  destroy(): void {
    if (this.gl && !this.gl.isContextLost()) for (const { program } of this.programs.values()) this.gl.deleteProgram(program);
    this.programs.clear();
    this.gl = null;
  }
}

function compile(gl: WebGL2RenderingContext, type: number, source: string, key: string): WebGLShader {
  const shader = gl.createShader(type);
  if (!shader) throw new Error(`could not create a shader for ${key}`);
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS) && !gl.isContextLost()) {
    const log = gl.getShaderInfoLog(shader);
    gl.deleteShader(shader);
    throw new Error(`shader ${key} failed to compile: ${log}\n${numbered(source)}`);
  }
  return shader;
}

function link(gl: WebGL2RenderingContext, vertex: string, fragment: string, key: string): WebGLProgram {
  const program = gl.createProgram();
  const vs = compile(gl, gl.VERTEX_SHADER, vertex, key);
  const fs = compile(gl, gl.FRAGMENT_SHADER, fragment, key);
  gl.attachShader(program, vs);
  gl.attachShader(program, fs);
  gl.linkProgram(program);
  gl.deleteShader(vs);
  gl.deleteShader(fs);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS) && !gl.isContextLost()) {
    throw new Error(`shader ${key} failed to link: ${gl.getProgramInfoLog(program)}`);
  }
  return program;
}

function numbered(source: string): string {
  return source
    .split('\n')
    .map((line, index) => `${String(index + 1).padStart(3)}: ${line}`)
    .join('\n');
}
