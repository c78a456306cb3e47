import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus, type ICommand } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import type { CommandResult } from '@app/event-store';
import { AccessLog } from '@app/audit';
import { GetTaskQuery, ListTasksQuery, type Page, type TaskView } from '@app/projections';
import { PersonalDataVault } from '@app/privacy';
import { Clock, DomainError, uuidv7, type DomainEvent, type Principal } from '@app/shared-kernel';
import * as use from '@app/supervision';
import { RAG_LIGHTS, TASK_STATUSES, type Rag, type TaskStatus } from '@app/supervision';
import { CurrentPrincipal, Roles, type AuthenticatedRequest } from '../http/auth/auth.decorators';
import { COMMAND_RESPONSE_SCHEMA, commandContext, commandResponse, type CommandResponse } from '../http/command-http';
import type { HeaderSink } from '../http/fields';
import { pageSize } from '../http/paging';
import { ZodBody } from '../http/zod-body';
import * as body from './task-bodies';
import { TaskCommandDocs } from './task-command.docs';
import { disclosePetitioners, type DisclosedTaskView } from './petitioner-disclosure';
import { PETITIONER_DOC, petitionerFields, type PetitionerBody } from './petitioner';
import { issueInput, issueTaskBody, type IssueTaskBody } from './task-spec';

type Body<S extends z.ZodType> = z.infer<S>;

function oneOf<T extends string>(name: string, allowed: readonly T[], raw: string | undefined): T | null {
  if (raw === undefined || raw === '') return null;
  if (!(allowed as readonly string[]).includes(raw)) throw new DomainError('invalid', 'INVALID_FILTER', `${name} must be one of ${allowed.join(', ')}.`, [{ field: name, message: 'unknown value' }]);
  return raw as T;
}

