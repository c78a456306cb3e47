import type { CheckpointService } from './checkpoint.service';

/**
 * Signs a checkpoint every `intervalMs` while the log grows. Several processes may run one: the
 * checkpoint table's primary key lets only one of them take each sequence number.
 */
export class CheckpointScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly service: CheckpointService,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.tick());
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async tick(): Promise<void> {
    try {
      await this.service.create();
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') this.onError(error);
    }
  }
}
