import { describe, expect, it } from 'vitest';
import { proposeFps, proposeOutput } from './propose-output.ts';

describe('the output the wizard proposes', () => {
  it('matches a 1080p camera at 30 fps, and Chromium’s fake 1080p camera at 20 fps', () => {
    expect(proposeOutput({ width: 1920, height: 1080, frameRate: 30 })).toEqual({ width: 1920, height: 1080, fps: 30 });
    expect(proposeOutput({ width: 1920, height: 1080, frameRate: 20 })).toEqual({ width: 1920, height: 1080, fps: 20 });
  });

  it('never proposes more frames than the camera gives: a 4K camera at up to 20 fps gets 1080p at 20', () => {
    expect(proposeOutput({ width: 3840, height: 2160, frameRate: 20 })).toEqual({ width: 1920, height: 1080, fps: 20 });
    for (let cameraFps = 5; cameraFps <= 120; cameraFps += 0.5) expect(proposeFps(cameraFps)).toBeLessThanOrEqual(cameraFps);
  });

  it('picks the fastest standard rate at or below the camera’s, counting 29.97 and 59.94 as 30 and 60', () => {
    expect([60, 59.94, 50, 30, 29.97, 27, 25, 24, 22, 20, 18, 15, 12, 7].map(proposeFps)).toEqual([
      60, 60, 50, 30, 30, 25, 25, 24, 20, 20, 15, 15, 10, 5,
    ]);
    expect(proposeFps(120)).toBe(60);
    expect(proposeFps(3)).toBe(3);
  });

  it('proposes 30 fps when the camera did not say its rate', () => {
    expect(proposeFps(undefined)).toBe(30);
    expect(proposeFps(0)).toBe(30);
    expect(proposeOutput({ width: 1920, height: 1080 })).toEqual({ width: 1920, height: 1080, fps: 30 });
  });

  it('never upscales: a 900p-ish camera gets 1600x900; a 4:3 camera is judged by the 16:9 part it fills', () => {
    expect(proposeOutput({ width: 1600, height: 1200, frameRate: 30 })).toEqual({ width: 1600, height: 900, fps: 30 });
    expect(proposeOutput({ width: 1440, height: 1080, frameRate: 30 })).toEqual({ width: 1280, height: 720, fps: 30 });
  });

  it('caps a 4K camera at 1080p, and gives small or no cameras 720p30', () => {
    expect(proposeOutput({ width: 3840, height: 2160, frameRate: 30 })).toEqual({ width: 1920, height: 1080, fps: 30 });
    expect(proposeOutput({ width: 640, height: 480, frameRate: 30 })).toEqual({ width: 1280, height: 720, fps: 30 });
    expect(proposeOutput(null)).toEqual({ width: 1280, height: 720, fps: 30 });
  });
});
