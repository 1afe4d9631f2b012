/**
 * The recording formats the studio writes, as OBS offers them (Settings → Output → Recording
 * format): their ids in the settings store and the host API, the file extension, and what the
 * Output page says about each. The host's writers are in `main/services/outputs/`.
 */
import { z } from 'zod';

export const RECORDING_FORMATS = ['hybrid-mp4', 'fragmented-mp4', 'flv'] as const;

/** A recording format; anything else is refused with the list of formats there are. */
export const RecordingFormat = z.enum(RECORDING_FORMATS, {
  error: (issue) => `unknown recording format ${JSON.stringify(issue.input)}: choose one of ${RECORDING_FORMATS.join(', ')}`,
});
export type RecordingFormat = z.infer<typeof RecordingFormat>;

/** What a fresh install records: OBS's default since 30.2. */
export const DEFAULT_RECORDING_FORMAT: RecordingFormat = 'hybrid-mp4';

/** A format's name in the UI, its file extension (no dot) and what it means for the user. */
export const RECORDING_FORMAT_INFO: Readonly<Record<RecordingFormat, { label: string; extension: string; description: string }>> = {
  'hybrid-mp4': {
    label: 'Hybrid MP4 (.mp4)',
    extension: 'mp4',
    description:
      'Fragmented while recording, so a crash leaves a file that plays to its last second; finalised on stop into an MP4 every player and editor opens.',
  },
  'fragmented-mp4': {
    label: 'Fragmented MP4 (.mp4)',
    extension: 'mp4',
    description: 'Never finalised: plays to its last second even after a crash or power loss; some editors seek in it slowly.',
  },
  flv: {
    label: 'FLV (.flv)',
    extension: 'flv',
    description: 'Append-only, crash-safe by nature; what streaming servers take. Remux to MP4 for editors that do not open it.',
  },
};
