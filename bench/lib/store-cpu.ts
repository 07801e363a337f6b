/**
 * CPU time the store spends (FerretDB, the PostgreSQL server under it and its backends), read from /proc:
 * the processes whose command line names the bench's work directory, and the children of the postmaster.
 * Linux only; elsewhere it reports nothing. Both tools share the store, so only a difference over one
 * tool's round means something.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

interface Proc {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, in ticks. */
  ticks: number;
  cmdline: string;
}

function readProc(pid: string): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(fields[i - 3]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\u0000', ' ');
    return { pid: Number(pid), ppid: n(4), ticks: n(14) + n(15) + n(16) + n(17), cmdline };
  } catch {
    return undefined;
  }
}

/** The store's CPU time so far, in milliseconds; undefined where /proc cannot tell. */
export function storeCpuMs(workDir: string): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  const procs = pids.map(readProc).filter((p): p is Proc => p !== undefined);
  const own = procs.filter((p) => p.cmdline.includes(workDir) && /ferretdb|postgres/.test(p.cmdline));
  const postmasters = new Set(own.filter((p) => p.cmdline.includes('postgres')).map((p) => p.pid));
  const backends = procs.filter((p) => postmasters.has(p.ppid) && !own.includes(p));
  const ticks = [...own, ...backends].reduce((sum, p) => sum + p.ticks, 0);
  return own.length > 0 ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
}
