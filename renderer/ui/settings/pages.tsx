/**
 * The pages of Settings, in order. A page edits a draft; OK and Apply store it (Updates
 * applies its channel at once, through the host's `updates` service; Stream and Output apply
 * at once through the studio's outputs).
 */
import type { ComponentType } from 'react';
import type { Canvas } from '../../../common/scene/schema.ts';
import type { StudioSettings } from '../../../common/settings/studio-settings.ts';
import { AudioPage } from './AudioPage.tsx';
import { GeneralPage } from './GeneralPage.tsx';
import { HotkeysPage } from './HotkeysPage.tsx';
import { OutputPage } from './OutputPage.tsx';
import { StreamPage } from './StreamPage.tsx';
import { UpdatesPage } from './UpdatesPage.tsx';
import { VideoPage } from './VideoPage.tsx';

/** What Settings edits: the studio's settings, and the collection's canvas (its base resolution). */
export interface SettingsDraft {
  settings: StudioSettings;
  canvas: Canvas;
}

export interface SettingsPageProps {
  draft: SettingsDraft;
  change: (draft: SettingsDraft) => void;
}

export interface SettingsPage {
  id: string;
  label: string;
  Page: ComponentType<SettingsPageProps>;
}

export const SETTINGS_PAGES: readonly SettingsPage[] = [
  { id: 'general', label: 'General', Page: GeneralPage },
  { id: 'stream', label: 'Stream', Page: StreamPage },
  { id: 'output', label: 'Output', Page: OutputPage },
  { id: 'video', label: 'Video', Page: VideoPage },
  { id: 'audio', label: 'Audio', Page: AudioPage },
  { id: 'hotkeys', label: 'Hotkeys', Page: HotkeysPage },
  { id: 'updates', label: 'Updates', Page: UpdatesPage },
];
