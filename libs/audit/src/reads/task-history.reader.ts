import type { EventStore, RecordedEvent } from '@app/event-store';
import { verifyChains, type ChainEvent, type FirstBad, type HashAlgorithm } from '@app/ledger';
import { DomainError } from '@app/shared-kernel';
import {
  type TaskHistory, ACCOUNTABILITY_CATEGORY, FINDINGS_CATEGORY, caseAbout, findingAbout, isPostChange, meetingDecisionOf, streamsAbout, touchesDecision, unitsInvolved,
} from './task-history';

const PAGE = 1000;

export const taskStreamOf = (taskId: string): string => `supervision.task-${taskId}`;

/** The hash chains of every stream a history was read from, checked on the very rows returned. */
export interface HistoryVerification {
  ok: boolean;
  streams: number;
  checkedEvents: number;
  firstBad?: FirstBad;
}

/** How this ledger hashes: what a reader needs to check chains itself. */
export interface ChainRules {
  alg: HashAlgorithm;
  /** false for EventStoreDB, whose positions are not known when an event is hashed. */
  hashPositions: boolean;
}

/**
 * Reads a task's history from the log itself, never from read models: history as of a moment
 * cannot come from tables that only know the present. With `verified`, the streams are read as
 * stored (no upcasting) and their whole chains are checked before anything is filtered out, so an
 * inspector's timeline says whether what it shows is intact without a second read of the log.
 */
export class TaskHistoryReader {
  constructor(
    private readonly store: EventStore,
    private readonly chains: ChainRules | null = null,
  ) {}

  async read(taskId: string, options: { verified?: boolean } = {}): Promise<TaskHistory & { verification?: HistoryVerification }> {
    const checked: RecordedEvent[][] = [];
    const verify = options.verified === true && this.chains !== null;
    const stream = async (streamId: string): Promise<RecordedEvent[]> => {
      const events = await this.store.readStream(streamId, { raw: verify });
      if (verify) checked.push(events);
      return events;
    };
    const task = await stream(taskStreamOf(taskId));
    if (task.length === 0) throw new DomainError('not_found', 'TASK_NOT_FOUND', `No task ${taskId} is on record.`);
    const issued = task[0]?.data as { source?: { kind: string; ref: string | null } } | undefined;
    const decision = meetingDecisionOf(issued?.source);
    const unitIds = unitsInvolved(task);
    const about = async (category: string, keep: (events: RecordedEvent[]) => RecordedEvent[]): Promise<RecordedEvent[]> => {
      const events = keep(await this.category(category, verify));
      if (verify) checked.push(...byStream(events));
      return events;
    };
    const related = Promise.all([
      decision ? stream(`meetings.meeting-${decision.meetingId}`).then((es) => es.filter((e) => touchesDecision(e, decision.decisionId))) : Promise.resolve([]),
      Promise.all(unitIds.map(async (u) => [u, (await stream(`units.unit-${u}`)).filter(isPostChange)] as const)),
      about(FINDINGS_CATEGORY, (es) => streamsAbout(es, findingAbout(taskId))),
      about(ACCOUNTABILITY_CATEGORY, (es) => streamsAbout(es, caseAbout(taskId))),
    ]);
    // The task's own chain (most of the hashing) is checked while the related reads are in flight.
    const own = verify && this.chains ? verifyStreams(this.chains, checked.splice(0, 1)) : null;
    const [meeting, unitStreams, findings, accountability] = await related;
    const history = { taskId, task, meeting, units: new Map(unitStreams), findings, accountability };
    if (!own || !this.chains) return history;
    const rest = own.ok ? verifyStreams(this.chains, checked) : null;
    const verification: HistoryVerification = rest
      ? { ...rest, streams: rest.streams + 1, checkedEvents: rest.checkedEvents + own.checkedEvents }
      : { ...own, streams: checked.length + 1 };
    return { ...history, verification };
  }

  /**
   * A whole category, page by page, from the log itself. A read-model index by task would be
   * faster, but then what an inspector is shown would rest on tables that are rewritten and can be
   * edited unseen; findings and cases number thousands a year, not millions, so the scan stays.
   */
  private async category(category: string, raw: boolean): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let from = 0;
    for (;;) {
      const page = await this.store.readAll({ fromPosition: from, categories: [category], limit: PAGE, raw });
      events.push(...page.events);
      if (page.events.length < PAGE || page.lastPosition <= from) return events;
      from = page.lastPosition;
    }
  }
}

function byStream(events: readonly RecordedEvent[]): RecordedEvent[][] {
  const streams = new Map<string, RecordedEvent[]>();
  for (const e of events) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
  return [...streams.values()];
}

/** Each stream on its own from version 1; the first problem met is reported. */
function verifyStreams(rules: ChainRules, streams: readonly RecordedEvent[][]): HistoryVerification {
  let checkedEvents = 0;
  for (const events of streams) {
    const result = verifyChains(rules.alg, events as unknown as ChainEvent[], { hashPositions: rules.hashPositions, fromPosition: 1 });
    checkedEvents += result.checkedEvents;
    if (!result.ok) return { ok: false, streams: streams.length, checkedEvents, ...(result.firstBad ? { firstBad: result.firstBad } : {}) };
  }
  return { ok: true, streams: streams.length, checkedEvents };
}
