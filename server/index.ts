/**
 * Tally Origin for embedders (the studio's one-click local origin, tests, other Node
 * programs): start one in-process with `startOrigin(options)`, options typed by the
 * configuration schema (`config.ts`). Built as `dist/origin/index.js` (`npm run build`); the
 * Electron main bundle includes it from here. See server/README.md, "Embedding".
 */
export { startOrigin, type Origin, type OriginOptions } from './origin.ts';
export { originConfigSchema, originDefaults, resolveOriginConfig, type OriginConfig, type OriginSettings } from './config.ts';
export { createOriginLogger, type Logger } from './log.ts';
export type { StreamCredentials } from './auth/stream-access.ts';
