/**
 * The building blocks of the typed host API. The contract (`contract.ts`) is written once
 * with these helpers; every transport, the preload and the renderer client are derived
 * from it, so no channel name is ever written twice.
 */
import { type z } from 'zod';

/** A command: a verb that takes validated arguments and resolves to a validated result. */
export interface CallSpec<A extends z.ZodTuple = z.ZodTuple, R extends z.ZodType = z.ZodType> {
  readonly kind: 'call';
  readonly args: A;
  readonly result: R;
}

/** An event, named `onDidX`, that carries one validated payload from the host. */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly payload: P;
}

export type EntrySpec = CallSpec | EventSpec;
/** One service of the host: a map of entry name to call or event. */
export type ServiceSpec = Record<string, EntrySpec>;
/** The whole host API: a map of service name to service. */
export type ContractSpec = Record<string, ServiceSpec>;

/** Declares a command. `args` is a tuple schema, one element per positional argument. */
export function call<A extends z.ZodTuple, R extends z.ZodType>(args: A, result: R): CallSpec<A, R> {
  return { kind: 'call', args, result };
}

/** Declares an event. Its entry name must start with `onDid`. */
export function event<P extends z.ZodType>(payload: P): EventSpec<P> {
  return { kind: 'event', payload };
}

/** Every channel carries this prefix; the preload and the hosts reject anything else. */
export const CHANNEL_PREFIX = 'tally:';

/** The wire name of one entry, e.g. `tally:app.getInfo`. */
export function channelOf(service: string, entry: string): string {
  return `${CHANNEL_PREFIX}${service}.${entry}`;
}

/** One entry of a contract, flattened, with its derived channel name. */
export interface ContractEntry {
  readonly service: string;
  readonly name: string;
  readonly channel: string;
  readonly spec: EntrySpec;
}

/** Lists every entry of a contract; transports iterate this instead of naming channels. */
export function listEntries(contract: ContractSpec): ContractEntry[] {
  const entries: ContractEntry[] = [];
  for (const [service, entriesOfService] of Object.entries(contract)) {
    for (const [name, spec] of Object.entries(entriesOfService)) {
      const isEventName = /^onDid[A-Z]/.test(name);
      if ((spec.kind === 'event') !== isEventName) {
        throw new Error(`contract entry ${service}.${name}: events are named onDidX, and only events are`);
      }
      entries.push({ service, name, channel: channelOf(service, name), spec });
    }
  }
  return entries;
}

/** Something that stops an effect (a subscription, a timer, a child process) when disposed. */
export interface Disposable {
  dispose(): void;
}

type CallArgs<S> = S extends CallSpec<infer A, z.ZodType> ? z.input<A> : never;
type CallResult<S> = S extends CallSpec<z.ZodTuple, infer R> ? z.output<R> : never;
type EventPayload<S> = S extends EventSpec<infer P> ? z.output<P> : never;

/** What the renderer sees for one service: calls return Promises, events take a listener. */
export type ServiceClient<S extends ServiceSpec> = {
  readonly [K in keyof S]: S[K] extends CallSpec
    ? (...args: CallArgs<S[K]> & unknown[]) => Promise<CallResult<S[K]>>
    : (listener: (payload: EventPayload<S[K]>) => void) => Disposable;
};

/** The renderer's typed view of the whole host. */
export type ContractClient<C extends ContractSpec> = { readonly [S in keyof C]: ServiceClient<C[S]> };

type CallNames<S extends ServiceSpec> = { [K in keyof S]: S[K] extends CallSpec ? K : never }[keyof S];
type EventNames<S extends ServiceSpec> = { [K in keyof S]: S[K] extends EventSpec ? K : never }[keyof S];

/** What the host implements for one service: only its calls (events are emitted, not implemented). */
export type ServiceImplementation<S extends ServiceSpec> = {
  readonly [K in CallNames<S>]: (
    ...args: z.output<S[K] extends CallSpec<infer A, z.ZodType> ? A : never> & unknown[]
  ) => Promise<z.input<S[K] extends CallSpec<z.ZodTuple, infer R> ? R : never>>;
};

/** The host's implementation of the whole contract. */
export type ContractImplementation<C extends ContractSpec> = {
  readonly [S in keyof C]: ServiceImplementation<C[S]>;
};

/** The payload type of an event, for emitters. */
export type EventPayloadOf<C extends ContractSpec, S extends keyof C, E extends EventNames<C[S]>> = z.input<
  C[S][E] extends EventSpec<infer P> ? P : never
>;

/** Names of the events of one service. */
export type EventNamesOf<C extends ContractSpec, S extends keyof C> = EventNames<C[S]>;
