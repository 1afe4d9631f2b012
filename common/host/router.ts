/**
 * The host side of the contract, shared by every transport: it finds the call by channel,
 * validates the arguments, runs the implementation, validates what it returns, and turns
 * any failure into a `CallOutcome`. Events go through `HostEventBus`, which validates each
 * payload once before fanning it out.
 */
import { z } from 'zod';
import {
  channelOf,
  listEntries,
  type CallSpec,
  type ContractImplementation,
  type ContractSpec,
  type Disposable,
  type EventNamesOf,
  type EventPayloadOf,
} from './contract-kit.ts';
import type { CallOutcome } from './outcome.ts';

type AnyCall = (...args: unknown[]) => Promise<unknown>;

/** Dispatches validated calls to the host's implementation of a contract. */
export class HostRouter<C extends ContractSpec> {
  private readonly calls = new Map<string, { spec: CallSpec; run: AnyCall }>();
  private readonly onFailure: (channel: string, error: unknown) => void;

  /** @param onFailure sees every error thrown by an implementation (for the host's log). */
  constructor(contract: C, implementation: ContractImplementation<C>, onFailure: (channel: string, error: unknown) => void) {
    this.onFailure = onFailure;
    for (const entry of listEntries(contract)) {
      if (entry.spec.kind !== 'call') continue;
      const service = (implementation as Record<string, Record<string, AnyCall | undefined>>)[entry.service];
      const run = service?.[entry.name];
      if (typeof run !== 'function') throw new Error(`host implementation lacks ${entry.service}.${entry.name}`);
      this.calls.set(entry.channel, { spec: entry.spec, run: run.bind(service) });
    }
  }

  /** The channels this router answers, for transports that register handlers one by one. */
  get channels(): string[] {
    return [...this.calls.keys()];
  }

  /** Runs one call. Never throws: every failure becomes an outcome with a code. */
  async invoke(channel: string, rawArgs: unknown): Promise<CallOutcome> {
    const call = this.calls.get(channel);
    if (!call) return { ok: false, error: { code: 'unknown-channel', message: 'no such call' } };
    const parsedArgs = call.spec.args.safeParse(rawArgs);
    if (!parsedArgs.success) {
      return { ok: false, error: { code: 'invalid-arguments', message: z.prettifyError(parsedArgs.error) } };
    }
    try {
      const value = await call.run(...(parsedArgs.data as unknown[]));
      return { ok: true, value: call.spec.result.parse(value) };
    } catch (error) {
      this.onFailure(channel, error);
      return { ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } };
    }
  }
}

/** Listener for every event of the bus, used by transports that forward events. */
export type AnyEventListener = (channel: string, payload: unknown) => void;

/** The host's typed event emitter. Payloads are validated once, at emit time. */
export class HostEventBus<C extends ContractSpec> {
  private readonly payloadSchemas = new Map<string, z.ZodType>();
  private readonly listeners = new Set<AnyEventListener>();

  constructor(contract: C) {
    for (const entry of listEntries(contract)) {
      if (entry.spec.kind === 'event') this.payloadSchemas.set(entry.channel, entry.spec.payload);
    }
  }

  /** The channels of every event in the contract. */
  get channels(): string[] {
    return [...this.payloadSchemas.keys()];
  }

  emit<S extends keyof C & string, E extends EventNamesOf<C, S> & string>(service: S, name: E, payload: EventPayloadOf<C, S, E>): void {
    const channel = channelOf(service, name);
    const schema = this.payloadSchemas.get(channel);
    if (!schema) throw new Error(`no event ${channel} in the contract`);
    const parsed = schema.parse(payload);
    for (const listener of this.listeners) listener(channel, parsed);
  }

  /** Sees every event; transports filter by what their client subscribed to. */
  subscribeAll(listener: AnyEventListener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
