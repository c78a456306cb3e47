import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { EventStore } from '@app/event-store';
import { Public } from '../http/auth/auth.decorators';
import { problem } from '../http/problem-details.filter';
import { DatabaseCheck } from './database.check';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly database: DatabaseCheck,
  ) {}

  @Get('live')
  @ApiOkResponse({ description: 'The process is up.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Database and event store reachable.' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is not reachable; `checks` says which.' })
  async ready(): Promise<{ status: 'ok'; checks: Record<string, string>; headPosition: number }> {
    const checks: Record<string, string> = {};
    let headPosition = 0;
    const [db, store] = await Promise.allSettled([this.database.ping(), this.store.headPosition()]);
    checks.database = db.status === 'fulfilled' ? 'ok' : `down: ${String(db.reason)}`;
    checks.eventStore = store.status === 'fulfilled' ? 'ok' : `down: ${String(store.reason)}`;
    if (store.status === 'fulfilled') headPosition = store.value;
    if (db.status !== 'fulfilled' || store.status !== 'fulfilled') {
      throw new ServiceUnavailableException({ ...problem(503, 'NOT_READY', 'A dependency is not reachable; `checks` says which.'), checks });
    }
    return { status: 'ok', checks, headPosition };
  }
}
