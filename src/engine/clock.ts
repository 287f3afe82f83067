/**
 * The one source of time for everything time-based in the engine: transient statuses,
 * throttling buckets, idempotency windows, TTL, stream retention, point-in-time recovery.
 * Test controls set or advance it; by default it is the system clock.
 */
export class Clock {
  /** Added to the system clock (ms); moved by `advance`. */
  private offsetMs = 0;
  /** When set, time stands still at this instant (ms since the epoch) until `release`. */
  private frozenAtMs: number | undefined;

  /** Milliseconds since the epoch, as this server sees them. */
  now(): number {
    return this.frozenAtMs ?? Date.now() + this.offsetMs;
  }

  /** Jumps to `epochMs`; time then runs on from there (or stands still with `freeze`). */
  set(epochMs: number, freeze = false): void {
    if (freeze) this.frozenAtMs = epochMs;
    else {
      this.frozenAtMs = undefined;
      this.offsetMs = epochMs - Date.now();
    }
  }

  /** Moves time forward (or back, with a negative amount) by `ms`. */
  advance(ms: number): void {
    if (this.frozenAtMs !== undefined) this.frozenAtMs += ms;
    else this.offsetMs += ms;
  }

  /** Back to the system clock. */
  reset(): void {
    this.offsetMs = 0;
    this.frozenAtMs = undefined;
  }
}
