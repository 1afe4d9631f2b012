/**
 * Ways in: the desktop's open dialog (Electron), file and folder pickers that upload (browser),
 * a path on the host (a folder imports recursively), watched folders, and dropped files (in
 * Electron imported where they are, in a browser uploaded first).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StudioHost } from '../../host/index.ts';
import { formatBytes } from '../format.ts';
import { pickedFromInput, uploadFiles, type PickedFile } from './upload.ts';
import type { LibraryApi } from './use-library.ts';

interface UploadState {
  sentBytes: number;
  totalBytes: number;
  abort: AbortController;
}

/** Imports picked or dropped files: by path where the host can see them, by upload otherwise. */
export function useImporter(api: LibraryApi, host: Pick<StudioHost, 'pathForFile'>, notify: (message: string) => void) {
  const [upload, setUpload] = useState<UploadState | null>(null);
  const importPaths = useCallback(
    (paths: string[]) =>
      api.import(paths).then(
        () => undefined,
        (error: unknown) => notify(error instanceof Error ? error.message.replace(/^tally:[\w.]+: /, '') : String(error)),
      ),
    [api, notify],
  );
  const importPicked = useCallback(
    async (picked: PickedFile[]) => {
      if (picked.length === 0) return;
      const paths = picked.map((entry) => host.pathForFile(entry.file));
      if (paths.every((path): path is string => path !== null)) return importPaths(paths);
      const abort = new AbortController();
      const total = picked.reduce((sum, entry) => sum + entry.file.size, 0);
      setUpload({ sentBytes: 0, totalBytes: total, abort });
      try {
        const result = await uploadFiles(picked, (sentBytes, totalBytes) => setUpload({ sentBytes, totalBytes, abort }), abort.signal);
        if (result.refused.length)
          notify(`Not media Tally imports: ${result.refused.slice(0, 5).join(', ')}${result.refused.length > 5 ? '…' : ''}`);
        if (result.paths.length) await importPaths(result.paths);
      } catch (error) {
        notify(abort.signal.aborted ? 'Upload cancelled' : error instanceof Error ? error.message : String(error));
      } finally {
        setUpload(null);
      }
    },
    [host, importPaths, notify],
  );
  return { upload, importPicked, importPaths };
}

export interface ImportControlsProps {
  api: LibraryApi;
  host: Pick<StudioHost, 'kind'>;
  importer: ReturnType<typeof useImporter>;
  notify: (message: string) => void;
}

export function ImportControls({ api, host, importer, notify }: ImportControlsProps) {
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [hostPath, setHostPath] = useState('');
  const [watched, setWatched] = useState<string[]>([]);
  const [watchPath, setWatchPath] = useState('');
  const fail = (error: unknown) => notify(error instanceof Error ? error.message.replace(/^tally:[\w.]+: /, '') : String(error));

  useEffect(() => {
    void api.listWatchedFolders().then(setWatched, () => undefined);
    // The folder input picks directories (a non-standard attribute React does not know).
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, [api]);

  const pick = (folders: boolean) => {
    if (host.kind === 'electron') void api.importWithDialog({ folders }).catch(fail);
    else (folders ? folderInput : filesInput).current?.click();
  };

  return (
    <div className="library-import" role="group" aria-label="Import">
      <button type="button" onClick={() => pick(false)}>
        Import files…
      </button>
      <button type="button" onClick={() => pick(true)}>
        Import folder…
      </button>
      {([filesInput, folderInput] as const).map((input, index) => (
        <input
          key={index}
          ref={input}
          type="file"
          multiple
          hidden
          aria-label={index === 0 ? 'Upload files' : 'Upload folder'}
          onChange={(event) => {
            void importer.importPicked(pickedFromInput(event.target.files));
            event.target.value = '';
          }}
        />
      ))}
      {importer.upload && (
        <div className="library-job">
          <progress max={importer.upload.totalBytes || 1} value={importer.upload.sentBytes} aria-label="Upload progress" />
          <span>
            Uploading {formatBytes(importer.upload.sentBytes)} of {formatBytes(importer.upload.totalBytes)}
          </span>
          <button type="button" onClick={() => importer.upload?.abort.abort()}>
            Cancel upload
          </button>
        </div>
      )}
      {/* Paths on the host and watched folders fold away, so the items show at 1280x720. */}
      <details className="library-more-import">
        <summary>{watched.length > 0 ? `Host path, watched folders (${watched.length})` : 'Host path, watched folders'}</summary>
        <form
          className="library-inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (hostPath.trim()) void importer.importPaths([hostPath.trim()]).then(() => setHostPath(''));
          }}
        >
          <label>
            Host path
            <input value={hostPath} onChange={(event) => setHostPath(event.target.value)} placeholder="A file or folder on the host" />
          </label>
          <button type="submit">Import path</button>
        </form>
        <div className="library-watched">
          <span>Watched folders ({watched.length})</span>
          <ul aria-label="Watched folders">
            {watched.map((folder) => (
              <li key={folder}>
                <span className="library-path">{folder}</span>{' '}
                <button
                  type="button"
                  aria-label={`Stop watching ${folder}`}
                  onClick={() => void api.removeWatchedFolder(folder).then(setWatched, fail)}
                >
                  Stop watching
                </button>
              </li>
            ))}
          </ul>
          <form
            className="library-inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              void api.addWatchedFolder(watchPath.trim()).then((folders) => {
                setWatched(folders);
                setWatchPath('');
              }, fail);
            }}
          >
            <label>
              Folder to watch
              <input value={watchPath} onChange={(event) => setWatchPath(event.target.value)} placeholder="/path/on/the/host" required />
            </label>
            <button type="submit">Watch</button>
          </form>
        </div>
      </details>
    </div>
  );
}
