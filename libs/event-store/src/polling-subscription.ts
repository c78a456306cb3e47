import type { ReadAllOptions, ReadAllPage, SubscribeOptions, Subscription } from './event-store.port';
import type { WakeSignal } from './wake-signal';

/**
 * Catch-up then live: reads pages from the gap-safe log after the checkpoint, hands each batch to
 * the handler and waits for it (back-pressure), then sleeps until a wake-up or the polling
 * interval. Held-back events (an older transaction still open) are looked for again quickly.
 */
export class PollingSubscription implements Subscription {
  private current: number;
  private running = true;
  private readonly done: Promise<void>;

  constructor(
    private readonly readAll: (options: ReadAllOptions) => Promise<ReadAllPage>,
    private readonly wake: WakeSignal,
    private readonly options: SubscribeOptions,
    private readonly pollIntervalMs: number,
  ) {
    this.current = options.fromPosition;
    this.done = this.loop();
  }

  get position(): number {
    return this.current;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake.notify();
    await this.done;
  }

  private async loop(): Promise<void> {
    const limit = this.options.batchSize ?? 500;
    let retryMs = 5;
    while (this.running) {
      const generation = this.wake.current;
      try {
        const page = await this.readAll({ fromPosition: this.current, limit, categories: this.options.categories, types: this.options.types });
        if (!this.running) return;
        if (page.events.length > 0 || page.lastPosition > this.current) {
          await this.options.handler(page.events, page.lastPosition);
          this.current = page.lastPosition;
        }
        if (page.events.length >= limit) continue;
        if (this.options.coalesceMs) await new Promise((resolve) => setTimeout(resolve, this.options.coalesceMs));
        if (page.heldBack) {
          await this.wake.wait(generation, retryMs);
          retryMs = Math.min(retryMs * 2, this.pollIntervalMs);
          continue;
        }
        retryMs = 5;
        await this.wake.wait(generation, this.pollIntervalMs);
      } catch (error) {
        this.running = false;
        this.options.onError?.(error);
        return;
      }
    }
  }
}
