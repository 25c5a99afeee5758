/**
 * CPU time of a benchmark's PostgreSQL cluster (its postmaster and every backend and helper it
 * forked), read from /proc like the server's in load.ts: where a save's time goes when two
 * instances share two cores with the database.
 */
import { readdirSync, readFileSync } from 'node:fs';

const statFields = (pid: string) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');

/** The postmaster listening on `port` (its command line names `-p <port>`), or a loud failure. */
export function postmasterPid(port: number): number {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd[0].endsWith('/postgres') && cmd.includes(`-p`) && cmd[cmd.indexOf('-p') + 1] === String(port)) return Number(pid);
      if (cmd[0].endsWith('/postgres') && cmd.some((a) => a === `-p ${port}` || a.includes(` -p ${port}`))) return Number(pid);
    } catch { /* gone meanwhile */ }
  }
  throw new Error(`no postmaster on port ${port}`);
}

/**
 * CPU ms (user + system) used so far by the postmaster and its live children. A backend that
 * ended in between is not counted: the benchmark's servers keep their pooled connections open.
 */
export function clusterCpuMs(postmaster: number): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const f = statFields(pid);
      if (Number(pid) === postmaster || Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
    } catch { /* gone meanwhile */ }
  }
  return ticks * 10;
}
