import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEntries } from '../common/host/contract-kit.ts';
import { hostContract } from '../common/host/contract.ts';
import { buildPreload } from './build-steps.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-preload-'));
const outfile = join(scratch, 'preload.cjs');
let bundle = '';
beforeAll(async () => {
  await buildPreload(outfile);
  bundle = readFileSync(outfile, 'utf8');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Budget for the sandboxed preload: the manifest grows with the contract, the code does not. */
const MAX_PRELOAD_BYTES = 8 * 1024;

describe('the built preload.cjs (run with a fake electron module: no Electron binary here)', () => {
  it('requires only electron and stays small (no zod, no scene schema)', () => {
    const required = new Set([...bundle.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]));
    expect([...required]).toEqual(['electron']);
    expect(Buffer.byteLength(bundle)).toBeLessThan(MAX_PRELOAD_BYTES);
    expect(bundle).not.toMatch(/ZodError|zod/i);
  });

  it('exposes window.tally with one function per contract entry, each bound to its channel', async () => {
    const exposed = new Map<string, unknown>();
    const invoked: Array<[string, unknown[]]> = [];
    const ipcRenderer = Object.assign(new EventEmitter(), {
      invoke: (channel: string, ...args: unknown[]) => {
        invoked.push([channel, args]);
        return Promise.resolve({ ok: true, value: null });
      },
      send: () => {},
    });
    const fakeElectron = { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) }, ipcRenderer };
    const requireElectronOnly = (name: string) => {
      if (name !== 'electron') throw new Error(`the preload required ${name}`);
      return fakeElectron;
    };
    const module = { exports: {} };
    runInNewContext(bundle, { require: requireElectronOnly, module, exports: module.exports, window: {} });

    expect([...exposed.keys()]).toEqual(['tally']);
    const bridge = exposed.get('tally') as { api: Record<string, Record<string, (...args: unknown[]) => unknown>> };
    const entries = listEntries(hostContract);
    expect(Object.entries(bridge.api).flatMap(([service, fns]) => Object.keys(fns).map((name) => `${service}.${name}`))).toEqual(
      entries.map((entry) => `${entry.service}.${entry.name}`),
    );
    for (const entry of entries.filter((e) => e.spec.kind === 'call')) await bridge.api[entry.service]![entry.name]!('x');
    expect(invoked.map(([channel]) => channel)).toEqual(entries.filter((e) => e.spec.kind === 'call').map((e) => e.channel));
  });
});
