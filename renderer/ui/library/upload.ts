/**
 * Getting a browser's files onto the host (the web studio): each file is POSTed to
 * `/library/upload` with its name and folder, with upload progress, and can be aborted. In
 * Electron the page knows each dropped file's path and nothing is uploaded.
 */
import { LIBRARY_UPLOAD_PATH } from '../../../common/host/library-contract.ts';

/** A file to put on the host, and the folder it came from (for a folder upload), `/`-separated. */
export interface PickedFile {
  file: File;
  folder: string;
}

/** Files from an `<input type=file>` (a folder input gives each file's relative path). */
export function pickedFromInput(files: FileList | null): PickedFile[] {
  return [...(files ?? [])].map((file) => ({ file, folder: parentOf(file.webkitRelativePath) }));
}

/** Files dropped on the page, folders walked recursively. */
export async function pickedFromDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry()).filter((entry): entry is FileSystemEntry => entry !== null);
  if (entries.length === 0) return [...transfer.files].map((file) => ({ file, folder: '' }));
  const picked: PickedFile[] = [];
  const visit = async (entry: FileSystemEntry, folder: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      picked.push({ file, folder });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      const inside = folder ? `${folder}/${entry.name}` : entry.name;
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const child of batch) await visit(child, inside);
      }
    }
  };
  for (const entry of entries) await visit(entry, '');
  return picked;
}

/** Uploads files one by one; resolves with their paths on the host. Skips what the host refuses (not media), rejecting only on other errors. */
export async function uploadFiles(
  files: readonly PickedFile[],
  onProgress: (sentBytes: number, totalBytes: number) => void,
  signal: AbortSignal,
): Promise<{ paths: string[]; refused: string[] }> {
  const total = files.reduce((sum, picked) => sum + picked.file.size, 0);
  let before = 0;
  const paths: string[] = [];
  const refused: string[] = [];
  for (const picked of files) {
    const query = new URLSearchParams({ name: picked.file.name });
    if (picked.folder) query.set('folder', picked.folder);
    const answer = await send(`${LIBRARY_UPLOAD_PATH}?${query}`, picked.file, (sent) => onProgress(before + sent, total), signal);
    if (answer.status === 201) paths.push((JSON.parse(answer.body) as { path: string }).path);
    else if (answer.status === 415) refused.push(picked.file.name);
    else throw new Error(`uploading ${picked.file.name} failed: ${answer.body || answer.status}`);
    before += picked.file.size;
    onProgress(before, total);
  }
  return { paths, refused };
}

function send(url: string, body: File, onSent: (bytes: number) => void, signal: AbortSignal): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new DOMException('upload cancelled', 'AbortError'));
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.upload.onprogress = (event) => onSent(event.loaded);
    request.onload = () => resolve({ status: request.status, body: request.responseText });
    request.onerror = () => reject(new Error('the host could not be reached'));
    request.onabort = () => reject(new DOMException('upload cancelled', 'AbortError'));
    signal.addEventListener('abort', () => request.abort(), { once: true });
    request.send(body);
  });
}

function parentOf(relativePath: string): string {
  const cut = relativePath.lastIndexOf('/');
  return cut > 0 ? relativePath.slice(0, cut) : '';
}