@ApiTags('tasks')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@ApiBadRequestResponse({ description: 'Malformed or invalid body or query (problem+json with errors[]).' })
@ApiForbiddenResponse({ description: 'Role not allowed (ROLE_NOT_ALLOWED), or not your unit’s task (NOT_YOUR_TASK, LEAD_UNIT_ONLY).' })
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
    private readonly vault: PersonalDataVault,
    private readonly accessLog: AccessLog,
  ) {}

  private async run(taskId: string, command: ICommand, response: HeaderSink): Promise<CommandResponse> {
    const result = await this.commands.execute<ICommand, CommandResult<DomainEvent>>(command);
    return commandResponse(response, taskId, result);
  }

  @Get()
  @Roles('office', 'office_lead', 'inspector', 'unit', 'unit_lead')
  @ApiOperation({ summary: 'Tasks by deadline; a unit sees only tasks where it is lead or co-unit' })
  @ApiQuery({ name: 'unitId', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'status', required: false, schema: { type: 'string', enum: [...TASK_STATUSES] } })
  @ApiQuery({ name: 'rag', required: false, schema: { type: 'string', enum: [...RAG_LIGHTS] } })
  @ApiQuery({ name: 'overdue', required: false, schema: { type: 'boolean' } })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'minPosition', required: false, schema: { type: 'integer' }, description: 'Wait (up to 5 s) until the read models have this event position.' })
  @ApiOkResponse({ description: `\`{items, nextCursor}\`; header X-Projection-Position. ${PETITIONER_DOC}` })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query('unitId') unitId?: string,
    @Query('status') status?: string,
    @Query('rag') rag?: string,
    @Query('overdue') overdue?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<DisclosedTaskView>> {
    const overdueFilter = oneOf('overdue', ['true', 'false'], overdue);
    const filter = {
      unitId: unitId === undefined || unitId === '' ? null : unitId,
      status: oneOf<TaskStatus>('status', TASK_STATUSES, status),
      rag: oneOf<Rag>('rag', RAG_LIGHTS, rag),
      overdue: overdueFilter === null ? null : overdueFilter === 'true',
      limit: pageSize(limit),
      cursor: cursor ?? null,
    };
    const page = await this.queries.execute<ListTasksQuery, Page<TaskView>>(new ListTasksQuery(filter, principal));
    return { ...page, items: await disclosePetitioners(page.items, principal, this.vault, this.accessLog) };
  }

  @Get(':taskId')
  @Roles('office', 'office_lead', 'inspector', 'unit', 'unit_lead')
  @ApiOperation({ summary: 'A task: status, deadlines (dueAt and originalDueAt), escalation, RAG light, version' })
  @ApiQuery({ name: 'minPosition', required: false, schema: { type: 'integer' } })
  @ApiOkResponse({ description: `The task; times in +08:00; header X-Projection-Position. ${PETITIONER_DOC}` })
  @ApiNotFoundResponse({ description: 'No such task (TASK_NOT_FOUND).' })
  async get(@Param('taskId') taskId: string, @CurrentPrincipal() principal: Principal): Promise<DisclosedTaskView> {
    const view = await this.queries.execute<GetTaskQuery, TaskView>(new GetTaskQuery(taskId, principal));
    const [disclosed] = await disclosePetitioners([view], principal, this.vault, this.accessLog);
    return disclosed ?? { ...view, petitioner: null };
  }

  @Post()
  @Roles('office', 'office_lead')
  @ApiOperation({ summary: 'Issue a task (交办/督办) to a lead unit and co-units, with its deadline' })
  @ApiCreatedResponse({ schema: COMMAND_RESPONSE_SCHEMA })
  @ApiConflictResponse({ description: 'A task with this id exists (TASK_ALREADY_EXISTS).' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_UNIT, DUE_IN_PAST, LEAD_ALSO_CO_UNIT, DUPLICATE_CO_UNIT, SIGN_FOR_AFTER_DUE, PETITIONER_WITHOUT_PETITION_CASE, SUBJECT_ERASED (that subject was shredded: use a new subjectId).' })
  async issue(@ZodBody(issueTaskBody) spec: IssueTaskBody, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    const taskId = spec.id ?? uuidv7(this.clock.now().getTime());
    const petitioner = spec.petitioner === undefined ? {} : { petitioner: await this.seal(spec.petitioner) };
    return this.run(taskId, new use.IssueTaskCommand(taskId, { ...issueInput(spec), ...petitioner }, commandContext(request, principal)), response);
  }

  /** The petitioner leaves the api only as ciphertext under the subject's key: the event never holds the plaintext. */
  private async seal(p: PetitionerBody): Promise<use.SealedPetitioner> {
    const subjectId = p.subjectId ?? uuidv7(this.clock.now().getTime());
    return { subjectId, ciphertext: await this.vault.seal(subjectId, petitionerFields(p), 'petitioner.subjectId') };
  }

  @Post(':taskId/sign-for')
  @Roles('unit', 'unit_lead')
  @TaskCommandDocs('Sign for the task (签收) as the lead unit or a co-unit', 'TASK_NOT_OPEN, ALREADY_SIGNED_FOR, OBJECTION_PENDING')
  signFor(@Param('taskId') taskId: string, @ZodBody(body.empty) _: Body<typeof body.empty>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    return this.run(taskId, new use.SignForTaskCommand(taskId, {}, commandContext(request, principal)), response);
  }

  @Post(':taskId/objections')
  @Roles('unit', 'unit_lead')
  @TaskCommandDocs('Object to the assignment (异议) within 5 working days, with reasons (lead unit)', 'OBJECTION_NOT_ALLOWED, OBJECTION_WINDOW_CLOSED, TASK_NOT_OPEN')
  object(@Param('taskId') taskId: string, @ZodBody(body.objection) b: Body<typeof body.objection>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    return this.run(taskId, new use.RaiseObjectionCommand(taskId, { reason: b.reason }, commandContext(request, principal)), response);
  }

  @Post(':taskId/objections/decision')
  @Roles('office', 'office_lead')
  @TaskCommandDocs('Decide an objection: uphold (withdraw, or reassign to another unit) or reject', 'NO_PENDING_OBJECTION, REASSIGN_TO_SAME_UNIT, UNKNOWN_UNIT')
  decideObjection(@Param('taskId') taskId: string, @ZodBody(body.objectionDecision) b: Body<typeof body.objectionDecision>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    return this.run(taskId, new use.DecideObjectionCommand(taskId, { uphold: b.uphold, reassignTo: b.reassignTo ?? null, reason: b.reason }, commandContext(request, principal)), response);
  }

  @Post(':taskId/progress-reports')
  @Roles('unit', 'unit_lead')
  @TaskCommandDocs('Report progress; occurredAt may be earlier than now (an offline report)', 'TASK_NOT_OPEN, TASK_NOT_IN_PROGRESS, OCCURRED_IN_FUTURE, OCCURRED_BEFORE_ISSUE')
  reportProgress(@Param('taskId') taskId: string, @ZodBody(body.progressReport) b: Body<typeof body.progressReport>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    return this.run(taskId, new use.ReportProgressCommand(taskId, { summary: b.summary, percent: b.percent ?? null, occurredAt: b.occurredAt ?? null }, commandContext(request, principal)), response);
  }

  @Post(':taskId/extension-requests')
  @Roles('unit_lead')
  @TaskCommandDocs('Ask for more time (延期), only before the deadline (lead unit’s unit_lead)', 'EXTENSION_AFTER_DEADLINE, EXTENSION_NOT_LATER, EXTENSION_ALREADY_PENDING, EXTENSION_NOT_ALLOWED')
  requestExtension(@Param('taskId') taskId: string, @ZodBody(body.extensionRequest) b: Body<typeof body.extensionRequest>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    return this.run(taskId, new use.RequestExtensionCommand(taskId, { reason: b.reason, proposedDueAt: b.proposedDueAt, progress: b.progress }, commandContext(request, principal)), response);
  }

  @Post(':taskId/extension-requests/decision')
  @Roles('office_lead')
  @TaskCommandDocs('Approve (moving the deadline; originalDueAt is kept) or refuse an extension', 'NO_PENDING_EXTENSION, EXTENSION_NOT_LATER')
  decideExtension(@Param('taskId') taskId: string, @ZodBody(body.extensionDecision) b: Body<typeof body.extensionDecision>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    return this.run(taskId, new use.DecideExtensionCommand(taskId, { approve: b.approve, dueAt: b.dueAt ?? null, reason: b.reason }, commandContext(request, principal)), response);
  }

  @Post(':taskId/completion-report')
  @Roles('unit_lead')
  @TaskCommandDocs('Report completion (办结报告): lead unit, signed by its unit_lead', 'COMPLETION_NOT_ALLOWED, EXTENSION_PENDING, TASK_NOT_OPEN')
  reportCompletion(@Param('taskId') taskId: string, @ZodBody(body.completionReport) b: Body<typeof body.completionReport>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    return this.run(taskId, new use.ReportCompletionCommand(taskId, { summary: b.summary, evidence: b.evidence ?? null }, commandContext(request, principal)), response);
  }

  @Post(':taskId/review')
  @Roles('office', 'office_lead')
  @TaskCommandDocs('Review the completion report: accept, or send back (the deadline keeps running)', 'TASK_NOT_UNDER_REVIEW')
  review(@Param('taskId') taskId: string, @ZodBody(body.review) b: Body<typeof body.review>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    return this.run(taskId, new use.ReviewCompletionCommand(taskId, { decision: b.decision, reason: b.reason }, commandContext(request, principal)), response);
  }

  @Post(':taskId/signoff')
  @Roles('office_lead')
  @TaskCommandDocs('Sign off (销号): closes the task', 'TASK_NOT_PENDING_SIGNOFF')
  signOff(@Param('taskId') taskId: string, @ZodBody(body.empty) _: Body<typeof body.empty>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    return this.run(taskId, new use.SignOffTaskCommand(taskId, {}, commandContext(request, principal)), response);
  }

  @Post(':taskId/reminders')
  @Roles('office', 'office_lead')
  @TaskCommandDocs('Send a reminder (催办); the escalation ladder starts here', 'TASK_NOT_OPEN')
  remind(@Param('taskId') taskId: string, @ZodBody(body.reminder) b: Body<typeof body.reminder>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    return this.run(taskId, new use.SendReminderCommand(taskId, { message: b.message }, commandContext(request, principal)), response);
  }

  @Post(':taskId/case-leader')
  @Roles('office', 'office_lead')
  @TaskCommandDocs('Change the case leader (包案领导); findings and responsibility name whoever held it at the moment that matters', 'CASE_LEADER_UNCHANGED, TASK_NOT_OPEN')
  changeCaseLeader(@Param('taskId') taskId: string, @ZodBody(body.caseLeader) b: Body<typeof body.caseLeader>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    return this.run(taskId, new use.ChangeCaseLeaderCommand(taskId, { caseLeader: { personId: b.personId, name: b.name }, reason: b.reason }, commandContext(request, principal)), response);
  }

  @Post(':taskId/escalations')
  @Roles('office', 'office_lead')
  @TaskCommandDocs('Escalate: blue, yellow, red supervision orders (三色督办单) or listed (挂牌督办); only upwards', 'ESCALATION_NOT_HIGHER, TASK_NOT_OPEN')
  escalate(@Param('taskId') taskId: string, @ZodBody(body.escalation) b: Body<typeof body.escalation>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    return this.run(taskId, new use.EscalateTaskCommand(taskId, { level: b.level, reason: b.reason }, commandContext(request, principal)), response);
  }

  @Post(':taskId/evaluation')
  @Roles('office', 'office_lead')
  @TaskCommandDocs('Evaluate a closed task (评价/回访), rating 1 to 5', 'TASK_NOT_CLOSED')
  evaluate(@Param('taskId') taskId: string, @ZodBody(body.evaluation) b: Body<typeof body.evaluation>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    return this.run(taskId, new use.EvaluateTaskCommand(taskId, { rating: b.rating, comment: b.comment ?? null }, commandContext(request, principal)), response);
  }

  @Post(':taskId/reopen')
  @Roles('office', 'office_lead')
  @TaskCommandDocs('Reopen a closed task (repeat petition, failed follow-up), optionally with a new deadline', 'TASK_NOT_CLOSED, DUE_IN_PAST')
  reopen(@Param('taskId') taskId: string, @ZodBody(body.reopen) b: Body<typeof body.reopen>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    return this.run(taskId, new use.ReopenTaskCommand(taskId, { reason: b.reason, dueAt: b.dueAt ?? null }, commandContext(request, principal)), response);
  }

  @Post(':taskId/cancel')
  @Roles('office_lead')
  @TaskCommandDocs('Cancel an open task, with the reason', 'TASK_NOT_OPEN')
  cancel(@Param('taskId') taskId: string, @ZodBody(body.cancel) b: Body<typeof body.cancel>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    return this.run(taskId, new use.CancelTaskCommand(taskId, { reason: b.reason }, commandContext(request, principal)), response);
  }
}
