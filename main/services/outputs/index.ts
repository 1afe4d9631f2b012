/**
 * The outputs as the host mounts them: builds the `OutputsService` and turns it into the
 * contract's `outputs` and `recording` services. `host.ts` calls `createOutputs` and nothing else.
 */
import type { ServiceImplementation } from '../../../common/host/contract-kit.ts';
import type { HostContract } from '../../../common/host/contract.ts';
import type { SceneStore } from '../scene-store.ts';
import { OutputsService, type OutputsServiceOptions, type SceneInfo } from './outputs-service.ts';

export { OutputsService } from './outputs-service.ts';
export { addMadeFilesTo, type OutputFileListener } from './output-files.ts';
export { fileKeyCipher, type SecretCipher } from './secret-box.ts';

/** Scene facts for file names and the library's rows, read from the stored active collection. */
export function sceneInfoFrom(scenes: SceneStore): SceneInfo {
  const active = () => {
    try {
      return scenes.loadActive();
    } catch {
      return null;
    }
  };
  return {
    activeCollectionId: () => active()?.id ?? null,
    programSceneName: () => {
      const collection = active();
      return collection?.scenes.find((scene) => scene.id === collection.programSceneId)?.name ?? null;
    },
  };
}

/** The outputs service and its two contract services. */
export function createOutputs(options: OutputsServiceOptions): {
  service: OutputsService;
  outputs: ServiceImplementation<HostContract['outputs']>;
  recording: ServiceImplementation<HostContract['recording']>;
} {
  const service = new OutputsService(options);
  return {
    service,
    outputs: {
      getState: async () => service.state(),
      saveDestination: async (input) => service.saveDestination(input),
      removeDestination: (id) => service.removeDestination(id),
      goLive: () => service.goLive(),
      endStream: () => service.endStream(),
      startDestination: (id) => service.startDestination(id),
      stopDestination: (id) => service.stopDestination(id),
      setDestinationEnabled: async (id, enabled) => service.setDestinationEnabled(id, enabled),
      setEncoderSettings: async (settings) => service.setEncoderSettings(settings),
      startLocalOrigin: (options?) => service.startLocalOrigin(options ?? {}),
      stopLocalOrigin: () => service.stopLocalOrigin(),
    },
    recording: {
      start: async () => service.startRecording(),
      stop: async () => service.stopRecording(),
      setFolder: async (folder) => service.setRecordingFolder(folder),
      setFormat: async (format) => service.setRecordingFormat(format),
      saveScreenshot: (requestId) => service.saveScreenshot(requestId),
      listFiles: async (limit?) => service.listFiles(limit),
    },
  };
}
