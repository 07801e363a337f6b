/**
 * CPU time the store spends (FerretDB, the PostgreSQL server under it and its backends), read from /proc:
 * the processes whose command line names the bench's work directory, and the children of the postmaster.
 * Linux only; elsewhere it reports nothing. Both tools share the store, so only a difference over one
 * tool's round means something.
 */
import { readProcesses, TICKS_PER_SECOND } from './process-cpu.js';

/** The store's CPU time so far, in milliseconds; undefined where /proc cannot tell. */
export function storeCpuMs(workDir: string): number | undefined {
  const procs = readProcesses();
  const own = procs.filter((p) => p.cmdline.includes(workDir) && /ferretdb|postgres/.test(p.cmdline));
  const postmasters = new Set(own.filter((p) => p.cmdline.includes('postgres')).map((p) => p.pid));
  const backends = procs.filter((p) => postmasters.has(p.ppid) && !own.includes(p));
  const ticks = [...own, ...backends].reduce((sum, p) => sum + p.ownTicks + p.childTicks, 0);
  return own.length > 0 ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
}
