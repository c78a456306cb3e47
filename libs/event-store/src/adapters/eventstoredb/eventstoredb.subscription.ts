import { CancelledError, NotLeaderError, UnavailableError, type AllStreamResolvedEvent, type AllStreamSubscription } from '@eventstore/db-client';
import type { RecordedEvent } from '../../envelope';
import type { SubscribeOptions, Subscription } from '../../event-store.port';

export interface SubscriptionDeps {
  /** Subscribes to `$all` after `position` with the server-side filter. */
  open(position: number, highWaterMark: number): AllStreamSubscription;
  /** The event as handed to the handler, or null when it is not ours or filtered out. */
  present(resolved: AllStreamResolvedEvent): RecordedEvent | null;
  /** Its `$all` position, matching or not. */
  positionOf(resolved: AllStreamResolvedEvent): number | null;
  /** Wait before subscribing again after the connection dropped. */
  retryDelayMs: number;
}

const DEFAULT_BATCH = 500;

/**
 * A catch-up-then-live subscription over `subscribeToAll`. Events are pulled from the client's
 * stream only while no batch is in the handler, so a slow handler fills the stream's buffer and
 * gRPC flow control holds the server back (back-pressure). A dropped connection resubscribes from
 * the last handled position; a handler or read failure goes to `onError` and ends it.
 */
export class EventStoreDbSubscription implements Subscription {
  private handled: number;
  private stopping = false;
  private readonly stopSignal: Promise<'stopped'>;
  private wake: () => void = () => undefined;
  private readonly done: Promise<void>;

  constructor(
    private readonly deps: SubscriptionDeps,
    private readonly options: SubscribeOptions,
  ) {
    this.handled = options.fromPosition;
    this.stopSignal = new Promise((resolve) => {
      this.wake = () => resolve('stopped');
    });
    this.done = this.run();
    // stop() reports a failure of the loop itself; until then it must not surface as unhandled.
    this.done.catch(() => undefined);
  }

  get position(): number {
    return this.handled;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.done;
  }

  private async run(): Promise<void> {
    const batchSize = Math.max(1, this.options.batchSize ?? DEFAULT_BATCH);
    while (!this.stopping) {
      const subscription = this.deps.open(this.handled, batchSize);
      try {
        await this.pump(subscription, batchSize);
      } catch (error) {
        if (!this.stopping && !isConnectionDrop(error)) {
          this.stopping = true;
          this.options.onError?.(error);
        }
      } finally {
        // Rejects when the call was never established (server unreachable); nothing to cancel then.
        await subscription.unsubscribe().catch(() => undefined);
        // Unblocks a pending read: a cancelled gRPC call does not end the client's stream.
        subscription.destroy();
      }
      if (!this.stopping) await this.pause(this.deps.retryDelayMs);
    }
  }

  private async pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), this.stopSignal]);
    clearTimeout(timer);
  }

  /** Hands batches to the handler until stopped, or until the stream ends or fails. */
  private async pump(subscription: AllStreamSubscription, batchSize: number): Promise<void> {
    const items = subscription[Symbol.asyncIterator]();
    for (;;) {
      const batch = await this.nextBatch(items, subscription, batchSize);
      if (batch === null) return;
      const fresh = batch.filter((r) => (this.deps.positionOf(r) ?? 0) > this.handled);
      const scanned = Math.max(this.handled, ...fresh.map((r) => this.deps.positionOf(r) ?? 0));
      if (scanned === this.handled) continue;
      const events = fresh.map((r) => this.deps.present(r)).filter((e): e is RecordedEvent => e !== null);
      // Called even when nothing matched, as the polling subscription does, so checkpoints move on.
      try {
        await this.options.handler(events, scanned);
      } catch (error) {
        this.stopping = true;
        this.options.onError?.(error);
        return;
      }
      this.handled = scanned;
    }
  }

  /** Waits for one item, then takes what is already buffered, up to `max`; null when stopped or ended. */
  private async nextBatch(items: AsyncIterator<AllStreamResolvedEvent>, stream: AllStreamSubscription, max: number): Promise<AllStreamResolvedEvent[] | null> {
    const pending = items.next();
    // If stop wins the race, the abandoned read may still reject once the stream is destroyed.
    pending.catch(() => undefined);
    const first = await Promise.race([pending, this.stopSignal]);
    if (first === 'stopped' || first.done) return null;
    const batch = [first.value];
    while (batch.length < max && stream.readableLength > 0) {
      const next = await items.next();
      if (next.done) break;
      batch.push(next.value);
    }
    return batch;
  }
}

/** Connection-level failures that a new subscription from the last position recovers from. */
function isConnectionDrop(error: unknown): boolean {
  return error instanceof UnavailableError || error instanceof NotLeaderError || error instanceof CancelledError;
}
