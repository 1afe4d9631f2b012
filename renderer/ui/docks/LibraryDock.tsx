/** The content library as a dock: the library panel, given the studio's host, engine and the scene editor to drop onto. */
import { Dock } from '../layout/Dock.tsx';
import { LibraryPanel } from '../library/LibraryPanel.tsx';
import { useStudio } from '../studio/context.tsx';
import { useStore } from '../studio/store.ts';

export function LibraryDock() {
  const studio = useStudio();
  const editorBox = useStore(studio.editorBox);
  return (
    <Dock title="Library">
      <LibraryPanel host={studio.host} engine={studio.engine} preview={editorBox} />
    </Dock>
  );
}
