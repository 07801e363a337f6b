/**
 * Processes and their CPU time, read from /proc (Linux only; elsewhere nothing is found). Ticks are
 * USER_HZ, 100 a second on Linux.
 */
import { readdirSync, readFileSync } from 'node:fs';

export const TICKS_PER_SECOND = 100;

export interface Proc {
  pid: number;
  ppid: number;
  /** utime + stime: this process's own CPU time, in ticks. */
  ownTicks: number;
  /** cutime + cstime: the CPU time of its children that have exited and been waited for, in ticks. */
  childTicks: number;
  cmdline: string;
}

function readProc(pid: string): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(fields[i - 3]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\u0000', ' ');
    return { pid: Number(pid), ppid: n(4), ownTicks: n(14) + n(15), childTicks: n(16) + n(17), cmdline };
  } catch {
    return undefined;
  }
}

/** Every process this machine shows, or none where /proc cannot be read. */
export function readProcesses(): Proc[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  return pids.map(readProc).filter((p): p is Proc => p !== undefined);
}

/** The processes `roots` and all their descendants among `procs`. */
export function processTree(procs: Proc[], roots: number[]): Proc[] {
  const inTree = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
        inTree.add(p.pid);
        grew = true;
      }
    }
  }
  return procs.filter((p) => inTree.has(p.pid));
}
