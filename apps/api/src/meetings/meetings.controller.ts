import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { HoldMeetingCommand, MEETING_KINDS, RecordDecisionCommand } from '@app/meetings';
import { GetMeetingQuery, type MeetingView } from '@app/projections';
import { Clock, uuidv7, type Principal } from '@app/shared-kernel';
import { CurrentPrincipal, Roles, type AuthenticatedRequest } from '../http/auth/auth.decorators';
import { COMMAND_RESPONSE_SCHEMA, commandContext, commandResponse, type CommandResponse } from '../http/command-http';
import { ZodBody } from '../http/zod-body';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _; at most 64');
const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());

const attendee = z.object({ personId: id, name: text(100), unitId: id.nullable().optional() }).strict();
export const holdMeeting = z
  .object({ id: id.optional(), title: text(200), kind: z.enum(MEETING_KINDS), convenorId: id, convenorName: text(100), heldAt: instant, attendees: z.array(attendee).min(1).max(200) })
  .strict();

/** What the decision asks of each task it assigns; only the id is read until tasks are issued from here. */
export const decisionTask = z.object({ id: id.optional() }).loose();
/**
 * The decision without its tasks, to compose with another task schema. Deciders may be empty here:
 * that is the domain's rule to refuse (422 DECIDERS_REQUIRED), not a malformed body.
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

interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

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
    const taskIds = (body.tasks ?? []).map((task) => task.id ?? uuidv7(now));
    const { text, deciders, participants, dissents } = body;
    const result = await this.commands.execute(new RecordDecisionCommand({ meetingId, decisionId, text, deciders, participants, dissents, taskIds }, commandContext(request, principal)));
    return { ...commandResponse(response, meetingId, result), decisionId, taskIds };
  }
}
