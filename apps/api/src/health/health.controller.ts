import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { Clock } from '@app/shared-kernel';
import { Public } from '../http/auth/auth.decorators';
import { problem } from '../http/problem-details.filter';
import { DatabaseCheck } from './database.check';
import { ProjectionProgressReader } from './projection-progress';
import { isStalled } from './projection-stall';

interface Stalled {
  name: string;
  position: number;
  head: number;
}

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly database: DatabaseCheck,
    private readonly progress: ProjectionProgressReader,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Get('live')
  @ApiOkResponse({ description: 'The process is up.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Database and event store reachable, and no projection stalled.' })
  @ApiServiceUnavailableResponse({
    description: 'A dependency is not reachable, or a projection trails the log head without moving for longer than PROJECTION_STALL_SECONDS; `checks` says which, `stalled` names the projections.',
  })
  async ready(): Promise<{ status: 'ok'; checks: Record<string, string>; headPosition: number }> {
    const checks: Record<string, string> = {};
    let headPosition = 0;
    let stalled: Stalled[] = [];
    const [db, store] = await Promise.allSettled([this.database.ping(), this.store.headPosition()]);
    checks.database = db.status === 'fulfilled' ? 'ok' : `down: ${String(db.reason)}`;
    checks.eventStore = store.status === 'fulfilled' ? 'ok' : `down: ${String(store.reason)}`;
    if (store.status === 'fulfilled') {
      headPosition = store.value;
      try {
        stalled = await this.stalled(headPosition);
        checks.projections = stalled.length === 0 ? 'ok' : `stalled: ${stalled.map((s) => `${s.name} at ${s.position} of ${s.head}`).join(', ')}`;
      } catch (error) {
        checks.projections = `unknown: ${String(error)}`;
      }
    }
    if (Object.values(checks).some((c) => c !== 'ok')) {
      throw new ServiceUnavailableException({ ...problem(503, 'NOT_READY', 'Not ready: `checks` says what failed.'), checks, stalled });
    }
    return { status: 'ok', checks, headPosition };
  }

  private async stalled(head: number): Promise<Stalled[]> {
    const now = this.clock.now();
    const thresholdMs = this.config.projectionStallSeconds * 1000;
    return (await this.progress.read(head, { waiting: true })).filter((p) => isStalled(p, head, now, thresholdMs)).map((p) => ({ name: p.name, position: p.position, head }));
  }
}
