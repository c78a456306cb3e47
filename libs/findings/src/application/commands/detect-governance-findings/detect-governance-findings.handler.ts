import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, type RecordedEvent } from '@app/event-store';
import { Clock } from '@app/shared-kernel';
import { postTerms, unitStreamId, type RecordedUnitEvent } from '@app/units';
import { GOVERNANCE_TYPES, governanceFindings } from '../../../domain/governance.rules';
import type { HistoryEvent, Term } from '../../../domain/task-history';
import { FindingsPolicy } from '../../findings-policy';
import { recordFindings, type Recorded } from '../../finding-recorder';
import { DetectGovernanceFindingsCommand } from './detect-governance-findings.command';

const history = (e: RecordedEvent): HistoryEvent => ({ eventId: e.eventId, type: e.type, data: e.data as Record<string, unknown>, actor: e.metadata.actor, recordedAt: e.recordedAt });

@CommandHandler(DetectGovernanceFindingsCommand)
export class DetectGovernanceFindingsHandler implements ICommandHandler<DetectGovernanceFindingsCommand> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly policy: FindingsPolicy,
  ) {}

  async execute({ eventIds, runId }: DetectGovernanceFindingsCommand): Promise<Recorded> {
    const now = this.clock.now().toISOString();
    const events = await this.store.readEvents([...new Set(eventIds)]);
    if (events.length === 0) return { recorded: 0, position: 0 };
    // A miss cites the window's opening: the first event of the window's stream.
    const windows = [...new Set(events.filter((e) => e.type === GOVERNANCE_TYPES.reportMissed).map((e) => e.streamId))];
    for (const streamId of windows) events.push(...(await this.store.readStream(streamId, { fromVersion: 1, toVersion: 1 })));
    const terms: Term[] = [];
    const unitIds = new Set(events.map((e) => (e.data as { unitId?: unknown }).unitId).filter((u): u is string => typeof u === 'string'));
    for (const unitId of unitIds) {
      const unitEvents = await this.store.readStream(unitStreamId(unitId));
      terms.push(...postTerms(unitEvents.map((e) => ({ eventId: e.eventId, type: e.type, data: e.data }) as RecordedUnitEvent)));
    }
    return recordFindings(this.store, governanceFindings({ events: events.map(history), terms, now, policy: this.policy }), runId);
  }
}
