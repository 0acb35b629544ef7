/**
 * What a server process costs, read from Linux's /proc: CPU time (user + system) from
 * /proc/<pid>/stat and peak resident memory (VmHWM) from /proc/<pid>/status. The load driver
 * runs on the same machine, so throughput alone would mix its cost with the server's; CPU time
 * per operation is the server's own.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** Clock ticks per second (`getconf CLK_TCK`); 100 on every Linux this runs on. */
const CLK_TCK = 100;

/** CPU time the process has used so far, in ms (10 ms resolution: measure for seconds). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Field 2 (comm) may contain spaces; everything after its closing ')' is space-separated.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, i.e. 11 and 12 after comm and state.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLK_TCK;
}

/** Peak resident set size in MiB since start or since the last resetPeakRss. */
export function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0), so each phase reports its own peak. */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not permitted here: the peak then covers the process's whole life, which is still an upper bound.
  }
}

/** CPU ms so far of each PostgreSQL backend connected to database `dbName`, except `skipPid`. */
export function backendCpu(dbName: string, skipPid?: number): Map<number, number> {
  const out = new Map<number, number>();
  const needle = ` ${dbName} `;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === skipPid) continue;
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      if (title.startsWith('postgres:') && title.includes(needle)) out.set(pid, cpuMs(pid));
    } catch {
      // Gone between readdir and read.
    }
  }
  return out;
}

/** CPU ms the backends spent between two `backendCpu` readings. */
export function cpuBetween(start: Map<number, number>, end: Map<number, number>): number {
  let ms = 0;
  for (const [pid, t] of end) ms += t - (start.get(pid) ?? 0);
  return ms;
}
