import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{common,main,native,preload,renderer,server,scripts}/**/*.test.ts', 'test/lint/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          // electron-builder for real (a deb, the asar, the feed): slow, so one file, run once.
          name: 'packaging',
          include: ['test/packaging/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // A page under load (two cores, ffmpeg and Chromium side by side) can take seconds to show
          // what a user would see; poll for it rather than fail at vitest's 1 s default.
          expect: { poll: { timeout: 10_000, interval: 100 } },
          // Two cores: browser-heavy files run one at a time, each still fast.
          fileParallelism: false,
        },
      },
    ],
  },
});
