import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { UpdateChannel, UpdateState } from '../../../common/host/contract.ts';
import { Store } from '../store.ts';
import { defaultChannelFor, UpdatesService, type UpdateController } from './update-service.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-updates-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in for the Electron updater (electron-updater is tested in main/electron/updater.test.ts). */
function fakeController() {
  const channels: UpdateChannel[] = [];
  const listeners = new Set<(state: UpdateState) => void>();
  const controller: UpdateController = {
    setChannel: (channel) => channels.push(channel),
    check: async () => ({ kind: 'up-to-date', version: '1.0.0' }),
    installAndRestart: () => false,
    getState: () => ({ kind: 'idle' }),
    onState: (listener) => (listeners.add(listener), { dispose: () => listeners.delete(listener) }),
  };
  return { controller, channels, emit: (state: UpdateState) => listeners.forEach((listener) => listener(state)) };
}

describe('the updates service (fake updater)', () => {
  it('a beta build starts on beta, an alpha build on alpha, a release on latest', () => {
    expect(defaultChannelFor('1.2.0-beta.3')).toBe('beta');
    expect(defaultChannelFor('1.2.0-alpha.1')).toBe('alpha');
    expect(defaultChannelFor('1.2.0')).toBe('latest');
    expect(defaultChannelFor('1.2.0-rc.1')).toBe('latest');
  });

  it('stores the chosen channel, hands it to the updater at start and on change, and forwards its states', () => {
    const store = new Store({ dataDir: join(scratch, 'a') });
    const fake = fakeController();
    const states: UpdateState[] = [];
    const service = new UpdatesService({ store, version: '1.0.0', controller: fake.controller, onState: (state) => states.push(state) });
    expect(fake.channels).toEqual(['latest']);
    service.setChannel('beta');
    service.dispose();
    fake.emit({ kind: 'checking' });
    expect(states).toEqual([]);

    const again = new UpdatesService({ store, version: '1.0.0', controller: fake.controller, onState: (state) => states.push(state) });
    expect(again.channel()).toBe('beta');
    expect(fake.channels).toEqual(['latest', 'beta', 'beta']);
    fake.emit({ kind: 'checking' });
    expect(states).toEqual([{ kind: 'checking' }]);
    again.dispose();
    store.dispose();
  });

  it('without an updater (the web studio) it says that updates come with the installed app', async () => {
    const store = new Store({ dataDir: join(scratch, 'b') });
    const service = new UpdatesService({ store, version: '1.0.0', onState: () => {} });
    expect(await service.check()).toMatchObject({
      kind: 'unsupported',
      message: expect.stringMatching(/installed desktop app/) as unknown,
    });
    expect(service.installAndRestart()).toBe(false);
    store.dispose();
  });
});
