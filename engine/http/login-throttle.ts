/**
 * Slows password guessing: after `limit` failed logins for one username within the window,
 * further attempts are refused until the window has passed. In memory: a restart forgets it.
 */
export class LoginThrottle {
  private failures = new Map<string, number[]>();
  constructor(private readonly limit = 8, private readonly windowMs = 15 * 60_000) {}

  blocked(key: string, now = Date.now()): boolean {
    const recent = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    this.failures.set(key, recent);
    return recent.length >= this.limit;
  }

  fail(key: string, now = Date.now()): void {
    this.failures.set(key, [...(this.failures.get(key) ?? []), now]);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
