/** Load and process measurements shared by the benchmark scripts. */
import { readFileSync } from 'node:fs';

/** Requests per second with `conc` clients looping for `seconds`. */
export async function throughput(conc: number, seconds: number, fn: (i: number) => Promise<void>): Promise<number> {
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const t = performance.now();
  await Promise.all(Array.from({ length: conc }, async (_, w) => { while (performance.now() < end) { await fn(w * 1e6 + n); n++; } }));
  return n / ((performance.now() - t) / 1000);
}

/** Resident memory of a process, MB. */
export const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** CPU time (user + system, all threads) a process has used so far, ms. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1000 / 100); // clock ticks of 10 ms
}

/**
 * The server's CPU time per request over `n` requests from `conc` clients: what a request costs
 * the server whatever the client and the rest of the machine are doing, unlike a throughput.
 */
export async function serverCpuPerRequest(pid: number, n: number, conc: number, fn: () => Promise<void>): Promise<number> {
  const before = cpuMs(pid);
  await Promise.all(Array.from({ length: conc }, async () => { for (let i = 0; i < n / conc; i++) await fn(); }));
  return (cpuMs(pid) - before) / n;
}

/**
 * A load generator's request: POSTs the next of `bodies` (JSON prepared beforehand) with the
 * session's cookie and CSRF token and reads the answer as text, checking only its status. The
 * client side of a save then costs what the constant route's `fetch` costs, so the throughput
 * ratio weighs the server's work, not the benchmark's own document building and answer parsing.
 */
export function preparedPoster(url: string, session: { cookie: string; csrf: string }, bodies: string[], ok: number[]): () => Promise<void> {
  const headers = { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf };
  let next = 0;
  return async () => {
    if (next >= bodies.length) throw new Error(`prepared requests used up (${bodies.length}): prepare more`);
    const res = await fetch(url, { method: 'POST', headers, body: bodies[next++] });
    const text = await res.text();
    if (!ok.includes(res.status)) throw new Error(`POST ${url}: ${res.status} ${text.slice(0, 300)}`);
  };
}
