/** Shows the dialog the studio asked for (one at a time). */
import { AdvancedAudioDialog } from './audio/AdvancedAudioDialog.tsx';
import { ImportReportDialog } from './collections/ImportReportDialog.tsx';
import { ConfirmDialog, RenameDialog } from './components/RenameDialog.tsx';
import { FiltersDialog } from './filters/FiltersDialog.tsx';
import { SettingsDialog } from './settings/SettingsDialog.tsx';
import { SourceDialog } from './sources/SourceDialog.tsx';
import { useStudio } from './studio/context.tsx';
import { useStore } from './studio/store.ts';

export function DialogHost() {
  const studio = useStudio();
  const request = useStore(studio.dialog);
  if (!request) return null;
  const close = () => studio.closeDialog();
  switch (request.kind) {
    case 'source':
      return <SourceDialog key={request.sourceId} request={request} />;
    case 'filters':
      return <FiltersDialog key={request.sourceId} sourceId={request.sourceId} />;
    case 'settings':
      return <SettingsDialog initialPage={request.page ?? 'general'} />;
    case 'advancedAudio':
      return <AdvancedAudioDialog />;
    case 'rename':
      return (
        <RenameDialog
          title={request.title}
          label={request.label}
          value={request.value}
          onDone={(name) => {
            close();
            if (name) request.onRename(name);
          }}
        />
      );
    case 'confirm':
      return (
        <ConfirmDialog
          title={request.title}
          message={request.message}
          action={request.action}
          onDone={(confirmed) => {
            close();
            if (confirmed) request.onConfirm();
          }}
        />
      );
    case 'importReport':
      return <ImportReportDialog request={request} onClose={close} />;
  }
}
