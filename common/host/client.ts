/**
 * The renderer-side proxy of a contract: one function per entry, built from the contract
 * over any transport (Electron preload or WebSocket). Results and event payloads are
 * validated here too, so a mismatched host fails loudly instead of corrupting state.
 */
import type { z } from 'zod';
import { listEntries, type ContractClient, type ContractSpec, type Disposable } from './contract-kit.ts';
import { HostCallError, type CallOutcome } from './outcome.ts';

/** What a transport must do for the client: run a call by channel, and deliver events. */
export interface ClientTransport {
  invoke(channel: string, args: unknown[]): Promise<CallOutcome>;
  /** Starts delivering one event channel; the returned function stops it. */
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

/** Builds the typed client of a contract over a transport. */
export function createContractClient<C extends ContractSpec>(contract: C, transport: ClientTransport): ContractClient<C> {
  const client: Record<string, Record<string, unknown>> = {};
  for (const entry of listEntries(contract)) {
    const service = (client[entry.service] ??= {});
    if (entry.spec.kind === 'call') {
      const result = entry.spec.result;
      service[entry.name] = async (...args: unknown[]) => {
        const outcome = await transport.invoke(entry.channel, args);
        if (!outcome.ok) throw new HostCallError(entry.channel, outcome.error.code, outcome.error.message);
        return parseOrThrow(entry.channel, result, outcome.value);
      };
    } else {
      const payloadSchema = entry.spec.payload;
      service[entry.name] = (listener: (payload: unknown) => void): Disposable => {
        const stop = transport.subscribe(entry.channel, (payload) => {
          listener(parseOrThrow(entry.channel, payloadSchema, payload));
        });
        return { dispose: stop };
      };
    }
  }
  return client as ContractClient<C>;
}

function parseOrThrow(channel: string, schema: z.ZodType, value: unknown): unknown {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HostCallError(channel, 'failed', 'the host sent a value that does not match the contract');
  return parsed.data;
}
