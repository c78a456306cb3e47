import type { EventStore, RecordedEvent } from '@app/event-store';
import { DomainError } from '@app/shared-kernel';
import {
  type TaskHistory, ACCOUNTABILITY_CATEGORY, FINDINGS_CATEGORY, caseAbout, findingAbout, isPostChange, meetingDecisionOf, streamsAbout, touchesDecision, unitsInvolved,
} from './task-history';

const PAGE = 1000;

export const taskStreamOf = (taskId: string): string => `supervision.task-${taskId}`;

/**
 * Reads a task's history from the log itself, never from read models: history as of a moment
 * cannot come from tables that only know the present.
 */
export class TaskHistoryReader {
  constructor(private readonly store: EventStore) {}

  async read(taskId: string): Promise<TaskHistory> {
    const task = await this.store.readStream(taskStreamOf(taskId));
    if (task.length === 0) throw new DomainError('not_found', 'TASK_NOT_FOUND', `No task ${taskId} is on record.`);
    const issued = task[0]?.data as { source?: { kind: string; ref: string | null } } | undefined;
    const decision = meetingDecisionOf(issued?.source);
    const unitIds = unitsInvolved(task);
    const [meeting, unitStreams, findings, accountability] = await Promise.all([
      decision ? this.store.readStream(`meetings.meeting-${decision.meetingId}`).then((es) => es.filter((e) => touchesDecision(e, decision.decisionId))) : Promise.resolve([]),
      Promise.all(unitIds.map(async (u) => [u, (await this.store.readStream(`units.unit-${u}`)).filter(isPostChange)] as const)),
      this.category(FINDINGS_CATEGORY).then((es) => streamsAbout(es, findingAbout(taskId))),
      this.category(ACCOUNTABILITY_CATEGORY).then((es) => streamsAbout(es, caseAbout(taskId))),
    ]);
    return { taskId, task, meeting, units: new Map(unitStreams), findings, accountability };
  }

  /**
   * A whole category, page by page. Findings and cases are few next to task events; an index by
   * task id would replace this scan once they are not.
   */
  private async category(category: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let from = 0;
    for (;;) {
      const page = await this.store.readAll({ fromPosition: from, categories: [category], limit: PAGE });
      events.push(...page.events);
      if (page.events.length < PAGE || page.lastPosition <= from) return events;
      from = page.lastPosition;
    }
  }
}
