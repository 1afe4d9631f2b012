import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { recordingService } from './outputs-contract.ts';
import { RECORDING_FORMAT_INFO, RECORDING_FORMATS, RecordingFormat } from './recording-format.ts';

describe('the recording format setting', () => {
  it('takes the formats there are, each with its label and file extension', () => {
    for (const format of RECORDING_FORMATS) expect(RecordingFormat.parse(format)).toBe(format);
    expect(Object.values(RECORDING_FORMAT_INFO).map((info) => `${info.label} ${info.extension}`)).toEqual([
      'Hybrid MP4 (.mp4) mp4',
      'Fragmented MP4 (.mp4) mp4',
      'FLV (.flv) flv',
    ]);
  });

  it('refuses an unknown format at the host API with a message naming the formats there are', () => {
    for (const bad of ['avi', 'FLV', '', 7, null]) {
      const parsed = recordingService.setFormat.args.safeParse([bad]);
      expect(parsed.success).toBe(false);
      expect(z.prettifyError(parsed.error!)).toContain(
        `unknown recording format ${JSON.stringify(bad)}: choose one of hybrid-mp4, fragmented-mp4, flv`,
      );
    }
  });
});
