import type { Actor, RecordedEvent } from '@app/event-store';
import { toBeijingIso } from '@app/shared-kernel';

/** Stream categories whose events can concern a task (the part of a stream id before the first '-'). */
export const TASK_CATEGORY = 'supervision.task';
export const FINDINGS_CATEGORY = 'findings.finding';
export const ACCOUNTABILITY_CATEGORY = 'accountability.case';
export const CASE_OPENED = 'accountability.case-opened.v1';
export const FINDING_DETECTED = 'findings.finding-detected.v1';
export const MEETING_HELD = 'meetings.meeting-held.v1';
export const DECISION_RECORDED = 'meetings.decision-recorded.v1';
const POST_EVENTS: ReadonlySet<string> = new Set(['units.post-assigned.v1', 'units.post-ended.v1']);

/** A task issued from a meeting decision names it as `<meetingId>/<decisionId>` (MeetingsController). */
export function meetingDecisionOf(source: { kind: string; ref: string | null } | null | undefined): { meetingId: string; decisionId: string } | null {
  if (source?.kind !== 'meeting_decision' || !source.ref) return null;
  const slash = source.ref.indexOf('/');
  if (slash <= 0 || slash === source.ref.length - 1) return null;
  return { meetingId: source.ref.slice(0, slash), decisionId: source.ref.slice(slash + 1) };
}

/** Every unit the task has passed through: lead, co-units, and both ends of each reassignment. */
export function unitsInvolved(taskEvents: readonly RecordedEvent[]): string[] {
  const units = new Set<string>();
  for (const e of taskEvents) {
    const d = e.data as Record<string, unknown>;
    if (e.type === 'supervision.task-issued.v1') {
      units.add(String(d.leadUnitId));
      for (const u of (d.coUnitIds as string[] | undefined) ?? []) units.add(u);
    } else if (e.type === 'supervision.objection-upheld.v1') {
      units.add(String(d.fromUnitId));
      if (typeof d.reassignTo === 'string') units.add(d.reassignTo);
    }
  }
  return [...units];
}

/** Only post changes of a unit stream touch a task; its registration does not. */
export function isPostChange(e: RecordedEvent): boolean {
  return POST_EVENTS.has(e.type);
}

/** Of a meeting's stream, the meeting itself and the one decision the task came from. */
export function touchesDecision(e: RecordedEvent, decisionId: string): boolean {
  return e.type === MEETING_HELD || (e.type === DECISION_RECORDED && (e.data as { decisionId?: unknown }).decisionId === decisionId);
}

/**
 * Of events read from a whole category, the streams that concern the task (`opens` says whether a
 * stream's event names it) with every event of those streams, later ones included.
 */
export function streamsAbout(events: readonly RecordedEvent[], opens: (e: RecordedEvent) => boolean): RecordedEvent[] {
  const about = new Set(events.filter(opens).map((e) => e.streamId));
  return events.filter((e) => about.has(e.streamId));
}

export const findingAbout = (taskId: string) => (e: RecordedEvent): boolean => e.type === FINDING_DETECTED && (e.data as { taskId?: unknown }).taskId === taskId;
export const caseAbout = (taskId: string) => (e: RecordedEvent): boolean => {
  const ids = (e.data as { taskIds?: unknown }).taskIds;
  return e.type === CASE_OPENED && Array.isArray(ids) && ids.includes(taskId);
};

/** Everything the ledger holds about one task, grouped by where it came from. */
export interface TaskHistory {
  taskId: string;
  task: RecordedEvent[];
  /** The meeting held and the decision the task came from; empty for other sources. */
  meeting: RecordedEvent[];
  /** Post changes (assigned/ended) of every unit involved, by unit. */
  units: Map<string, RecordedEvent[]>;
  findings: RecordedEvent[];
  accountability: RecordedEvent[];
}

/** The history as a reader at `moment` could have had it: only what had been recorded by then. */
export function recordedBy(history: TaskHistory, moment: Date): TaskHistory {
  const t = moment.getTime();
  const known = (events: readonly RecordedEvent[]): RecordedEvent[] => events.filter((e) => Date.parse(e.recordedAt) <= t);
  const task = known(history.task);
  // A unit the task reached only later (a reassignment) was no part of it then.
  const involved = new Set(unitsInvolved(task));
  return {
    taskId: history.taskId,
    task,
    meeting: known(history.meeting),
    units: new Map([...history.units].filter(([unitId]) => involved.has(unitId)).map(([unitId, events]) => [unitId, known(events)])),
    findings: known(history.findings),
    accountability: known(history.accountability),
  };
}

export function allEventsOf(history: TaskHistory): RecordedEvent[] {
  return [...history.task, ...history.meeting, ...[...history.units.values()].flat(), ...history.findings, ...history.accountability];
}

export interface TimelineEntry {
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  position: number;
  /** Business time: when it happened (a report may say it happened before it was recorded). */
  occurredAt: string;
  /** Record time: when the ledger stored it. */
  recordedAt: string;
  actor: Actor;
  data: unknown;
}

/** `asOf` bounds business time, `knownAt` record time; either may be absent. */
export interface TimelineWindow {
  asOf?: Date;
  knownAt?: Date;
}

/**
 * The task's history as a reader at `knownAt` could have seen it, up to the business moment
 * `asOf`, in the order the ledger recorded it. Duplicates (one event reached by two routes) once.
 */
export function timelineOf(events: readonly RecordedEvent[], window: TimelineWindow): TimelineEntry[] {
  const asOf = window.asOf?.getTime() ?? Infinity;
  const knownAt = window.knownAt?.getTime() ?? Infinity;
  const seen = new Set<string>();
  // Without a window nothing is cut, and parsing every time would be most of the work.
  const inWindow = asOf === Infinity && knownAt === Infinity ? events : events.filter((e) => Date.parse(e.metadata.occurredAt) <= asOf && Date.parse(e.recordedAt) <= knownAt);
  return inWindow
    .filter((e) => !seen.has(e.eventId) && seen.add(e.eventId) !== undefined)
    .sort((a, b) => a.position - b.position)
    .map((e) => ({
      eventId: e.eventId,
      streamId: e.streamId,
      streamVersion: e.streamVersion,
      type: e.type,
      position: e.position,
      occurredAt: toBeijingIso(e.metadata.occurredAt),
      recordedAt: toBeijingIso(e.recordedAt),
      actor: e.metadata.actor,
      data: e.data,
    }));
}
