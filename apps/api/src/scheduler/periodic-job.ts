import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { ApiMetrics } from '../observability/api-metrics';

const INTERVAL_MS = 15_000;

/**
 * A check every api process runs every 15 s and on demand (the manual clock): runs never overlap
 * in one process, a failed run is logged and the next one starts afresh, and shutdown waits for
 * the run in progress. Exactly-once across processes is each job's own business. Every run is
 * counted in `sl_scheduler_runs_total` by its outcome.
 *
 * The wait is in beforeApplicationShutdown, which Nest runs for every module before any module's
 * onApplicationShutdown: the pools a run queries close there, and a query queued in a pool that
 * ends never settles, so a run caught by it would hold the shutdown forever.
 */
export abstract class PeriodicJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> = Promise.resolve(0);

  protected constructor(
    private readonly name: string,
    private readonly metrics: ApiMetrics,
  ) {
    this.logger = new Logger(name);
  }

  /** One run: resolves to how many events it recorded. */
  protected abstract work(): Promise<number>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce().catch((error: unknown) => this.logger.error(String(error))), INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running.catch(() => undefined);
  }

  /** Runs once by the clock's now, after any run in progress. */
  runOnce(): Promise<number> {
    this.running = this.running.catch(() => 0).then(() => this.counted());
    return this.running;
  }

  private async counted(): Promise<number> {
    try {
      const recorded = await this.work();
      this.metrics.schedulerRuns.inc({ job: this.name, outcome: 'ok' });
      return recorded;
    } catch (error) {
      this.metrics.schedulerRuns.inc({ job: this.name, outcome: 'error' });
      throw error;
    }
  }
}
