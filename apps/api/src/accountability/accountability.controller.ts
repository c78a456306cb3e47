import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPreconditionFailedResponse, ApiQuery, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import { OpenCaseCommand, RecordCaseDecisionCommand, RecordFollowUpCommand, type CaseEvent } from '@app/accountability';
import type { CommandResult } from '@app/event-store';
import { GetCaseQuery, ListCasesQuery, type CaseView, type Page } from '@app/projections';
import { Clock, uuidv7, type Principal } from '@app/shared-kernel';
import { CurrentPrincipal, Roles, type AuthenticatedRequest } from '../http/auth/auth.decorators';
import { COMMAND_RESPONSE_SCHEMA, commandContext, commandResponse, type CommandResponse } from '../http/command-http';
import type { HeaderSink } from '../http/fields';
import { pageSize } from '../http/paging';
import { ZodBody } from '../http/zod-body';
import { openCase, recordCaseDecision, recordFollowUp } from './accountability-bodies';
import { CASE_PAGE_SCHEMA, CASE_SCHEMA, DECISION_RESPONSE_SCHEMA, FOLLOW_UP_RESPONSE_SCHEMA } from './accountability.schemas';

const IF_MATCH = { name: 'If-Match', required: false, description: 'The version (ETag) of the case last seen; 412 if it has moved on.' };
const MIN_POSITION = { name: 'minPosition', required: false, schema: { type: 'integer' }, description: 'Wait (up to 5 s) until the read model has this event position.' } as const;

/** 问责: only inspectors (纪检监察) open cases and record decisions and follow-ups, or read them. */
@ApiTags('accountability')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@ApiBadRequestResponse({ description: 'Malformed or invalid body or query (problem+json with errors[]).' })
@ApiForbiddenResponse({ description: 'Only inspectors handle accountability cases (ROLE_FORBIDDEN), admins included.' })
@Roles('inspector')
@Controller('accountability-cases')
export class AccountabilityController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Accountability cases in the order opened; `taskId` narrows to the cases about one task' })
  @ApiQuery({ name: 'taskId', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' } })
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ description: '`{items, nextCursor}`; times in +08:00; header X-Projection-Position.', schema: CASE_PAGE_SCHEMA })
  list(@Query('taskId') taskId?: string, @Query('limit') limit?: string, @Query('cursor') cursor?: string): Promise<Page<CaseView>> {
    const filter = { taskId: taskId === undefined || taskId === '' ? null : taskId, limit: pageSize(limit), cursor: cursor ?? null };
    return this.queries.execute(new ListCasesQuery(filter, this.clock.now()));
  }

  @Get(':caseId')
  @ApiOperation({ summary: 'A case: its grounds (findings, evidence events, tasks), subjects, decisions, obligations with due times, and follow-ups' })
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ description: 'The case; times in +08:00; header X-Projection-Position.', schema: CASE_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such case (CASE_NOT_FOUND).' })
  get(@Param('caseId') caseId: string): Promise<CaseView> {
    return this.queries.execute(new GetCaseQuery(caseId, this.clock.now()));
  }

  @Post()
  @ApiOperation({ summary: 'Open an accountability case on findings and/or evidence events, naming its subjects and their liability (实施办法 第11条)' })
  @ApiCreatedResponse({ schema: COMMAND_RESPONSE_SCHEMA, description: 'Opened; each finding is marked taken up. ETag and X-Event-Position headers.' })
  @ApiConflictResponse({ description: 'A case with this id exists (CASE_ALREADY_EXISTS).' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_FINDING, UNKNOWN_EVIDENCE_EVENT, SUBJECTS_REQUIRED, SUBJECT_NEEDS_PERSON_OR_UNIT, DUPLICATE_SUBJECT, GROUNDS_REQUIRED.' })
  async open(@ZodBody(openCase) body: z.infer<typeof openCase>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    const caseId = body.id ?? uuidv7(this.clock.now().getTime());
    const subjects = body.subjects.map((s) => ({ personId: s.personId ?? null, unitId: s.unitId ?? null, liability: s.liability }));
    const input = { caseId, title: body.title, findingIds: body.findingIds ?? [], evidenceEventIds: body.evidenceEventIds ?? [], subjects };
    const result = await this.commands.execute(new OpenCaseCommand(input, commandContext(request, principal)));
    return commandResponse(response, caseId, result);
  }

  @Post(':caseId/decisions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a decision: forms of accountability for named subjects of the case; it creates follow-up obligations due one month after decidedAt' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ schema: DECISION_RESPONSE_SCHEMA, description: 'Recorded; ETag and X-Event-Position headers.' })
  @ApiNotFoundResponse({ description: 'No such case (CASE_NOT_FOUND).' })
  @ApiConflictResponse({ description: 'A decision with this id is on record (DECISION_ALREADY_RECORDED), or the case keeps changing (CONCURRENT_CHANGE).' })
  @ApiPreconditionFailedResponse({ description: 'If-Match is not the current version (VERSION_MISMATCH).' })
  @ApiUnprocessableEntityResponse({ description: 'FORMS_REQUIRED, DECISION_SUBJECTS_REQUIRED, DECISION_SUBJECT_NOT_IN_CASE, DECIDED_IN_FUTURE.' })
  async decide(@Param('caseId') caseId: string, @ZodBody(recordCaseDecision) body: z.infer<typeof recordCaseDecision>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse & { decisionId: string }> {
    const decisionId = body.decisionId ?? uuidv7(this.clock.now().getTime());
    const input = { caseId, decisionId, forms: body.forms, subjects: body.subjects, basis: body.basis, decidedAt: body.decidedAt ?? null };
    const result = await this.commands.execute(new RecordCaseDecisionCommand(input, commandContext(request, principal)));
    return { ...commandResponse(response, caseId, result), decisionId };
  }

  @Post(':caseId/follow-ups')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a follow-up (measure carried out, written self-criticism filed, or other); it meets the open obligation of its kind, late or not' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ schema: FOLLOW_UP_RESPONSE_SCHEMA, description: 'Recorded, with the obligation it met and whether that was after its due time.' })
  @ApiNotFoundResponse({ description: 'No such case (CASE_NOT_FOUND).' })
  @ApiConflictResponse({ description: 'The named obligation is already met (OBLIGATION_ALREADY_MET), or the case keeps changing (CONCURRENT_CHANGE).' })
  @ApiPreconditionFailedResponse({ description: 'If-Match is not the current version (VERSION_MISMATCH).' })
  @ApiUnprocessableEntityResponse({ description: 'NO_OPEN_OBLIGATION, UNKNOWN_OBLIGATION, FOLLOW_UP_KIND_MISMATCH.' })
  async followUp(@Param('caseId') caseId: string, @ZodBody(recordFollowUp) body: z.infer<typeof recordFollowUp>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse & { followUpId: string; obligationId: string | null; late: boolean }> {
    const followUpId = uuidv7(this.clock.now().getTime());
    const input = { caseId, followUpId, kind: body.kind, note: body.note, obligationId: body.obligationId ?? null };
    const result = await this.commands.execute<RecordFollowUpCommand, CommandResult<CaseEvent>>(new RecordFollowUpCommand(input, commandContext(request, principal)));
    const recorded = result.events.find((e) => e.type === 'accountability.follow-up-recorded.v1');
    return { ...commandResponse(response, caseId, result), followUpId, obligationId: recorded?.data.obligationId ?? null, late: recorded?.data.late ?? false };
  }
}
