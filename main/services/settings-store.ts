/**
 * The studio's settings in the store: one row per section (`studio.video`, `studio.layout`,
 * …) in the `settings` table, each validated by its schema from `common/settings`. A section
 * that no longer reads (hand-edited, or written by a different build) falls back to its
 * defaults with a warning, and never takes the other sections with it.
 */
import {
  STUDIO_SETTINGS_SECTIONS,
  StudioSettings,
  StudioSettingsPatch,
  type StudioSettingsSection,
} from '../../common/settings/studio-settings.ts';
import type { Logger } from './logger.ts';
import type { Store } from './store.ts';

const keyOf = (section: StudioSettingsSection) => `studio.${section}`;

/** Reads and writes the studio's settings. */
export class StudioSettingsStore {
  private readonly store: Store;
  private readonly log: Pick<Logger, 'warn'>;

  constructor(store: Store, log: Pick<Logger, 'warn'>) {
    this.store = store;
    this.log = log;
  }

  /** Every section, defaults where nothing (valid) is stored. */
  get(): StudioSettings {
    const defaults = StudioSettings.parse({});
    const sections: Record<string, unknown> = {};
    for (const section of STUDIO_SETTINGS_SECTIONS) {
      const stored = this.store.getSetting(keyOf(section));
      if (stored === undefined) continue;
      const parsed = StudioSettings.shape[section].safeParse(stored);
      if (parsed.success) sections[section] = parsed.data;
      else this.log.warn({ section }, 'a stored settings section does not read; using its defaults');
    }
    return { ...defaults, ...sections };
  }

  /** Validates and stores the sections given, in one transaction; returns all settings after. */
  update(patch: StudioSettingsPatch): StudioSettings {
    const parsed = StudioSettingsPatch.parse(patch);
    this.store.db.transaction(() => {
      for (const section of STUDIO_SETTINGS_SECTIONS) {
        const value = parsed[section];
        if (value !== undefined) this.store.setSetting(keyOf(section), value);
      }
    })();
    return this.get();
  }
}
