/**
 * The studio's settings as the UI sees them: loaded from the host, kept current by its
 * change events, and written back section by section. Layout changes (splitter drags)
 * are written once the drag settles.
 */
import type { StudioSettings, StudioSettingsPatch } from '../../../common/settings/studio-settings.ts';
import type { StudioHost } from '../../host/index.ts';
import { ValueStore } from './store.ts';

/** Settings, observable. */
export class SettingsStore extends ValueStore<StudioSettings> {
  private readonly host: StudioHost;
  private readonly stopListening: () => void;
  private pending: StudioSettingsPatch = {};
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(host: StudioHost, initial: StudioSettings) {
    super(initial);
    this.host = host;
    const subscription = host.api.settings.onDidChange((settings) => this.set({ ...settings, ...this.unsaved() }));
    this.stopListening = () => subscription.dispose();
  }

  /** Writes sections now; resolves once the host has them (and puts the old ones back if it refused). */
  async update(patch: StudioSettingsPatch): Promise<void> {
    const before = this.get();
    this.set({ ...before, ...(patch as Partial<StudioSettings>) });
    try {
      this.set(await this.host.api.settings.update(patch));
    } catch (error) {
      this.set(before);
      throw error;
    }
  }

  /** Changes sections at once in the UI and writes them after `delayMs` of quiet (a drag in progress). */
  updateSoon(patch: StudioSettingsPatch, onError: (error: unknown) => void, delayMs = 400): void {
    this.pending = { ...this.pending, ...patch };
    this.set({ ...this.get(), ...(patch as Partial<StudioSettings>) });
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const patchNow = this.pending;
      this.pending = {};
      this.timer = null;
      this.host.api.settings.update(patchNow).catch(onError);
    }, delayMs);
  }

  private unsaved(): Partial<StudioSettings> {
    return this.pending as Partial<StudioSettings>;
  }

  dispose(): void {
    this.stopListening();
    if (this.timer !== null) {
      clearTimeout(this.timer);
      void this.host.api.settings.update(this.pending).catch(() => undefined);
    }
  }
}
