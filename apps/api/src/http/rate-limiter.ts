/** What one caller may do now: go ahead, or wait this many seconds for the next request. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Past this many callers, buckets that have refilled completely (idle callers) are dropped. */
const PRUNE_ABOVE = 10_000;

/**
 * A token bucket per caller, in memory: each holds up to a minute's allowance and refills evenly,
 * so a caller may burst a whole minute's requests and then goes on at the steady rate. One api
 * process counts only what it serves; N processes behind a balancer allow up to N times as much.
 * `now` is a monotonic clock in milliseconds (never the business Clock, which a manual clock moves).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.perMs = perMinute / 60_000;
  }

  get enabled(): boolean {
    return this.perMinute > 0;
  }

  take(caller: string): RateDecision {
    if (!this.enabled) return { allowed: true };
    const now = this.now();
    const bucket = this.buckets.get(caller) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    if (!this.buckets.has(caller)) {
      if (this.buckets.size >= PRUNE_ABOVE) this.prune(now);
      this.buckets.set(caller, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  /** How many callers are remembered (for tests of the pruning). */
  get size(): number {
    return this.buckets.size;
  }

  private prune(now: number): void {
    for (const [caller, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.perMinute) this.buckets.delete(caller);
    }
  }
}
