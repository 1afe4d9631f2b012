/**
 * The host's `updates` service: which channel this install follows (a setting), checks on
 * request, and the updater's state for Settings. The updater itself is Electron's
 * (`main/electron/updater.ts`), injected as an `UpdateController`; the web studio has none
 * and says so.
 */
import { prerelease } from 'semver';
import { UpdateChannel, type UpdateState } from '../../../common/host/contract.ts';
import type { Disposable } from '../../../common/host/contract-kit.ts';
import type { Store } from '../store.ts';

/** The updater as the host sees it. */
export interface UpdateController {
  /** Follows `channel` from the next check on. */
  setChannel(channel: UpdateChannel): void;
  /** Checks now; resolves with the state the check ended in. */
  check(): Promise<UpdateState>;
  /** Quits and installs a downloaded update; false when none is downloaded. */
  installAndRestart(): boolean;
  getState(): UpdateState;
  onState(listener: (state: UpdateState) => void): Disposable;
}

const CHANNEL_SETTING = 'updates.channel';

/** Where an install starts: a beta build follows beta, an alpha build alpha, a release latest. */
export function defaultChannelFor(version: string): UpdateChannel {
  const tag = prerelease(version)?.[0];
  return tag === 'alpha' || tag === 'beta' ? tag : 'latest';
}

const UNSUPPORTED: UpdateState = {
  kind: 'unsupported',
  message: 'Updates come with the installed desktop app. This studio runs from a checkout or in a browser; update it with git.',
};

export class UpdatesService implements Disposable {
  private readonly store: Store;
  private readonly controller: UpdateController | undefined;
  private readonly subscription: Disposable | undefined;
  private readonly defaultChannel: UpdateChannel;

  constructor(options: { store: Store; version: string; controller?: UpdateController; onState(state: UpdateState): void }) {
    this.store = options.store;
    this.controller = options.controller;
    this.defaultChannel = defaultChannelFor(options.version);
    this.subscription = this.controller?.onState((state) => options.onState(state));
    this.controller?.setChannel(this.channel());
  }

  channel(): UpdateChannel {
    const stored = UpdateChannel.safeParse(this.store.getSetting(CHANNEL_SETTING));
    return stored.success ? stored.data : this.defaultChannel;
  }

  setChannel(channel: UpdateChannel): UpdateChannel {
    this.store.setSetting(CHANNEL_SETTING, channel);
    this.controller?.setChannel(channel);
    return channel;
  }

  check(): Promise<UpdateState> {
    return this.controller ? this.controller.check() : Promise.resolve(UNSUPPORTED);
  }

  state(): UpdateState {
    return this.controller ? this.controller.getState() : UNSUPPORTED;
  }

  installAndRestart(): boolean {
    return this.controller?.installAndRestart() ?? false;
  }

  dispose(): void {
    this.subscription?.dispose();
  }
}
