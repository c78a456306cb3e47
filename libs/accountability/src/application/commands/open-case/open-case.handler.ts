import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, DuplicateEventError, EventStore, type CommandContext, type CommandResult } from '@app/event-store';
import { findingStreamId, type FindingDetected, type FindingTakenUp } from '@app/findings';
import { Clock, DomainError, uuidv5 } from '@app/shared-kernel';
import { taskStreamId } from '@app/supervision';
import { caseDecider } from '../../../domain/case.decider';
import { caseStreamId, type CaseEvent } from '../../../domain/case.events';
import { OpenCaseCommand } from './open-case.command';

/** `supervision.task-`: an evidence event in such a stream is about that task. */
const TASK_STREAM_PREFIX = taskStreamId('');

/**
 * Opens a case on findings and evidence events that must exist (other aggregates, so checked here),
 * records the tasks they concern in the case, then marks each finding as taken up.
 */
@CommandHandler(OpenCaseCommand)
export class OpenCaseHandler implements ICommandHandler<OpenCaseCommand> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ input, context }: OpenCaseCommand): Promise<CommandResult<CaseEvent>> {
    const taskIds = [...(await this.tasksOfFindings(input.findingIds)), ...(await this.tasksOfEvidence(input.evidenceEventIds))];
    const now = this.clock.now();
    const result = await this.runner.run(caseStreamId(input.caseId), caseDecider, { type: 'OpenCase', ...input, taskIds, openedAt: now.toISOString() }, context);
    if (context.dryRun === true) return result;
    let position = result.position;
    for (const findingId of new Set(input.findingIds)) position = Math.max(position, await this.takeUp(findingId, input.caseId, now, context));
    return { ...result, position };
  }

  private async tasksOfFindings(findingIds: string[]): Promise<string[]> {
    const taskIds: string[] = [];
    for (const [i, findingId] of findingIds.entries()) {
      const detected = (await this.store.readStream(findingStreamId(findingId), { toVersion: 1 })).find((e) => e.type === 'findings.finding-detected.v1');
      if (!detected) throw new DomainError('rule', 'UNKNOWN_FINDING', `There is no finding ${findingId}.`, [{ field: `findingIds.${i}`, message: 'no such finding' }]);
      const { taskId } = detected.data as FindingDetected['data'];
      if (taskId !== null) taskIds.push(taskId);
    }
    return taskIds;
  }

  private async tasksOfEvidence(eventIds: string[]): Promise<string[]> {
    const found = new Map((await this.store.readEvents(eventIds)).map((e) => [e.eventId, e.streamId]));
    eventIds.forEach((eventId, i) => {
      if (!found.has(eventId)) throw new DomainError('rule', 'UNKNOWN_EVIDENCE_EVENT', `There is no recorded event ${eventId}.`, [{ field: `evidenceEventIds.${i}`, message: 'no such event' }]);
    });
    return eventIds.map((id) => found.get(id) ?? '').filter((streamId) => streamId.startsWith(TASK_STREAM_PREFIX)).map((streamId) => streamId.slice(TASK_STREAM_PREFIX.length));
  }

  /**
   * The finding's own stream records that it was taken up, whatever else happened to it meanwhile
   * (expected version: any). The event id is derived from finding and case, so a retried request
   * cannot take the same finding up twice for the same case.
   */
  private async takeUp(findingId: string, caseId: string, now: Date, context: CommandContext): Promise<number> {
    const event: FindingTakenUp = { type: 'findings.finding-taken-up.v1', data: { findingId, caseId, at: now.toISOString() } };
    const { actor, correlationId, requestId } = context;
    try {
      const appended = await this.store.append(
        findingStreamId(findingId),
        [{ eventId: uuidv5(`${event.type}\n${findingId}\n${caseId}`), type: event.type, schemaVersion: 1, data: event.data, metadata: { actor, correlationId, causationId: requestId, requestId, occurredAt: now.toISOString() } }],
        'any',
      );
      return appended.position;
    } catch (error) {
      if (error instanceof DuplicateEventError) return 0;
      throw error;
    }
  }
}
