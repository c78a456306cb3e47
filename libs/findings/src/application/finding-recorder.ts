import { ConcurrencyError, DuplicateEventError, type EventStore } from '@app/event-store';
import { findingEventId, findingStreamId, type FindingDetected } from '../domain/finding.events';

/** The clock acts as the system (DESIGN.md §5), as it does for deadline events. */
const SYSTEM_ACTOR = { personId: 'system', name: 'system', unitId: null, roles: [] };

export interface Recorded {
  recorded: number;
  /** Position of the last finding written; 0 when none was. */
  position: number;
}

/**
 * Records the findings not yet recorded, each once: its own stream, appended with `no_stream` and an
 * event id derived from the finding id. A process that lost the race gets a conflict (or the other
 * process's event under the same id), which means the finding exists: not an error.
 */
export async function recordFindings(store: EventStore, findings: readonly FindingDetected[], runId: string): Promise<Recorded> {
  let recorded = 0;
  let position = 0;
  for (const finding of findings) {
    const streamId = findingStreamId(finding.data.findingId);
    if ((await store.streamHead(streamId)) !== null) continue;
    try {
      const result = await store.append(
        streamId,
        [
          {
            eventId: findingEventId(finding.data.findingId),
            type: finding.type,
            schemaVersion: 1,
            data: finding.data,
            metadata: { actor: SYSTEM_ACTOR, correlationId: runId, causationId: finding.data.evidence[finding.data.evidence.length - 1] ?? null, requestId: null, occurredAt: finding.data.detectedAt },
          },
        ],
        'no_stream',
      );
      recorded += 1;
      position = Math.max(position, result.position);
    } catch (error) {
      if (!(error instanceof ConcurrencyError || error instanceof DuplicateEventError)) throw error;
    }
  }
  return { recorded, position };
}
