/**
 * One texture per source, uploaded only when the source's picture changed (its version).
 * After a context restore the map is empty, so every source re-uploads on its next frame.
 */
import type { GlSystem } from './context-system.ts';

/** A texture with its size; what filters and draws read. */
export interface TextureRef {
  readonly texture: WebGLTexture;
  readonly width: number;
  readonly height: number;
}

interface Entry {
  texture: WebGLTexture;
  width: number;
  height: number;
  version: number;
}

/** One texture per source, re-uploaded only when its version changes. */
export class TextureSystem implements GlSystem {
  private gl: WebGL2RenderingContext | null = null;
  private readonly entries = new Map<string, Entry>();

  init(gl: WebGL2RenderingContext): void {
    this.gl = gl;
  }

  contextLost(): void {
    this.entries.clear();
  }

  /**
   * The texture of `key` holding `image`; uploads only when `version` differs from the last
   * upload. Images go up premultiplied, the compositor's blending convention.
   */
  upload(key: string, image: TexImageSource, width: number, height: number, version: number): TextureRef {
    const gl = this.gl;
    if (!gl) throw new Error('the texture system has no context');
    let entry = this.entries.get(key);
    if (entry && entry.version === version && entry.width === width && entry.height === height) return entry;
    if (!entry) {
      entry = { texture: createTexture(gl), width, height, version: -1 };
      this.entries.set(key, entry);
    }
    gl.bindTexture(gl.TEXTURE_2D, entry.texture);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, true);
    gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, false);
    gl.pixelStorei(gl.UNPACK_COLORSPACE_CONVERSION_WEBGL, gl.NONE);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, gl.RGBA, gl.UNSIGNED_BYTE, image);
    entry.width = width;
    entry.height = height;
    entry.version = version;
    return entry;
  }

  /** Frees the texture of a source that went away. */
  release(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    if (this.gl && !this.gl.isContextLost()) this.gl.deleteTexture(entry.texture);
    this.entries.delete(key);
  }

  destroy(): void {
    for (const key of [...this.entries.keys()]) this.release(key);
    this.gl = null;
  }
}

/** A texture with linear filtering and clamped edges, the settings every engine texture uses. */
export function createTexture(gl: WebGL2RenderingContext): WebGLTexture {
  const texture = gl.createTexture();
  gl.bindTexture(gl.TEXTURE_2D, texture);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
  return texture;
}
