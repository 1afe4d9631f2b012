/**
 * The pages of Settings, in order. A page edits a draft; OK and Apply store it. Stream and
 * Output (through the studio's outputs) and Updates (through the host's `updates` service)
 * apply at once instead: on them the dialog offers Close, not Cancel/Apply/OK.
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
  /** What is changed on the page takes effect at once (nothing to apply or cancel). */
  appliesAtOnce?: boolean;
}

export const SETTINGS_PAGES: readonly SettingsPage[] = [
  { id: 'general', label: 'General', Page: GeneralPage },
  { id: 'stream', label: 'Stream', Page: StreamPage, appliesAtOnce: true },
  { id: 'output', label: 'Output', Page: OutputPage, appliesAtOnce: true },
  { id: 'video', label: 'Video', Page: VideoPage },
  { id: 'audio', label: 'Audio', Page: AudioPage },
  { id: 'hotkeys', label: 'Hotkeys', Page: HotkeysPage },
  { id: 'updates', label: 'Updates', Page: UpdatesPage, appliesAtOnce: true },
];
