/**
 * Finds moved files again by their bytes: walks a folder (recursively), hashes only the files
 * whose size matches a wanted item's, and answers which item each match belongs to. Sizes are
 * compared first, so a folder of unrelated files costs a `stat` each, not a read.
 */
import { stat } from 'node:fs/promises';
import { hashFile, walkMediaFiles } from './media-files.ts';

/** What to look for: an item's id, size and content hash. */
export interface WantedFile {
  id: number;
  sizeBytes: number;
  contentHash: string;
}

/** Walks `folder` for files with the wanted contents; answers item id → the path found. */
export async function findByContent(folder: string, wanted: readonly WantedFile[], signal?: AbortSignal): Promise<Map<number, string>> {
  const bySize = new Map<number, WantedFile[]>();
  for (const file of wanted) bySize.set(file.sizeBytes, [...(bySize.get(file.sizeBytes) ?? []), file]);
  const found = new Map<number, string>();
  for await (const path of walkMediaFiles(folder, signal)) {
    if (found.size === wanted.length) break;
    const info = await stat(path).catch(() => null);
    const candidates = info ? bySize.get(info.size)?.filter((file) => !found.has(file.id)) : undefined;
    if (!candidates?.length) continue;
    const hash = await hashFile(path, signal).catch(() => null);
    for (const file of candidates) if (file.contentHash === hash) found.set(file.id, path);
  }
  return found;
}
