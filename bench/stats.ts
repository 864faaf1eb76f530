/** Small helpers the benchmarks share: percentiles, rounding, and the machine the figures were measured on. */
import { cpus, platform, arch, totalmem, loadavg } from 'node:os';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summary(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), median: percentile(sorted, 50) };
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export function machine() {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    node: process.version,
    os: `${platform()} ${arch()}`,
    memoryGb: round(totalmem() / 2 ** 30, 1),
    /** The 1-minute load average when measured: other work on the machine slows every figure. */
    load1: round(loadavg()[0]!, 1),
  };
}

export type Verdict = 'PASS' | 'FAIL';
export const verdict = (ok: boolean): Verdict => (ok ? 'PASS' : 'FAIL');
