/** The studio window's preload: exposes the contract bridge as `window.tally` and the path of a dropped file, nothing else. */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { BRIDGE_GLOBAL } from '../common/host/bridge.ts';
import type { HostContract } from '../common/host/contract.ts';
import { buildBridge } from './bridge.ts';
import { CHANNEL_MANIFEST } from './channel-manifest.ts';

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, {
  ...buildBridge<HostContract>(CHANNEL_MANIFEST, ipcRenderer, (message, ports) =>
    window.postMessage(message, window.location.origin, [...ports]),
  ),
  // A dropped file's path, for the library to import it where it is (no upload in Electron).
  pathForFile: (file: File) => webUtils.getPathForFile(file),
});
