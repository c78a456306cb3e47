import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/projections';
import { Public } from '../http/auth/auth.decorators';

/** Prometheus text format (version 0.0.4), written by hand: gauges need no client library. */
@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics: log head, and position and lag of every projection' })
  @ApiOkResponse({ description: 'Prometheus text exposition format.' })
  async metrics(): Promise<string> {
    const head = await this.store.headPosition();
    // In an api with PROJECTOR=off the positions come from the checkpoints of the projector processes.
    await this.runner.refresh();
    const lines = [
      '# HELP sl_log_head_position Last position of the gap-safe global event log.',
      '# TYPE sl_log_head_position gauge',
      `sl_log_head_position ${head}`,
      '# HELP sl_projection_position Log position each projection has applied.',
      '# TYPE sl_projection_position gauge',
      ...this.runner.projections.map((p) => `sl_projection_position{projection="${p.name}"} ${this.runner.positionOf(p.name)}`),
      '# HELP sl_projection_lag_positions How far each projection trails the log head, in log positions.',
      '# TYPE sl_projection_lag_positions gauge',
      ...this.runner.projections.map((p) => `sl_projection_lag_positions{projection="${p.name}"} ${Math.max(0, head - this.runner.positionOf(p.name))}`),
    ];
    return `${lines.join('\n')}\n`;
  }
}
