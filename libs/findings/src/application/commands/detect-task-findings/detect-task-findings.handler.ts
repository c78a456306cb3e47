import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, type RecordedEvent } from '@app/event-store';
import { Clock } from '@app/shared-kernel';
import { taskStreamId } from '@app/supervision';
import { postTerms, unitStreamId, type RecordedUnitEvent } from '@app/units';
import { taskFindings } from '../../../domain/task.rules';
import type { HistoryEvent, Term } from '../../../domain/task-history';
import { FindingsPolicy } from '../../findings-policy';
import { recordFindings, type Recorded } from '../../finding-recorder';
import { DetectTaskFindingsCommand } from './detect-task-findings.command';

const history = (e: RecordedEvent): HistoryEvent => ({ eventId: e.eventId, type: e.type, data: e.data as Record<string, unknown>, actor: e.metadata.actor, recordedAt: e.recordedAt });

/** Every unit the task was ever handed to: lead and co-units at issue, and any unit it was reassigned to. */
function unitsOf(events: readonly HistoryEvent[]): string[] {
  const units = events.flatMap((e) => {
    if (e.type === 'supervision.task-issued.v1') return [e.data.leadUnitId, ...(Array.isArray(e.data.coUnitIds) ? e.data.coUnitIds : [])];
    if (e.type === 'supervision.objection-upheld.v1') return [e.data.reassignTo];
    return [];
  });
  return [...new Set(units.filter((u): u is string => typeof u === 'string'))];
}

@CommandHandler(DetectTaskFindingsCommand)
export class DetectTaskFindingsHandler implements ICommandHandler<DetectTaskFindingsCommand> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly policy: FindingsPolicy,
  ) {}

  async execute({ taskId, runId }: DetectTaskFindingsCommand): Promise<Recorded> {
    const now = this.clock.now().toISOString();
    const events = (await this.store.readStream(taskStreamId(taskId))).map(history);
    if (events.length === 0) return { recorded: 0, position: 0 };
    const terms: Term[] = [];
    for (const unitId of unitsOf(events)) {
      const unitEvents = await this.store.readStream(unitStreamId(unitId));
      terms.push(...postTerms(unitEvents.map((e) => ({ eventId: e.eventId, type: e.type, data: e.data }) as RecordedUnitEvent)));
    }
    return recordFindings(this.store, taskFindings({ taskId, events, terms, now, policy: this.policy }), runId);
  }
}
