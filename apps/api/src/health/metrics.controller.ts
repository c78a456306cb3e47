import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { Registry } from 'prom-client';
import { EventStore } from '@app/event-store';
import { FINDING_RULES } from '@app/findings';
import { READ_MODELS } from '@app/projections';
import { Public } from '../http/auth/auth.decorators';
import { ApiMetrics } from '../observability/api-metrics';
import { ProjectionProgressReader } from './projection-progress';

/**
 * Prometheus text for this api process: HTTP and append latency, scheduler runs and process
 * metrics as they accumulate, and, read at each scrape, the log head, each projection's position
 * and lag, and the findings recorded by rule.
 */
@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly progress: ProjectionProgressReader,
    @Inject(READ_MODELS) private readonly pool: Pool,
    private readonly metrics: ApiMetrics,
  ) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({ summary: 'Prometheus metrics: request and append latency, projection position and lag, scheduler runs, findings by rule, process' })
  @ApiOkResponse({ description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } })
  async scrape(): Promise<string> {
    await Promise.all([this.readProjections(), this.readFindings()]);
    return this.metrics.registry.metrics();
  }

  private async readProjections(): Promise<void> {
    const head = await this.store.headPosition();
    const projections = await this.progress.read(head, { waiting: false });
    const { logHead, projectionPosition, projectionLag } = this.metrics;
    logHead.set(head);
    projectionPosition.reset();
    projectionLag.reset();
    for (const p of projections) {
      projectionPosition.set({ projection: p.name }, p.position);
      projectionLag.set({ projection: p.name }, Math.max(0, head - p.position));
    }
  }

  private async readFindings(): Promise<void> {
    const { rows } = await this.pool.query<{ rule: string; n: string }>('SELECT rule, count(*) AS n FROM rm_findings GROUP BY rule');
    const counts = new Map<string, number>(FINDING_RULES.map((rule) => [rule, 0]));
    for (const row of rows) counts.set(row.rule, Number(row.n));
    this.metrics.findings.reset();
    for (const [rule, n] of counts) this.metrics.findings.set({ rule }, n);
  }
}
