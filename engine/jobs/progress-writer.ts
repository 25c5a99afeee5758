/**
 * Writes a job's progress to the database throttled: at most one write every `everyMs` however
 * often the work reports (a batch reports per record), the last report always written (a
 * trailing write), never two writes at once — on SQLite a write can wait behind a long
 * transaction, and the reports meanwhile fold into the next one. Every `heartbeatMs` it writes
 * even without a report: the heartbeat that tells the other instances this one is alive.
 */
export class ProgressWriter {
  private last = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly everyMs: number, heartbeatMs: number, private readonly write: () => Promise<void>) {
    this.heartbeat = setInterval(() => this.poke(), heartbeatMs);
    this.heartbeat.unref();
  }

  /** Something changed: written within everyMs. */
  poke(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, this.last + this.everyMs - Date.now()));
    this.timer.unref();
  }

  private flush(): void {
    this.timer = undefined;
    if (this.stopped) return;
    if (this.writing) {
      // The last write still waits (behind a long transaction): look again a period later.
      this.timer = setTimeout(() => this.flush(), this.everyMs);
      this.timer.unref();
      return;
    }
    this.last = Date.now();
    this.writing = this.write()
      .catch((err: unknown) => console.error('job progress not stored', err))
      .finally(() => { this.writing = undefined; });
  }

  /** No more writes; resolves once the one under way (if any) has landed. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    await this.writing;
  }
}
