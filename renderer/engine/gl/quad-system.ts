/** The one piece of geometry the compositor needs: a unit square, drawn as a triangle strip. */
import type { GlSystem } from './context-system.ts';

/** Owns the unit-square vertex array every draw uses. */
export class QuadSystem implements GlSystem {
  private gl: WebGL2RenderingContext | null = null;
  private vao: WebGLVertexArrayObject | null = null;
  private buffer: WebGLBuffer | null = null;

  init(gl: WebGL2RenderingContext): void {
    this.gl = gl;
    this.buffer = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, this.buffer);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]), gl.STATIC_DRAW);
    this.vao = gl.createVertexArray();
    gl.bindVertexArray(this.vao);
    gl.enableVertexAttribArray(0);
    gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
    gl.bindVertexArray(null);
  }

  contextLost(): void {
    this.vao = null;
    this.buffer = null;
  }

  /** Draws the unit square with whatever program and uniforms are bound. */
  draw(): void {
    const gl = this.gl;
    if (!gl || !this.vao) return;
    gl.bindVertexArray(this.vao);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
    gl.bindVertexArray(null);
  }

  destroy(): void {
    if (this.gl && !this.gl.isContextLost()) {
      this.gl.deleteVertexArray(this.vao);
      this.gl.deleteBuffer(this.buffer);
    }
    this.vao = null;
    this.buffer = null;
    this.gl = null;
  }
}
