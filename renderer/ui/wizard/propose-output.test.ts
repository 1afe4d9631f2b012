import { describe, expect, it } from 'vitest';
import { proposeOutput } from './propose-output.ts';

describe('the output the wizard proposes', () => {
  it('matches a 1080p camera at 30 fps, and Chromium’s fake 1080p camera at 20 fps', () => {
    expect(proposeOutput({ width: 1920, height: 1080, frameRate: 30 })).toEqual({ width: 1920, height: 1080, fps: 30 });
    expect(proposeOutput({ width: 1920, height: 1080, frameRate: 20 })).toEqual({ width: 1920, height: 1080, fps: 30 });
  });

  it('offers 60 fps only to a camera that delivers 50 or more', () => {
    expect(proposeOutput({ width: 1280, height: 720, frameRate: 60 })).toEqual({ width: 1280, height: 720, fps: 60 });
    expect(proposeOutput({ width: 1280, height: 720, frameRate: 50 }).fps).toBe(60);
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
