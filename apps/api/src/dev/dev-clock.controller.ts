import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { AppConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/projections';
import { Clock, DomainError, ManualClock, toBeijingIso } from '@app/shared-kernel';
import { instant } from '../http/fields';
import { ZodBody } from '../http/zod-body';
import { DeadlineScheduler } from '../scheduler/deadline-scheduler';
import { FindingsScheduler } from '../scheduler/findings-scheduler';
import { ReportingScheduler } from '../scheduler/reporting-scheduler';
import { durationMs } from './iso-duration';

const move = z.object({ set: instant.optional(), advance: z.string().max(40).optional() }).strict();
const NOW_SCHEMA = { type: 'object', properties: { now: { type: 'string', format: 'date-time' }, recorded: { type: 'integer' }, findings: { type: 'integer' }, position: { type: 'integer' } }, required: ['now'] };

/** CLOCK_MODE=manual only (API.md, Dev mode): demos and black-box tests move time instead of waiting. */
@ApiTags('dev')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@ApiNotFoundResponse({ description: 'The server does not run on a manual clock (CLOCK_MODE is not manual).' })
@Controller('dev/clock')
export class DevClockController {
  constructor(
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly scheduler: DeadlineScheduler,
    private readonly findings: FindingsScheduler,
    private readonly reporting: ReportingScheduler,
    private readonly projections: ProjectionRunner,
    private readonly store: EventStore,
  ) {}

  private manual(): ManualClock {
    if (this.config.clockMode !== 'manual' || !(this.clock instanceof ManualClock)) throw new DomainError('not_found', 'NOT_FOUND', 'There is no manual clock on this server.');
    return this.clock;
  }

  @Get()
  @ApiOperation({ summary: 'The server’s time' })
  @ApiOkResponse({ schema: NOW_SCHEMA })
  now(): { now: string } {
    return { now: toBeijingIso(this.manual().now()) };
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the clock forward (set or advance), then run every deadline and report check that came due' })
  @ApiOkResponse({ schema: NOW_SCHEMA, description: 'The new time, how many deadline events (missed daily reports included) and findings were recorded, and the log position the read models have reached.' })
  @ApiBadRequestResponse({ description: 'Malformed or invalid body (problem+json with errors[]): SET_OR_ADVANCE, INVALID_DURATION, CLOCK_OUT_OF_RANGE.' })
  @ApiUnprocessableEntityResponse({ description: 'The clock never moves backwards (CLOCK_BACKWARDS).' })
  async move(@ZodBody(move) body: z.infer<typeof move>): Promise<{ now: string; recorded: number; findings: number; position: number }> {
    const clock = this.manual();
    if ((body.set === undefined) === (body.advance === undefined)) {
      const message = body.set === undefined ? 'give set or advance' : 'give set or advance, not both';
      throw new DomainError('invalid', 'SET_OR_ADVANCE', 'Give exactly one of set or advance.', [{ field: 'set', message }, { field: 'advance', message }]);
    }
    const target = body.set !== undefined ? Date.parse(body.set) : clock.now().getTime() + durationMs(body.advance ?? '');
    // Checked before the clock moves: an Invalid Date would leave the clock (and every later call) broken.
    if (Number.isNaN(new Date(target).getTime())) throw new DomainError('invalid', 'CLOCK_OUT_OF_RANGE', 'That is further than a date can go.', [{ field: 'advance', message: 'too long' }]);
    if (target < clock.now().getTime()) throw new DomainError('rule', 'CLOCK_BACKWARDS', `The clock is at ${toBeijingIso(clock.now())} and never moves backwards.`);
    clock.set(new Date(target));
    const recorded = (await this.scheduler.runOnce()) + (await this.reporting.runOnce());
    // Findings follow from the deadline events just recorded (DOMAIN.md §5), so they run after them.
    const findings = await this.findings.runOnce();
    // Answer once the read models show what the checks recorded, so the next read sees it.
    const position = await this.store.headPosition();
    await this.projections.waitFor(position, 5_000);
    return { now: toBeijingIso(clock.now()), recorded, findings, position };
  }
}
