/**
 * Screenshots: the renderer encodes the program as a PNG at the output resolution and sends
 * it over the media channel (`MediaKind.image`); the host checks it really is a PNG of a
 * sane size before writing it (PNG spec 5.2 signature, 11.2.2 IHDR).
 */

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The picture size a PNG declares; throws a clear error for anything that is not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 33 || PNG_SIGNATURE.some((value, index) => bytes[index] !== value)) throw new Error('the screenshot is not a PNG');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (type !== 'IHDR') throw new Error('the screenshot PNG does not start with IHDR');
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width < 1 || height < 1 || width > 16384 || height > 16384)
    throw new Error(`the screenshot's size ${width}x${height} is out of range`);
  return { width, height };
}
