import type { EventStore, RecordedEvent } from '@app/event-store';
import { taskView, type TaskView } from '@app/projections';
import { DomainError, toBeijingIso, type Clock } from '@app/shared-kernel';
import { evolveTask, initialTaskState, isOverdue, type TaskEvent, type TaskState } from '@app/supervision';
import { responsibilityOf, type Responsibility } from './responsibility';
import { allEventsOf, recordedBy, timelineOf, type TimelineEntry, type TimelineWindow } from './task-history';
import { taskStreamOf, type HistoryVerification, type TaskHistoryReader } from './task-history.reader';

export interface TaskStateAsOf extends TaskView {
  asOf: string;
}

/** The task as the ledger had recorded it by `asOf`: the write side's own fold, the read side's own view. */
export function stateAsOf(events: readonly RecordedEvent[], asOf: Date): TaskStateAsOf | null {
  const known = events.filter((e) => Date.parse(e.recordedAt) <= asOf.getTime());
  const last = known[known.length - 1];
  if (!last) return null;
  const state: TaskState = known.reduce((s, e) => evolveTask(s, e as unknown as TaskEvent), initialTaskState);
  return { ...taskView({ state, version: last.streamVersion, position: last.position, overdue: isOverdue(state) }), asOf: toBeijingIso(asOf) };
}

/** Inspectors' reads of history (API.md "Audit and responsibility"), all straight from the log. */
export class AuditReads {
  constructor(
    private readonly store: EventStore,
    private readonly history: TaskHistoryReader,
    private readonly clock: Clock,
    /** overdue_not_supervised's window (FINDING_UNSUPERVISED_DAYS), so responsibility and findings agree. */
    private readonly supervisionWindowDays = 2,
  ) {}

  /** A stream exactly as stored and hashed, as recorded by `asOf`. */
  async stream(streamId: string, asOf?: Date): Promise<RecordedEvent[]> {
    if ((await this.store.streamHead(streamId)) === null) throw new DomainError('not_found', 'STREAM_NOT_FOUND', `No stream ${streamId} is on record.`);
    return this.store.readStream(streamId, { raw: true, ...(asOf ? { recordedAsOf: asOf } : {}) });
  }

  /** The timeline, and whether every chain it was read from is intact (checked on the same rows). */
  async timeline(taskId: string, window: TimelineWindow): Promise<{ events: TimelineEntry[]; verification: HistoryVerification | null }> {
    const history = await this.history.read(taskId, { verified: true });
    return { events: timelineOf(allEventsOf(history), window), verification: history.verification ?? null };
  }

  async state(taskId: string, asOf?: Date): Promise<TaskStateAsOf> {
    const at = asOf ?? this.clock.now();
    const view = stateAsOf(await this.store.readStream(taskStreamOf(taskId), { recordedAsOf: at }), at);
    if (!view) throw new DomainError('not_found', 'TASK_NOT_FOUND', `No task ${taskId} was on record at ${toBeijingIso(at)}.`);
    return view;
  }

  /** 倒查 now, or as the ledger stood at `asOf`: what was recorded by then, judged at that moment. */
  async responsibility(taskId: string, asOf?: Date): Promise<Responsibility> {
    const history = await this.history.read(taskId);
    if (!asOf) return responsibilityOf(history, this.clock.now(), this.supervisionWindowDays);
    const known = recordedBy(history, asOf);
    if (known.task.length === 0) throw new DomainError('not_found', 'TASK_NOT_FOUND', `No task ${taskId} was on record at ${toBeijingIso(asOf)}.`);
    return responsibilityOf(known, asOf, this.supervisionWindowDays);
  }
}
