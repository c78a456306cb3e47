import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { AccessLog, AuditReads, type AccessRecord, type HistoryVerification, type Responsibility, type TaskStateAsOf, type TimelineEntry } from '@app/audit';
import type { RecordedEvent } from '@app/event-store';
import { DomainError, toBeijingIso, type Principal } from '@app/shared-kernel';
import { CurrentPrincipal, Roles } from '../http/auth/auth.decorators';
import { id, instant } from '../http/fields';
import { RESPONSIBILITY_RESPONSE_SCHEMA, STATE_RESPONSE_SCHEMA, STREAM_RESPONSE_SCHEMA, TIMELINE_RESPONSE_SCHEMA } from './audit-reads.schemas';
import { recordAccess } from './ledger-access';

/** `<context>.<aggregate>-<id>`: dots, dashes and the id characters; bounded like every input. */
const streamId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, 'a stream id such as supervision.task-<id>');

function parsed<T>(schema: z.ZodType<T>, field: string, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const message = result.error.issues[0]?.message ?? 'invalid';
  throw new DomainError('invalid', 'INVALID_PARAMETER', `${field} is invalid: ${message}.`, [{ field, message }]);
}

const moment = (field: string, raw: string | undefined): Date | undefined => (raw === undefined || raw === '' ? undefined : new Date(parsed(instant, field, raw)));
const shown = (at: Date | undefined): string | null => (at === undefined ? null : toBeijingIso(at));

const AS_OF = { name: 'asOf', required: false, schema: { type: 'string', format: 'date-time' } } as const;

@ApiTags('audit')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@ApiForbiddenResponse({ description: 'Only inspectors read audit history (ROLE_NOT_ALLOWED).' })
@ApiBadRequestResponse({ description: 'A malformed id, asOf or knownAt (INVALID_PARAMETER, problem+json with errors[]).' })
@Roles('inspector')
@Controller('audit')
export class AuditReadsController {
  constructor(
    private readonly reads: AuditReads,
    private readonly accessLog: AccessLog,
  ) {}

  /** Every inspector read is itself on record (DESIGN.md §6), before anything is answered. */
  private recordRead(principal: Principal, resource: string, params: AccessRecord['params']): Promise<void> {
    return recordAccess(this.accessLog, principal, resource, params);
  }

  @Get('streams/:streamId')
  @ApiOperation({ summary: 'A stream exactly as stored: every event with its full envelope, hash and prevHash, as recorded by asOf' })
  @ApiParam({ name: 'streamId', description: 'e.g. supervision.task-<id>, units.unit-<id>, meetings.meeting-<id>' })
  @ApiQuery({ ...AS_OF, description: 'Only events recorded at or before this moment (record time).' })
  @ApiOkResponse({ description: 'Events in stream order; times as stored (UTC), since the hashes cover those exact values.', schema: STREAM_RESPONSE_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such stream (STREAM_NOT_FOUND).' })
  async stream(@Param('streamId') rawStreamId: string, @CurrentPrincipal() principal: Principal, @Query('asOf') rawAsOf?: string): Promise<{ streamId: string; asOf: string | null; events: RecordedEvent[] }> {
    const stream = parsed(streamId, 'streamId', rawStreamId);
    const asOf = moment('asOf', rawAsOf);
    await this.recordRead(principal, 'audit.stream', { streamId: stream, asOf: shown(asOf) });
    return { streamId: stream, asOf: shown(asOf), events: await this.reads.stream(stream, asOf) };
  }

  @Get('tasks/:taskId/timeline')
  @ApiOperation({ summary: 'Every event touching the task (its stream, the meeting decision, post changes of its units, findings, accountability), in record order' })
  @ApiQuery({ ...AS_OF, description: 'Business time: only what had happened by then (occurredAt ≤ asOf).' })
  @ApiQuery({ name: 'knownAt', required: false, schema: { type: 'string', format: 'date-time' }, description: 'Record time: only what had been recorded by then (recordedAt ≤ knownAt).' })
  @ApiOkResponse({ description: 'Events in log order, each with occurredAt (business time) and recordedAt (record time) in +08:00.', schema: TIMELINE_RESPONSE_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such task (TASK_NOT_FOUND).' })
  async timeline(@Param('taskId') rawTaskId: string, @CurrentPrincipal() principal: Principal, @Query('asOf') rawAsOf?: string, @Query('knownAt') rawKnownAt?: string): Promise<{ taskId: string; asOf: string | null; knownAt: string | null; verification: HistoryVerification | null; events: TimelineEntry[] }> {
    const taskId = parsed(id, 'taskId', rawTaskId);
    const asOf = moment('asOf', rawAsOf);
    const knownAt = moment('knownAt', rawKnownAt);
    await this.recordRead(principal, 'audit.task-timeline', { taskId, asOf: shown(asOf), knownAt: shown(knownAt) });
    const { events, verification } = await this.reads.timeline(taskId, { ...(asOf ? { asOf } : {}), ...(knownAt ? { knownAt } : {}) });
    return { taskId, asOf: shown(asOf), knownAt: shown(knownAt), verification, events };
  }

  @Get('tasks/:taskId/state')
  @ApiOperation({ summary: 'The task exactly as it stood at asOf (default now), rebuilt from the events recorded by then; the same view as GET /tasks/{id}' })
  @ApiQuery({ ...AS_OF, description: 'The moment; only events recorded by then count.' })
  @ApiOkResponse({ description: 'The task view with version and position as of then, and asOf.', schema: STATE_RESPONSE_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such task, or not yet issued at asOf (TASK_NOT_FOUND).' })
  async state(@Param('taskId') rawTaskId: string, @CurrentPrincipal() principal: Principal, @Query('asOf') rawAsOf?: string): Promise<TaskStateAsOf> {
    const taskId = parsed(id, 'taskId', rawTaskId);
    const asOf = moment('asOf', rawAsOf);
    await this.recordRead(principal, 'audit.task-state', { taskId, asOf: shown(asOf) });
    return this.reads.state(taskId, asOf);
  }

  @Get('tasks/:taskId/responsibility')
  @ApiOperation({ summary: '倒查: custody over time, posts held in each unit, deadlines and why, what the office did and failed to do, findings, and a proposed attribution with evidence' })
  @ApiOkResponse({ description: 'Times in +08:00. The attribution is a proposal (实施办法 第11条), never a decision.', schema: RESPONSIBILITY_RESPONSE_SCHEMA })
  @ApiQuery({ ...AS_OF, description: 'As the ledger stood then: only what had been recorded by that moment, with the office’s windows judged at it.' })
  @ApiNotFoundResponse({ description: 'No such task (TASK_NOT_FOUND), or none on record by asOf.' })
  async responsibility(@Param('taskId') rawTaskId: string, @CurrentPrincipal() principal: Principal, @Query('asOf') rawAsOf?: string): Promise<Responsibility> {
    const taskId = parsed(id, 'taskId', rawTaskId);
    const asOf = moment('asOf', rawAsOf);
    await this.recordRead(principal, 'audit.task-responsibility', { taskId, asOf: shown(asOf) });
    return this.reads.responsibility(taskId, asOf);
  }
}
