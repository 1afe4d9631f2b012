/** Samples the host process once a second and hands the figures to a callback. */
import type { Disposable } from '../../common/host/contract-kit.ts';
import type { HostStats } from '../../common/host/contract.ts';

/** Starts sampling; dispose to stop. `intervalMs` defaults to 1000. */
export function sampleHostStats(onSample: (stats: HostStats) => void, intervalMs = 1000): Disposable {
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const elapsedUs = (now - lastAt) * 1000;
    lastCpu = process.cpuUsage();
    lastAt = now;
    const memory = process.memoryUsage();
    onSample({
      cpuPercent: elapsedUs > 0 ? ((cpu.user + cpu.system) / elapsedUs) * 100 : 0,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      uptimeMs: process.uptime() * 1000,
    });
  }, intervalMs);
  timer.unref();
  return { dispose: () => clearInterval(timer) };
}
