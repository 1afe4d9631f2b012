/**
 * Network namespaces with a shaped link between them, for weak-network tests: each
 * "publisher" namespace is joined to one "server" namespace by a veth pair whose publisher
 * side is shaped with `tc tbf` (this kernel has no netem). Only addresses inside these
 * namespaces are used. Needs root; `netnsAvailable()` says whether the test can run.
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** Whether this process may create namespaces and shape links (root, with ip and tc). */
export function netnsAvailable(): { ok: true } | { ok: false; why: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'needs root (ip netns, tc)' };
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
    execFileSync('tc', ['-V'], { stdio: 'ignore' });
  } catch {
    return { ok: false, why: 'needs iproute2 (ip, tc)' };
  }
  return { ok: true };
}

const run = (...args: string[]) => execFileSync(args[0]!, args.slice(1), { stdio: 'pipe' });

/** A server namespace and publisher namespaces, each on its own shaped link to the server. */
export interface ShapedNetwork {
  server: { ns: string; address: string };
  publishers: { ns: string; address: string }[];
  /** Spawns a command inside a namespace. */
  spawnIn(ns: string, command: string[], options?: SpawnOptions): ChildProcess;
  /** Runs a command inside a namespace and returns its stdout. */
  execIn(ns: string, command: string[]): string;
  destroy(): void;
}

/**
 * Creates `publishers` publisher namespaces, each linked to the server namespace by a veth
 * pair shaped publisher→server with `tbf rate RATE burst 32kbit latency 400ms`.
 */
export function createShapedNetwork(tag: string, publishers: number, rate = '2mbit'): ShapedNetwork {
  const id = `${tag}${process.pid}`;
  const server = { ns: `${id}srv`, address: '10.77.0.254' };
  const created: string[] = [];
  const pubs: ShapedNetwork['publishers'] = [];
  try {
    run('ip', 'netns', 'add', server.ns);
    created.push(server.ns);
    run('ip', 'netns', 'exec', server.ns, 'ip', 'link', 'set', 'lo', 'up');
    run('ip', 'netns', 'exec', server.ns, 'ip', 'link', 'add', 'br0', 'type', 'bridge');
    run('ip', 'netns', 'exec', server.ns, 'ip', 'addr', 'add', `${server.address}/24`, 'dev', 'br0');
    run('ip', 'netns', 'exec', server.ns, 'ip', 'link', 'set', 'br0', 'up');
    for (let i = 0; i < publishers; i++) {
      const ns = `${id}p${i}`;
      const address = `10.77.0.${i + 1}`;
      run('ip', 'netns', 'add', ns);
      created.push(ns);
      run('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
      run('ip', 'netns', 'exec', ns, 'ip', 'link', 'add', 'up0', 'type', 'veth', 'peer', 'name', `down${i}`, 'netns', server.ns);
      run('ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', `${address}/24`, 'dev', 'up0');
      run('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'up0', 'up');
      run('ip', 'netns', 'exec', server.ns, 'ip', 'link', 'set', `down${i}`, 'master', 'br0');
      run('ip', 'netns', 'exec', server.ns, 'ip', 'link', 'set', `down${i}`, 'up');
      // The publisher's uplink: a token bucket, as a home connection's upload.
      run(
        'ip',
        'netns',
        'exec',
        ns,
        'tc',
        'qdisc',
        'add',
        'dev',
        'up0',
        'root',
        'tbf',
        'rate',
        rate,
        'burst',
        '32kbit',
        'latency',
        '400ms',
      );
      pubs.push({ ns, address });
    }
  } catch (error) {
    for (const ns of created) execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    throw error;
  }
  return {
    server,
    publishers: pubs,
    spawnIn: (ns, command, options = {}) => spawn('ip', ['netns', 'exec', ns, ...command], options),
    execIn: (ns, command) => execFileSync('ip', ['netns', 'exec', ns, ...command], { encoding: 'utf8' }),
    destroy() {
      for (const ns of created) {
        try {
          execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
        } catch {
          // Already gone.
        }
      }
    },
  };
}
