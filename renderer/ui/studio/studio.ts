/**
 * The studio as the UI drives it: the engine, the host, and the UI state that lives outside
 * React (the selected item, the clipboard, which dialog is open). Every scene edit goes
 * through `dispatch`, which reports a refused edit as a notification instead of throwing,
 * and publishes the engine's snapshot at once so the UI never lags an edit.
 */
import type { Disposable } from '../../../common/host/contract-kit.ts';
import type { HostStats } from '../../../common/host/contract.ts';
import { SceneCommandError, type SceneCommand } from '../../../common/scene/commands.ts';
import { findItem, randomIds, type IdMaker } from '../../../common/scene/operations.ts';
import type { Scene, SceneItem, Source } from '../../../common/scene/schema.ts';
import type { CollectionAutosave, EngineSnapshot, StudioEngine } from '../../engine/index.ts';
import type { StudioHost } from '../../host/index.ts';
import type { OutputsController } from '../controls/outputs-controller.ts';
import type { ProgressStore } from '../feedback/progress.tsx';
import type { ToastStore } from '../feedback/toasts.tsx';
import type { SettingsStore } from './settings-store.ts';
import { ValueStore } from './store.ts';

/** A dialog the main window shows. */
export type DialogRequest =
  /**
   * A source's properties. `created`: the source was just added by this dialog (Cancel
   * removes it). `pending`: an image or media source that is added once its file is chosen.
   */
  | { kind: 'source'; sourceId: string; itemId: string | null; created: boolean; pending?: { kind: 'image' | 'media'; name: string } }
  | { kind: 'filters'; sourceId: string }
  | { kind: 'settings'; page?: string }
  | { kind: 'advancedAudio' }
  | { kind: 'rename'; title: string; label: string; value: string; onRename: (name: string) => void }
  /** A question before something that cannot be undone. */
  | { kind: 'confirm'; title: string; message: string; action: string; onConfirm: () => void }
  | {
      kind: 'importReport';
      title: string;
      notes: ReadonlyArray<{ severity: 'skipped' | 'changed'; subject: string; message: string }>;
      summary: string;
    };

/** Snapshot refresh rate for the UI (≤10 Hz). */
const SNAPSHOT_HZ = 5;

/** Everything a dock or dialog needs to act on the studio. */
export class Studio implements Disposable {
  readonly engine: StudioEngine;
  readonly host: StudioHost;
  readonly toasts: ToastStore;
  readonly progress: ProgressStore;
  readonly settings: SettingsStore;
  readonly outputs: OutputsController;
  readonly autosave: CollectionAutosave;
  readonly snapshot: ValueStore<EngineSnapshot>;
  /** The item selected in the preview and the Sources dock. */
  readonly selection = new ValueStore<string | null>(null);
  readonly dialog = new ValueStore<DialogRequest | null>(null);
  /** The item copied with Ctrl+C, with its source as it was. */
  clipboard: { item: SceneItem; source: Source } | null = null;
  readonly ids: IdMaker = randomIds();
  /** The host process's figures, once a second. */
  readonly hostStats = new ValueStore<HostStats | null>(null);
  /** The scene editor's picture box, which library cards can be dropped onto; null while none is shown. */
  readonly editorBox = new ValueStore<HTMLElement | null>(null);
  private readonly subscriptions: Disposable[];

  constructor(parts: {
    engine: StudioEngine;
    host: StudioHost;
    toasts: ToastStore;
    progress: ProgressStore;
    settings: SettingsStore;
    outputs: OutputsController;
    autosave: CollectionAutosave;
  }) {
    this.engine = parts.engine;
    this.host = parts.host;
    this.toasts = parts.toasts;
    this.progress = parts.progress;
    this.settings = parts.settings;
    this.outputs = parts.outputs;
    this.autosave = parts.autosave;
    this.snapshot = new ValueStore(this.engine.getSnapshot());
    this.subscriptions = [
      this.engine.onSnapshot((snapshot) => this.publish(snapshot), SNAPSHOT_HZ),
      this.host.api.app.onDidUpdateStats((stats) => this.hostStats.set(stats)),
      // A lost host's last figures are not its figures now.
      {
        dispose: this.host.onConnectionChange((connection) => {
          if (connection === 'closed') this.hostStats.set(null);
        }),
      },
    ];
  }

  /** Applies edits in order; a refused one is shown as a notification and stops the rest. Returns whether all applied. */
  dispatch(...commands: SceneCommand[]): boolean {
    try {
      for (const command of commands) this.engine.dispatch(command);
      return true;
    } catch (error) {
      if (!(error instanceof SceneCommandError)) throw error;
      this.toasts.show('error', `That change was not made: ${error.message}`);
      return false;
    } finally {
      this.refresh();
    }
  }

  /** Publishes the engine's snapshot now. */
  refresh(): void {
    this.publish(this.engine.getSnapshot());
  }

  private publish(snapshot: EngineSnapshot): void {
    this.snapshot.set(snapshot);
    const selected = this.selection.get();
    if (selected && !findItem(snapshot.collection, selected)) this.selection.set(null);
  }

  /** The scene edits go to: preview in studio mode, else program. */
  editingScene(): Scene {
    const { collection, studioMode } = this.snapshot.get();
    const id = studioMode ? collection.previewSceneId : collection.programSceneId;
    return collection.scenes.find((scene) => scene.id === id) ?? collection.scenes[0]!;
  }

  /** Switches to a scene: onto program, or onto preview in studio mode (as a click in OBS's scene list). */
  switchScene(sceneId: string): void {
    this.dispatch(this.snapshot.get().studioMode ? { type: 'setPreviewScene', sceneId } : { type: 'setProgramScene', sceneId });
  }

  /** Takes preview to program with the collection's transition (studio mode). */
  transition(): void {
    this.engine.transition();
    this.refresh();
  }

  /** Turns studio mode on or off, and remembers it. */
  setStudioMode(on: boolean): void {
    this.engine.setStudioMode(on);
    this.refresh();
    const settings = this.settings.get();
    this.settings.updateSoon(
      { layout: { ...settings.layout, studioMode: on } },
      (error) => this.toasts.error('Saving the layout', error),
      0,
    );
  }

  /** Opens a dialog (replacing any other). */
  open(request: DialogRequest): void {
    this.dialog.set(request);
  }

  closeDialog(): void {
    this.dialog.set(null);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
