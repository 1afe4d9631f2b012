/** Settings → Updates: the release channel and the updater's state (`updates/UpdateSettings.tsx`, self-contained). */
import { useStudio } from '../studio/context.tsx';
import { UpdateSettings } from '../updates/UpdateSettings.tsx';

export function UpdatesPage() {
  const studio = useStudio();
  return (
    <div className="settings-sections">
      <UpdateSettings host={studio.host} />
    </div>
  );
}
