import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createContractClient, type ClientTransport } from './client.ts';
import { call, channelOf, event, listEntries } from './contract-kit.ts';
import { hostContract } from './contract.ts';
import { HostCallError, type CallOutcome } from './outcome.ts';
import { HostEventBus, HostRouter } from './router.ts';

const testContract = {
  math: {
    add: call(z.tuple([z.number(), z.number()]), z.number()),
    fail: call(z.tuple([]), z.null()),
    lie: call(z.tuple([]), z.string()),
    onDidTick: event(z.object({ count: z.number().int() })),
  },
} as const;

function connect() {
  const failures: unknown[] = [];
  const router = new HostRouter(
    testContract,
    {
      math: {
        add: async (a, b) => a + b,
        fail: async () => {
          throw new Error('disk full');
        },
        // The implementation returns a value its own contract forbids.
        lie: async () => 42 as unknown as string,
      },
    },
    (_channel, error) => failures.push(error),
  );
  const events = new HostEventBus(testContract);
  // An in-memory transport with the same JSON boundary a socket has.
  const transport: ClientTransport = {
    invoke: async (channel, args) =>
      JSON.parse(JSON.stringify(await router.invoke(channel, JSON.parse(JSON.stringify(args))))) as CallOutcome,
    subscribe: (channel, listener) => {
      const subscription = events.subscribeAll((c, payload) => c === channel && listener(JSON.parse(JSON.stringify(payload))));
      return () => subscription.dispose();
    },
  };
  return { client: createContractClient(testContract, transport), router, events, failures };
}

describe('the typed host contract', () => {
  it('derives one channel per entry from the service and entry names', () => {
    expect(listEntries(testContract).map((entry) => entry.channel)).toEqual([
      'tally:math.add',
      'tally:math.fail',
      'tally:math.lie',
      'tally:math.onDidTick',
    ]);
    expect(listEntries(hostContract).map((entry) => entry.channel)).toContain(channelOf('app', 'getInfo'));
  });

  it('rejects a contract whose event is not named onDidX', () => {
    expect(() => listEntries({ s: { tick: event(z.null()) } })).toThrow(/events are named onDidX/);
    expect(() => listEntries({ s: { onDidTick: call(z.tuple([]), z.null()) } })).toThrow(/events are named onDidX/);
  });

  it('a call returns the implementation result through the client', async () => {
    const { client } = connect();
    await expect(client.math.add(2, 40)).resolves.toBe(42);
  });

  it('arguments that do not match the schema are refused before the implementation runs', async () => {
    const { router } = connect();
    const outcome = await router.invoke('tally:math.add', [1, 'two']);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.code).toBe('invalid-arguments');
    const tooMany = await router.invoke('tally:math.add', [1, 2, 3]);
    expect(!tooMany.ok && tooMany.error.code).toBe('invalid-arguments');
  });

  it('an unknown channel gets an unknown-channel outcome', async () => {
    const { router } = connect();
    const outcome = await router.invoke('tally:math.divide', []);
    expect(!outcome.ok && outcome.error.code).toBe('unknown-channel');
  });

  it('a failing implementation rejects the client call with HostCallError and is reported to the host', async () => {
    const { client, failures } = connect();
    const error = await client.math.fail().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostCallError);
    expect((error as HostCallError).code).toBe('failed');
    expect((error as HostCallError).message).toBe('tally:math.fail: disk full');
    expect(failures).toHaveLength(1);
  });

  it('a result that breaks the contract is not delivered', async () => {
    const { client } = connect();
    await expect(client.math.lie()).rejects.toBeInstanceOf(HostCallError);
  });

  it('events reach subscribed listeners until disposed, with validated payloads', () => {
    const { client, events } = connect();
    const seen: number[] = [];
    const subscription = client.math.onDidTick((payload) => seen.push(payload.count));
    events.emit('math', 'onDidTick', { count: 1 });
    events.emit('math', 'onDidTick', { count: 2 });
    subscription.dispose();
    events.emit('math', 'onDidTick', { count: 3 });
    expect(seen).toEqual([1, 2]);
    expect(() => events.emit('math', 'onDidTick', { count: 1.5 })).toThrow();
  });
});
