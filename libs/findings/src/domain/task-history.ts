/**
 * What the rules read: a task's recorded events and the post terms of the units involved. The
 * shapes are restated here (the domain imports no other context); they are the fields of the
 * supervision and units events that the rules look at, as recorded.
 */

export interface HistoryActor {
  personId: string;
  name: string;
  unitId: string | null;
  roles: string[];
}

/** A recorded task event: its id is what a finding's evidence points at. */
export interface HistoryEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  actor: HistoryActor;
  recordedAt: string;
}

export type PostName = 'primary_leader' | 'portfolio_leader' | 'handler' | 'liaison';

/** One person's term in one post of one unit (units' postTerms). */
export interface Term {
  unitId: string;
  personId: string;
  name: string;
  post: PostName;
  from: string;
  to: string | null;
}

/** Configurable windows of DOMAIN.md §5 (defaults 2 and 7 days, 24 hours). */
export interface FindingPolicy {
  unsupervisedDays: number;
  listedDays: number;
  /** late_incident_report: hours after its occurrence by which an incident must be reported. */
  lateIncidentHours: number;
}

export const DEFAULT_FINDING_POLICY: FindingPolicy = { unsupervisedDays: 2, listedDays: 7, lateIncidentHours: 24 };

export interface TaskRuleInput {
  taskId: string;
  /** The task's stream, in order. */
  events: readonly HistoryEvent[];
  /** Every term of every unit the task involves, ended ones included. */
  terms: readonly Term[];
  now: string;
  policy: FindingPolicy;
}

export const DAY_MS = 86_400_000;
export const ms = (iso: string): number => Date.parse(iso);
export const addDays = (iso: string, days: number): string => new Date(ms(iso) + days * DAY_MS).toISOString();

export const str = (e: HistoryEvent, field: string): string | null => {
  const v = e.data[field];
  return typeof v === 'string' ? v : null;
};

/** When it happened by the event's own account (`at`), else when it was recorded. */
export const whenOf = (e: HistoryEvent): string => str(e, 'at') ?? recordedOrIssued(e);
const recordedOrIssued = (e: HistoryEvent): string => str(e, 'issuedAt') ?? e.recordedAt;

export const ofType = (events: readonly HistoryEvent[], type: string): HistoryEvent[] => events.filter((e) => e.type === type);

export function personOf(e: HistoryEvent, field = 'by'): { personId: string; name: string } | null {
  const v = e.data[field];
  if (typeof v !== 'object' || v === null) return null;
  const { personId, name } = v as { personId?: unknown; name?: unknown };
  return typeof personId === 'string' ? { personId, name: typeof name === 'string' ? name : personId } : null;
}

/** The terms running at `at`: begun at or before it, not yet ended (same reading as units' holdersAt). */
export function holdersAt(terms: readonly Term[], unitId: string, at: string, post: PostName): Term[] {
  const t = ms(at);
  return terms.filter((term) => term.unitId === unitId && term.post === post && ms(term.from) <= t && (term.to === null || ms(term.to) > t));
}

/** The task as it stood after a prefix of its history: the little the rules need. */
export interface TaskSnapshot {
  issued: HistoryEvent | null;
  leadUnitId: string;
  dueAt: string;
  objectionDueAt: string;
  overdueFor: string | null;
  /** Whether the deadline clock runs against the unit (not under review, not closed). */
  running: boolean;
  closed: boolean;
}

const RESUMES = new Set(['supervision.task-reopened.v1', 'supervision.extension-decided.v1', 'supervision.objection-rejected.v1']);
const STOPS = new Set(['supervision.completion-reported.v1', 'supervision.task-signed-off.v1', 'supervision.task-cancelled.v1']);

/** Folds the events up to and including index `upTo` (all when omitted). */
export function snapshot(events: readonly HistoryEvent[], upTo = events.length - 1): TaskSnapshot {
  const s: TaskSnapshot = { issued: null, leadUnitId: '', dueAt: '', objectionDueAt: '', overdueFor: null, running: false, closed: false };
  events.slice(0, upTo + 1).forEach((e) => {
    if (e.type === 'supervision.task-issued.v1') {
      Object.assign(s, { issued: e, leadUnitId: str(e, 'leadUnitId') ?? '', dueAt: str(e, 'dueAt') ?? '', objectionDueAt: str(e, 'objectionDueAt') ?? '', running: true });
    } else if (e.type === 'supervision.objection-upheld.v1') {
      const to = str(e, 'reassignTo');
      if (to === null) Object.assign(s, { running: false, closed: true });
      else Object.assign(s, { leadUnitId: to, objectionDueAt: str(e, 'objectionDueAt') ?? s.objectionDueAt });
    } else if (e.type === 'supervision.objection-raised.v1') s.running = false;
    else if (e.type === 'supervision.completion-reviewed.v1') s.running = str(e, 'decision') === 'send_back';
    else if (e.type === 'supervision.task-overdue.v1') s.overdueFor = str(e, 'dueAt');
    else if (STOPS.has(e.type)) Object.assign(s, { running: false, closed: e.type !== 'supervision.completion-reported.v1' });
    if (RESUMES.has(e.type)) Object.assign(s, { running: true, closed: false, dueAt: str(e, 'dueAt') ?? s.dueAt });
  });
  return s;
}

/** The events recorded by `moment` (by their own time). */
export const until = (events: readonly HistoryEvent[], moment: string): HistoryEvent[] => events.filter((e) => ms(whenOf(e)) <= ms(moment));
