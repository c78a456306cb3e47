/**
 * Wakes waiting subscribers when the log may have grown. A counter rather than a bare event, so
 * that a wake-up between a subscriber's read and its wait is not lost.
 */
export class WakeSignal {
  private generation = 0;
  private waiters = new Set<() => void>();

  get current(): number {
    return this.generation;
  }

  notify(): void {
    this.generation += 1;
    const waiting = this.waiters;
    this.waiters = new Set();
    waiting.forEach((resolve) => resolve());
  }

  /** Resolves on a wake-up after `since`, or after `timeoutMs`. */
  wait(since: number, timeoutMs: number): Promise<void> {
    if (this.generation !== since) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }
}
