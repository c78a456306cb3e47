import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { HoldMeetingCommand, MEETING_KINDS, RecordDecisionCommand } from '@app/meetings';
import { GetMeetingQuery, type MeetingView } from '@app/projections';
import type { CommandContext, CommandResult } from '@app/event-store';
import { Clock, DomainError, uuidv7, type DomainEvent, type Principal } from '@app/shared-kernel';
import { IssueTaskCommand } from '@app/supervision';
import { CurrentPrincipal, Roles, type AuthenticatedRequest } from '../http/auth/auth.decorators';
import { COMMAND_RESPONSE_SCHEMA, commandContext, commandResponse, type CommandResponse } from '../http/command-http';
import { id, instant, text, type HeaderSink } from '../http/fields';
import { ZodBody } from '../http/zod-body';
import { issueInput, taskSpec } from '../tasks/task-spec';


const attendee = z.object({ personId: id, name: text(100), unitId: id.nullable().optional() }).strict();
export const holdMeeting = z
  .object({ id: id.optional(), title: text(200), kind: z.enum(MEETING_KINDS), convenorId: id, convenorName: text(100), heldAt: instant, attendees: z.array(attendee).min(1).max(200) })
  .strict();

/** A task the decision assigns: a TaskSpec whose source is the decision itself. */
export const decisionTask = taskSpec.omit({ source: true });
/**
 * The decision without its tasks. Deciders may be empty here: that is the domain's rule to refuse
 * (422 DECIDERS_REQUIRED), not a malformed body.
 */
export const recordDecisionFields = {
  decisionId: id.optional(),
  text: text(2000),
  deciders: z.array(id).max(200),
  participants: z.array(id).max(200),
  dissents: z.array(z.object({ personId: id, opinion: text(2000) }).strict()).max(200),
};
export const recordDecision = z.object({ ...recordDecisionFields, tasks: z.array(decisionTask).max(50).optional() }).strict();

export interface RecordDecisionResponse extends CommandResponse {
  decisionId: string;
  taskIds: string[];
}

const RECORD_DECISION_RESPONSE_SCHEMA = {
  type: 'object',
  properties: { ...COMMAND_RESPONSE_SCHEMA.properties, decisionId: { type: 'string' }, taskIds: { type: 'array', items: { type: 'string' } } },
  required: [...COMMAND_RESPONSE_SCHEMA.required, 'decisionId', 'taskIds'],
};

@ApiTags('meetings')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@ApiBadRequestResponse({ description: 'Malformed or invalid body (problem+json with errors[]), or a bad minPosition.' })
@ApiForbiddenResponse({ description: 'Only the office may record meetings and decisions.' })
@Controller('meetings')
export class MeetingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get(':meetingId')
  @ApiOperation({ summary: 'A meeting, its attendees and every decision: who decided, took part and dissented' })
  @ApiQuery({ name: 'minPosition', required: false, schema: { type: 'integer' }, description: 'Wait (up to 5 s) until the read model has this event position.' })
  @ApiOkResponse({ description: 'The meeting with its decisions in the order recorded; times in +08:00; header X-Projection-Position.' })
  @ApiNotFoundResponse({ description: 'No such meeting (MEETING_NOT_FOUND).' })
  get(@Param('meetingId') meetingId: string): Promise<MeetingView> {
    return this.queries.execute(new GetMeetingQuery(meetingId));
  }

  @Post()
  @Roles('office')
  @ApiOperation({ summary: 'Record a meeting (全体会议 or 专题会议) with its convenor and attendees' })
  @ApiCreatedResponse({ schema: COMMAND_RESPONSE_SCHEMA })
  @ApiConflictResponse({ description: 'A meeting with this id exists (MEETING_ALREADY_EXISTS).' })
  async hold(@ZodBody(holdMeeting) body: z.infer<typeof holdMeeting>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    const meetingId = body.id ?? uuidv7(this.clock.now().getTime());
    const attendees = body.attendees.map((a) => ({ personId: a.personId, name: a.name, unitId: a.unitId ?? null }));
    const { title, kind, convenorId, convenorName, heldAt } = body;
    const result = await this.commands.execute(new HoldMeetingCommand({ meetingId, title, kind, convenorId, convenorName, heldAt, attendees }, commandContext(request, principal)));
    return commandResponse(response, meetingId, result);
  }

  @Post(':meetingId/decisions')
  @Roles('office')
  @ApiOperation({ summary: 'Record a decision (议定事项): who decided, who took part, who dissented, and the ids of the tasks it assigns' })
  @ApiCreatedResponse({ schema: RECORD_DECISION_RESPONSE_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such meeting (MEETING_NOT_FOUND).' })
  @ApiConflictResponse({ description: 'A decision with this id is on record (DECISION_ALREADY_RECORDED).' })
  @ApiUnprocessableEntityResponse({ description: 'DECIDERS_REQUIRED, DECISION_PERSON_NOT_ATTENDING, DISSENTER_NOT_PARTICIPANT, DISSENTER_IS_DECIDER.' })
  async recordDecision(@Param('meetingId') meetingId: string, @ZodBody(recordDecision) body: z.infer<typeof recordDecision>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<RecordDecisionResponse> {
    const now = this.clock.now().getTime();
    const decisionId = body.decisionId ?? uuidv7(now);
    const specs = body.tasks ?? [];
    const taskIds = specs.map((task) => task.id ?? uuidv7(now));
    if (new Set(taskIds).size !== taskIds.length) throw new DomainError('invalid', 'DUPLICATE_TASK_ID', 'Two tasks of the decision have the same id.', [{ field: 'tasks', message: 'duplicate id' }]);
    const { text, deciders, participants, dissents } = body;
    const context = commandContext(request, principal);
    const decision = (ctx: CommandContext) => new RecordDecisionCommand({ meetingId, decisionId, text, deciders, participants, dissents, taskIds }, ctx);
    const tasks = (ctx: CommandContext) => specs.map((spec, i) => new IssueTaskCommand(taskIds[i] ?? '', { ...issueInput({ ...spec, source: { kind: 'meeting_decision' } }), source: { kind: 'meeting_decision', ref: `${meetingId}/${decisionId}` } }, ctx));
    // The decision and its tasks are separate streams: every step is decided first without writing,
    // so a refused task never leaves a decision behind that points at it.
    await this.commands.execute(decision({ ...context, dryRun: true }));
    for (const [i, command] of tasks({ ...context, dryRun: true }).entries()) await this.executeTask(command, i);
    const result = await this.commands.execute(decision(context));
    let position = result.position;
    for (const [i, command] of tasks({ ...context, causationId: context.requestId }).entries()) position = Math.max(position, (await this.executeTask(command, i)).position);
    return { ...commandResponse(response, meetingId, { ...result, position }), decisionId, taskIds };
  }

  /** Runs one task of the decision; a refusal names the task it is about (`tasks.<i>.<field>`). */
  private async executeTask(command: IssueTaskCommand, index: number): Promise<CommandResult<DomainEvent>> {
    try {
      return await this.commands.execute<IssueTaskCommand, CommandResult<DomainEvent>>(command);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const fields = error.fields.length > 0 ? error.fields : [{ field: '', message: error.message }];
      throw new DomainError(error.kind, error.code, `Task ${index + 1} of the decision: ${error.message}`, fields.map((f) => ({ field: `tasks.${index}${f.field ? `.${f.field}` : ''}`, message: f.message })));
    }
  }
}
