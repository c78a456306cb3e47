import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { z } from 'zod';
import type { CommandResult } from '@app/event-store';
import { bulletinEventId, IssueBulletinCommand, requirePeriod, type BulletinEvent, type BulletinIssued } from '@app/governance';
import { GetBulletinQuery, ListBulletinsQuery, type BulletinReply, type BulletinSummary, type Page } from '@app/projections';
import type { Principal } from '@app/shared-kernel';
import { CurrentPrincipal, Roles, type AuthenticatedRequest } from '../http/auth/auth.decorators';
import { commandContext, commandResponse, type CommandResponse } from '../http/command-http';
import type { HeaderSink } from '../http/fields';
import { pageSize } from '../http/paging';
import { ZodBody } from '../http/zod-body';
import { issueBulletin } from './bulletin-bodies';
import { BULLETIN_PAGE_SCHEMA, BULLETIN_SCHEMA, ISSUE_RESPONSE_SCHEMA } from './bulletins.schemas';
import { plain } from './governance-filters';

/** 通报 is circulated to the member units: every governance reader sees every bulletin. */
const READERS = ['office', 'office_lead', 'inspector', 'unit', 'unit_lead'] as const;
const MIN_POSITION = { name: 'minPosition', required: false, schema: { type: 'integer' }, description: 'Wait (up to 5 s) until the read models have this event position.' } as const;

/** 月通报 (DOMAIN.md §7): computed from the read models for a month that has ended, then frozen and sealed. */
@ApiTags('governance')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@Controller('bulletins')
export class BulletinsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('office_lead')
  @ApiOperation({
    summary:
      'Issue the monthly bulletin (月通报) of a Beijing month that has ended: per member unit tasks due and closed on time, overdue, sent back, missed progress and daily reports, incidents against control targets, findings; score and rank; 约谈 flags for units in the last two places of this and the previous month. Frozen as governance.bulletin-issued.v1 and sealed with the ledger key; issued once',
  })
  @ApiCreatedResponse({ schema: ISSUE_RESPONSE_SCHEMA, description: 'Issued: the command reply (`id` is the period; ETag and X-Event-Position headers) and the bulletin as GET /bulletins/{period} serves it.' })
  @ApiBadRequestResponse({ description: 'Malformed or invalid body (VALIDATION_FAILED), e.g. a period that is not YYYY-MM.' })
  @ApiForbiddenResponse({ description: 'Only the office_lead issues bulletins (ROLE_FORBIDDEN).' })
  @ApiConflictResponse({ description: 'The month’s bulletin is issued already (BULLETIN_ALREADY_ISSUED), or the read models are still catching up with the log (READ_MODELS_BEHIND; try again). Nothing is recorded.' })
  @ApiUnprocessableEntityResponse({ description: 'The month has not ended in Beijing time (PERIOD_NOT_ENDED); the next month’s bulletin is issued already (LATER_BULLETIN_ISSUED); IDEMPOTENCY_KEY_REUSED.' })
  async issue(@ZodBody(issueBulletin) body: z.infer<typeof issueBulletin>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse & BulletinReply> {
    const result = await this.commands.execute<IssueBulletinCommand, CommandResult<BulletinEvent>>(new IssueBulletinCommand({ period: body.period }, commandContext(request, principal)));
    // The decider writes the issue event or refuses: there is one.
    const { period, document, seal, publicKey } = (result.events.find((e) => e.type === 'governance.bulletin-issued.v1') as BulletinIssued).data;
    return { ...commandResponse(response, period, result), period, document, seal, publicKey, streamId: result.streamId, eventId: bulletinEventId(period) };
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Issued bulletins, newest month first' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' } })
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ schema: BULLETIN_PAGE_SCHEMA, description: '`{items, nextCursor}`; times in +08:00; header X-Projection-Position.' })
  @ApiBadRequestResponse({ description: 'INVALID_LIMIT, INVALID_CURSOR, INVALID_MIN_POSITION.' })
  @ApiForbiddenResponse({ description: 'Role not allowed (ROLE_FORBIDDEN).' })
  list(@Query('limit') limit?: string, @Query('cursor') cursor?: string): Promise<Page<BulletinSummary>> {
    return this.queries.execute(new ListBulletinsQuery({ limit: pageSize(limit), cursor: plain(cursor) }));
  }

  @Get(':period')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A bulletin exactly as issued, byte for byte at every read, with its seal and the public key that checks it; later corrections of the data never change it' })
  @ApiParam({ name: 'period', schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }, description: 'YYYY-MM.' })
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ schema: BULLETIN_SCHEMA, description: 'The frozen bulletin; header X-Projection-Position.' })
  @ApiBadRequestResponse({ description: 'The period is not YYYY-MM (INVALID_PERIOD), INVALID_MIN_POSITION.' })
  @ApiForbiddenResponse({ description: 'Role not allowed (ROLE_FORBIDDEN).' })
  @ApiNotFoundResponse({ description: 'No bulletin was issued for the month (BULLETIN_NOT_FOUND).' })
  get(@Param('period') period: string): Promise<BulletinReply> {
    return this.queries.execute(new GetBulletinQuery(requirePeriod(period)));
  }
}
