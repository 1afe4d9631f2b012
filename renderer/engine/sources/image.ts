/**
 * Image sources: png, jpg, webp and animated gif (or animated webp/png). WebCodecs'
 * ImageDecoder decodes every frame with its duration; the frame shown follows the engine
 * clock, looping as the file says.
 */
import { StatusCell, type FrameInfo, type RuntimeSource, type SourcePicture } from './source.ts';

/** Frames are decoded up front while they fit this budget; longer animations keep what fits. */
const DECODED_BUDGET_BYTES = 256 * 1024 * 1024;

interface DecodedFrame {
  bitmap: ImageBitmap;
  durationMs: number;
}

/** Which frame shows at `elapsedMs` of a looping animation. Pure, for the tests. */
export function frameAt(durationsMs: readonly number[], elapsedMs: number): number {
  const total = durationsMs.reduce((sum, duration) => sum + duration, 0);
  if (durationsMs.length <= 1 || total <= 0) return 0;
  let t = elapsedMs % total;
  for (let index = 0; index < durationsMs.length; index++) {
    t -= durationsMs[index]!;
    if (t < 0) return index;
  }
  return durationsMs.length - 1;
}

/** A still or animated image, decoded up front. */
export class ImageSource implements RuntimeSource {
  readonly kind = 'image';
  private readonly cell = new StatusCell();
  private frames: DecodedFrame[] = [];
  private startMs: number | null = null;
  private disposed = false;

  constructor(url: string) {
    this.cell.track(this.load(url));
  }

  get status() {
    return this.cell.status;
  }

  get started() {
    return this.cell.started;
  }

  get size() {
    const first = this.frames[0];
    return first ? { width: first.bitmap.width, height: first.bitmap.height } : null;
  }

  /** How many frames were decoded (1 for a still image). */
  get frameCount(): number {
    return this.frames.length;
  }

  private async load(url: string): Promise<void> {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`image ${url.slice(0, 100)} answered ${response.status}`);
    const blob = await response.blob();
    const type = blob.type || 'image/png';
    if (typeof ImageDecoder !== 'undefined' && (await ImageDecoder.isTypeSupported(type))) {
      await this.decodeAll(blob, type);
    } else {
      this.frames = [{ bitmap: await createImageBitmap(blob), durationMs: 0 }];
    }
    if (this.disposed) this.release();
  }

  private async decodeAll(blob: Blob, type: string): Promise<void> {
    const decoder = new ImageDecoder({ data: await blob.arrayBuffer(), type });
    try {
      await decoder.tracks.ready;
      const track = decoder.tracks.selectedTrack;
      await decoder.completed;
      const count = Math.max(1, track?.frameCount ?? 1);
      let bytes = 0;
      for (let index = 0; index < count; index++) {
        const { image } = await decoder.decode({ frameIndex: index });
        bytes += image.displayWidth * image.displayHeight * 4;
        if (index > 0 && bytes > DECODED_BUDGET_BYTES) {
          image.close();
          break;
        }
        const durationMs = (image.duration ?? 100_000) / 1000;
        this.frames.push({ bitmap: await createImageBitmap(image), durationMs: durationMs > 0 ? durationMs : 100 });
        image.close();
      }
    } catch (error) {
      if (!(error instanceof DOMException)) throw error;
      throw new Error(`the image could not be decoded (${error.message})`, { cause: error });
    } finally {
      decoder.close();
    }
  }

  picture(frame: FrameInfo): SourcePicture | null {
    if (this.frames.length === 0) return null;
    this.startMs ??= frame.nowMs;
    const index = frameAt(
      this.frames.map((decoded) => decoded.durationMs),
      frame.nowMs - this.startMs,
    );
    const bitmap = this.frames[index]!.bitmap;
    return { image: bitmap, width: bitmap.width, height: bitmap.height, version: index };
  }

  private release(): void {
    for (const decoded of this.frames) decoded.bitmap.close();
    this.frames = [];
  }

  dispose(): void {
    this.disposed = true;
    this.release();
  }
}
