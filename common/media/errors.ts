/** Errors the pure media codecs throw. One class, so callers catch one thing and close cleanly. */

/** The bytes do not follow the format (truncated, out of range, unsupported or over a limit). */
export class MediaFormatError extends Error {
  override readonly name = 'MediaFormatError';
}
