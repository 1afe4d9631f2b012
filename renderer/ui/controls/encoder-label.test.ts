import { describe, expect, it } from 'vitest';
import { describeEncoder } from './encoder-label.ts';

describe('the words for the encoder in use', () => {
  it('names the profile the stream has and the kind of encoder', () => {
    expect(
      describeEncoder({
        profile: 'main',
        requestedProfile: 'high',
        hardwareAcceleration: 'prefer-software',
        requestedAcceleration: 'prefer-software',
      }),
    ).toBe('H.264 Main · software');
  });

  it('says so when the system had no encoder of the kind asked for', () => {
    expect(
      describeEncoder({
        profile: null,
        requestedProfile: 'high',
        hardwareAcceleration: 'no-preference',
        requestedAcceleration: 'prefer-hardware',
      }),
    ).toBe("H.264 High · browser's choice (no hardware encoder here)");
  });
});
