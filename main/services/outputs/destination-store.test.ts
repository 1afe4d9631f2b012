import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../store.ts';
import { DestinationInvalidError, DestinationStore, resolveServerUrl } from './destination-store.ts';
import { fileKeyCipher, maskSecret } from './secret-box.ts';

const KEY = 'live_123456789_abcdefghijklmnop';
const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tally-dest-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('destinations and their keys at rest', () => {
  it('keeps keys sealed in the database and masked for the renderer, and finds them again after a restart', () => {
    const dir = dataDir();
    const store = new Store({ dataDir: dir });
    const saved = new DestinationStore(store, fileKeyCipher(dir)).save({
      name: 'Twitch',
      service: 'twitch',
      serverUrl: '',
      streamKey: KEY,
    });
    expect(saved).toMatchObject({ serverUrl: 'rtmp://live.twitch.tv/app', streamKey: KEY, enabled: true, adaptiveBitrate: true });
    expect(maskSecret(saved.streamKey)).toBe('••••••••mnop');
    store.dispose();
    // Nothing on disk holds the key in the clear.
    for (const file of ['tally.db', 'secrets.key']) expect(readFileSync(join(dir, file)).includes(KEY)).toBe(false);
    expect(statSync(join(dir, 'secrets.key')).mode & 0o777).toBe(0o600);
    const reopened = new Store({ dataDir: dir });
    expect(new DestinationStore(reopened, fileKeyCipher(dir)).list()).toEqual([saved]);
    reopened.dispose();
  });

  it('lists every change made through the store at once (the list it keeps is cleared by each write)', () => {
    const dir = dataDir();
    const store = new Store({ dataDir: dir });
    const destinations = new DestinationStore(store, fileKeyCipher(dir));
    expect(destinations.list()).toEqual([]);
    const twitch = destinations.save({ name: 'Twitch', service: 'twitch', serverUrl: '', streamKey: KEY });
    expect(destinations.list().map((d) => d.name)).toEqual(['Twitch']);
    destinations.save({ id: twitch.id, name: 'Twitch main', service: 'twitch', serverUrl: '' });
    destinations.saveLocalOrigin('rtmp://127.0.0.1:1935/live', 'studio-key');
    expect(destinations.list().map((d) => [d.name, d.streamKey])).toEqual([
      ['Twitch main', KEY],
      ['Local origin', 'studio-key'],
    ]);
    destinations.saveLocalOrigin('rtmp://127.0.0.1:1936/live', 'studio-key');
    expect(destinations.list()[1]!.serverUrl).toBe('rtmp://127.0.0.1:1936/live');
    expect(destinations.remove(twitch.id)).toBe(true);
    expect(destinations.list().map((d) => d.name)).toEqual(['Local origin']);
    store.dispose();
  });

  it('keeps the stored key when a change leaves the key out, and refuses a destination without one', () => {
    const dir = dataDir();
    const store = new Store({ dataDir: dir });
    const destinations = new DestinationStore(store, fileKeyCipher(dir));
    const saved = destinations.save({ name: 'Venue', service: 'custom', serverUrl: 'rtmps://venue.example:4443/live', streamKey: KEY });
    expect(
      destinations.save({ id: saved.id, name: 'Venue B', service: 'custom', serverUrl: saved.serverUrl, enabled: false }),
    ).toMatchObject({
      name: 'Venue B',
      streamKey: KEY,
      enabled: false,
    });
    expect(() => destinations.save({ name: 'No key', service: 'custom', serverUrl: 'rtmp://a/live' })).toThrow(/stream key is required/);
    store.dispose();
  });

  it('says so when the key file was replaced, instead of decrypting garbage', () => {
    const dir = dataDir();
    const store = new Store({ dataDir: dir });
    new DestinationStore(store, fileKeyCipher(dir)).save({ name: 'T', service: 'twitch', serverUrl: '', streamKey: KEY });
    writeFileSync(join(dir, 'secrets.key'), Buffer.alloc(32, 7));
    const [read] = new DestinationStore(store, fileKeyCipher(dir)).list();
    expect(read!.streamKey).toBeNull();
    expect(read!.keyError).toMatch(/cannot be read here/);
    store.dispose();
  });

  it('checks server URLs: rtmp(s) only, an app path, no key smuggled in a query, rtmps for Facebook', () => {
    expect(resolveServerUrl('youtube', '')).toBe('rtmps://a.rtmps.youtube.com:443/live2');
    expect(() => resolveServerUrl('facebook', 'rtmp://live-api-s.facebook.com/rtmp/')).toThrow(/only rtmps/);
    expect(() => resolveServerUrl('custom', 'http://example.com/live')).toThrow(DestinationInvalidError);
    expect(() => resolveServerUrl('custom', 'rtmp://example.com/live?key=abc')).toThrow(/query/);
    expect(() => resolveServerUrl('custom', 'rtmp://example.com')).toThrow(/application path/);
    expect(() => resolveServerUrl('custom', 'not a url')).toThrow(DestinationInvalidError);
    expect(() => resolveServerUrl('custom', 'rtmp://127.0.0.1:99999/live')).toThrow('port must be 1-65535, not 99999');
  });

  it('refuses a login in the server URL (it would be stored in the clear, beside a sealed key)', () => {
    const dir = dataDir();
    const store = new Store({ dataDir: dir });
    const destinations = new DestinationStore(store, fileKeyCipher(dir));
    for (const serverUrl of [
      'rtmp://user:pw-0123456789@127.0.0.1:1935/live',
      'rtmps://user@venue.example/live',
      'rtmp://:pw-0123456789@host/live',
    ])
      expect(() => destinations.save({ name: 'Venue', service: 'custom', serverUrl, streamKey: KEY })).toThrow(
        new DestinationInvalidError(
          'the server URL must not carry a login (user:password@); a server that needs one takes it in the stream key, which is stored encrypted',
        ),
      );
    expect(destinations.list()).toEqual([]);
    store.dispose();
    expect(readFileSync(join(dir, 'tally.db')).includes('pw-0123456789')).toBe(false);
  });
});
