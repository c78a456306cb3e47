import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { z } from 'zod';
import type { CommandResult } from '@app/event-store';
import { AnswerRecommendationCommand, MakeRecommendationCommand, type RecommendationEvent } from '@app/governance';
import { GetRecommendationQuery, ListRecommendationsQuery, type Page, type RecommendationView } from '@app/projections';
import { Clock, uuidv7, type Principal } from '@app/shared-kernel';
import { CurrentPrincipal, Roles, type AuthenticatedRequest } from '../http/auth/auth.decorators';
import { COMMAND_RESPONSE_SCHEMA, commandContext, commandResponse, type CommandResponse } from '../http/command-http';
import type { HeaderSink } from '../http/fields';
import { pageSize } from '../http/paging';
import { ZodBody } from '../http/zod-body';
import { flag, plain } from './governance-filters';
import { ANSWER_RESPONSE_SCHEMA, RECOMMENDATION_PAGE_SCHEMA, RECOMMENDATION_SCHEMA } from './governance.schemas';
import { answerRecommendation, makeRecommendation } from './recommendation-bodies';

const READERS = ['office', 'office_lead', 'inspector', 'unit', 'unit_lead'] as const;
const MIN_POSITION = { name: 'minPosition', required: false, schema: { type: 'integer' }, description: 'Wait (up to 5 s) until the read models have this event position.' } as const;

/** 三项建议 (条例 40): the office recommends; the addressed unit answers in writing by a deadline. */
@ApiTags('governance')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@ApiBadRequestResponse({ description: 'Malformed or invalid body or query (problem+json with errors[]): VALIDATION_FAILED, INVALID_FILTER, INVALID_LIMIT, INVALID_CURSOR, INVALID_MIN_POSITION.' })
@Controller('recommendations')
export class RecommendationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Recommendations, newest first; `open=true` those not answered yet; a unit user sees only those addressed to its unit' })
  @ApiQuery({ name: 'unitId', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'open', required: false, schema: { type: 'boolean' } })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' } })
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ schema: RECOMMENDATION_PAGE_SCHEMA, description: '`{items, nextCursor}`; times in +08:00; header X-Projection-Position.' })
  @ApiForbiddenResponse({ description: 'Role not allowed (ROLE_FORBIDDEN, ROLE_NOT_ALLOWED), or a unit asking for another unit’s (NOT_YOUR_UNIT).' })
  list(@CurrentPrincipal() principal: Principal, @Query('unitId') unitId?: string, @Query('open') open?: string, @Query('limit') limit?: string, @Query('cursor') cursor?: string): Promise<Page<RecommendationView>> {
    const filter = { unitId: plain(unitId), open: flag('open', open), limit: pageSize(limit), cursor: plain(cursor) };
    return this.queries.execute(new ListRecommendationsQuery(filter, principal, this.clock.now()));
  }

  @Get(':recommendationId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A recommendation with its answer (adopted or not, late or not) once given' })
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ schema: RECOMMENDATION_SCHEMA, description: 'Times in +08:00; header X-Projection-Position.' })
  @ApiForbiddenResponse({ description: 'Role not allowed (ROLE_FORBIDDEN), or addressed to another unit (NOT_YOUR_UNIT).' })
  @ApiNotFoundResponse({ description: 'No such recommendation (RECOMMENDATION_NOT_FOUND).' })
  get(@Param('recommendationId') recommendationId: string, @CurrentPrincipal() principal: Principal): Promise<RecommendationView> {
    return this.queries.execute(new GetRecommendationQuery(recommendationId, principal, this.clock.now()));
  }

  @Post()
  @Roles('office', 'office_lead')
  @ApiOperation({ summary: 'Make a recommendation to a unit (改进工作, 完善政策 or 追究责任) with the deadline for its written answer' })
  @ApiCreatedResponse({ schema: COMMAND_RESPONSE_SCHEMA, description: 'Recorded; ETag and X-Event-Position headers.' })
  @ApiForbiddenResponse({ description: 'Only the office makes recommendations (ROLE_FORBIDDEN).' })
  @ApiConflictResponse({ description: 'A recommendation with this id exists (RECOMMENDATION_ALREADY_EXISTS).' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_UNIT, ANSWER_DUE_IN_PAST; IDEMPOTENCY_KEY_REUSED.' })
  async make(@ZodBody(makeRecommendation) body: z.infer<typeof makeRecommendation>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    const recommendationId = body.id ?? uuidv7(this.clock.now().getTime());
    const input = { recommendationId, unitId: body.unitId, kind: body.kind, text: body.text, answerDueAt: body.answerDueAt };
    const result = await this.commands.execute(new MakeRecommendationCommand(input, commandContext(request, principal)));
    return commandResponse(response, recommendationId, result);
  }

  @Post(':recommendationId/answer')
  @HttpCode(200)
  @Roles('unit_lead')
  @ApiOperation({ summary: 'Answer in writing, adopting the recommendation or not (unit_lead of the addressed unit; one answer). After the deadline it is accepted and recorded as late' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version (ETag) last seen; 412 if it has moved on.' })
  @ApiOkResponse({ schema: ANSWER_RESPONSE_SCHEMA, description: 'Recorded; ETag and X-Event-Position headers.' })
  @ApiForbiddenResponse({ description: 'Only a unit_lead answers (ROLE_FORBIDDEN), for the addressed unit (NOT_YOUR_UNIT).' })
  @ApiNotFoundResponse({ description: 'No such recommendation (RECOMMENDATION_NOT_FOUND).' })
  @ApiConflictResponse({ description: 'Already answered (RECOMMENDATION_ALREADY_ANSWERED), or it keeps changing (CONCURRENT_CHANGE).' })
  @ApiPreconditionFailedResponse({ description: 'If-Match is not the current version (VERSION_MISMATCH).' })
  @ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED.' })
  async answer(
    @Param('recommendationId') recommendationId: string,
    @ZodBody(answerRecommendation) body: z.infer<typeof answerRecommendation>,
    @CurrentPrincipal() principal: Principal,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: HeaderSink,
  ): Promise<CommandResponse & { late: boolean }> {
    const result = await this.commands.execute<AnswerRecommendationCommand, CommandResult<RecommendationEvent>>(new AnswerRecommendationCommand({ recommendationId, text: body.text, adopted: body.adopted }, commandContext(request, principal)));
    const answered = result.events.find((e) => e.type === 'governance.recommendation-answered.v1');
    return { ...commandResponse(response, recommendationId, result), late: answered?.data.late ?? false };
  }
}
