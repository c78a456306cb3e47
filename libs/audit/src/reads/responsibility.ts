import type { RecordedEvent } from '@app/event-store';
import { toBeijingIso } from '@app/shared-kernel';
import { postTerms, type PostTerm, type RecordedUnitEvent } from '@app/units';
import { proposeAttribution, type AttributionLine, type DecisionFacts, type Omission } from './attribution';
import { DECISION_RECORDED, MEETING_HELD, type TaskHistory } from './task-history';

type Data = Record<string, unknown>;
type Who = { personId: string; name: string } | null;

export interface LeadPeriod { unitId: string; from: string; to: string | null; eventId: string; reason: string | null }
export interface CaseLeaderPeriod { personId: string; name: string; from: string; to: string | null; eventId: string; reason: string | null }
export interface UnitInCharge { unitId: string; involvement: 'lead' | 'co' | 'former_lead'; posts: (Omit<PostTerm, 'unitId'>)[] }
export interface DeadlineChange { dueAt: string; change: 'issued' | 'extension_approved' | 'extension_refused' | 'reopened'; reason: string | null; by: Who; at: string; eventId: string }
export interface OfficeAction { kind: string; at: string; by: Who; detail: string | null; eventId: string }
export interface OfficeOmission { kind: 'overdue_not_supervised'; dueAt: string; overdueAt: string; windowEndsAt: string; eventId: string }

export interface Responsibility {
  taskId: string;
  generatedAt: string;
  custody: {
    leadUnits: LeadPeriod[];
    coUnitIds: string[];
    signedFor: { unitId: string; personId: string; name: string; at: string; eventId: string }[];
    /** Today's 包案领导, as the task view shows. */
    caseLeader: { personId: string; name: string; eventId: string } | null;
    /** Every 包案领导 the task has had, with when each answered for it. */
    caseLeaders: CaseLeaderPeriod[];
    units: UnitInCharge[];
  };
  deadlines: DeadlineChange[];
  office: { actions: OfficeAction[]; omissions: OfficeOmission[] };
  findings: { findingId: string; rule: string; at: string | null; eventId: string; evidence: string[]; people: unknown[]; later: { type: string; eventId: string; recordedAt: string }[] }[];
  accountabilityCases: { caseId: string; eventIds: string[] }[];
  attribution: { proposal: true; note: string; decision: { meetingId: string; decisionId: string; eventId: string } | null; lines: AttributionLine[] };
}

const DAY_MS = 86_400_000;
const bj = (iso: string): string => toBeijingIso(iso);
const whenOf = (e: RecordedEvent): string => e.metadata.occurredAt;
const by = (d: Data): Who => {
  const p = d.by as { personId?: unknown; name?: unknown } | undefined;
  return p && typeof p.personId === 'string' ? { personId: p.personId, name: String(p.name ?? '') } : null;
};
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const OFFICE_ACTIONS: Record<string, (d: Data) => { kind: string; detail: string | null }> = {
  'supervision.task-issued.v1': () => ({ kind: 'issue', detail: null }),
  'supervision.reminder-sent.v1': (d) => ({ kind: 'reminder', detail: str(d.message) }),
  'supervision.case-leader-changed.v1': (d) => ({ kind: 'case_leader_changed', detail: `${String((d.caseLeader as { name?: unknown } | undefined)?.name)}: ${String(d.reason)}` }),
  'supervision.task-escalated.v1': (d) => ({ kind: 'escalation', detail: `${String(d.level)}: ${String(d.reason)}` }),
  'supervision.completion-reviewed.v1': (d) => ({ kind: d.decision === 'send_back' ? 'send_back' : 'review_accepted', detail: str(d.reason) }),
  'supervision.task-signed-off.v1': (d) => ({ kind: 'signoff', detail: d.onTime === true ? 'on time' : 'late' }),
  'supervision.objection-upheld.v1': (d) => ({ kind: 'objection_upheld', detail: str(d.reason) }),
  'supervision.objection-rejected.v1': (d) => ({ kind: 'objection_rejected', detail: str(d.reason) }),
  'supervision.extension-decided.v1': (d) => ({ kind: d.approve === true ? 'extension_approved' : 'extension_refused', detail: str(d.reason) }),
  'supervision.task-reopened.v1': (d) => ({ kind: 'reopen', detail: str(d.reason) }),
  'supervision.task-cancelled.v1': (d) => ({ kind: 'cancel', detail: str(d.reason) }),
  'supervision.task-evaluated.v1': (d) => ({ kind: 'evaluation', detail: `rating ${String(d.rating)}` }),
};
const SUPERVISES: ReadonlySet<string> = new Set(['supervision.reminder-sent.v1', 'supervision.task-escalated.v1']);
/** After these the deadline no longer runs against the unit, so no reminder is owed. */
const ENDS_CLOCK: ReadonlySet<string> = new Set(['supervision.completion-reported.v1', 'supervision.task-cancelled.v1', 'supervision.objection-upheld.v1']);

function leadPeriods(task: readonly RecordedEvent[]): LeadPeriod[] {
  const periods: LeadPeriod[] = [];
  for (const e of task) {
    const d = e.data as Data;
    if (e.type === 'supervision.task-issued.v1') periods.push({ unitId: String(d.leadUnitId), from: whenOf(e), to: null, eventId: e.eventId, reason: null });
    if (e.type === 'supervision.objection-upheld.v1' && typeof d.reassignTo === 'string') {
      const last = periods[periods.length - 1];
      if (last) last.to = whenOf(e);
      periods.push({ unitId: d.reassignTo, from: whenOf(e), to: null, eventId: e.eventId, reason: str(d.reason) });
    }
  }
  return periods;
}

function caseLeaderPeriods(task: readonly RecordedEvent[]): CaseLeaderPeriod[] {
  const periods: CaseLeaderPeriod[] = [];
  for (const e of task) {
    if (e.type !== 'supervision.task-issued.v1' && e.type !== 'supervision.case-leader-changed.v1') continue;
    const d = e.data as Data;
    const leader = d.caseLeader as { personId: string; name: string } | null | undefined;
    const last = periods[periods.length - 1];
    if (last) last.to = whenOf(e);
    if (leader) periods.push({ personId: leader.personId, name: leader.name, from: whenOf(e), to: null, eventId: e.eventId, reason: str(d.reason) });
  }
  return periods;
}

function leadAt(periods: readonly LeadPeriod[], at: string): string | null {
  const t = Date.parse(at);
  const found = periods.find((p) => Date.parse(p.from) <= t && (p.to === null || Date.parse(p.to) > t)) ?? periods[periods.length - 1];
  return found?.unitId ?? null;
}

function deadlineChanges(task: readonly RecordedEvent[]): DeadlineChange[] {
  const changes: DeadlineChange[] = [];
  for (const e of task) {
    const d = e.data as Data;
    const base = { by: by(d), at: bj(whenOf(e)), eventId: e.eventId };
    if (e.type === 'supervision.task-issued.v1') changes.push({ ...base, dueAt: bj(String(d.dueAt)), change: 'issued', reason: null, by: { personId: e.metadata.actor.personId, name: e.metadata.actor.name } });
    if (e.type === 'supervision.extension-decided.v1') changes.push({ ...base, dueAt: bj(String(d.dueAt)), change: d.approve === true ? 'extension_approved' : 'extension_refused', reason: str(d.reason) });
    if (e.type === 'supervision.task-reopened.v1') changes.push({ ...base, dueAt: bj(String(d.dueAt)), change: 'reopened', reason: str(d.reason) });
  }
  return changes;
}

/** 条例 40, 43: an overdue task the office neither reminded nor escalated within the window. */
function officeOmissions(task: readonly RecordedEvent[], now: Date, windowDays: number): OfficeOmission[] {
  const omissions: OfficeOmission[] = [];
  for (const e of task.filter((x) => x.type === 'supervision.task-overdue.v1')) {
    // From the deadline, as the overdue_not_supervised finding counts: a late scheduler run is no extra time.
    const from = Date.parse(str((e.data as Data).dueAt) ?? whenOf(e));
    const until = from + windowDays * DAY_MS;
    if (now.getTime() < until) continue;
    const within = (x: RecordedEvent) => Date.parse(whenOf(x)) >= from && Date.parse(whenOf(x)) <= until;
    if (task.some((x) => within(x) && (SUPERVISES.has(x.type) || ENDS_CLOCK.has(x.type)))) continue;
    omissions.push({ kind: 'overdue_not_supervised', dueAt: bj(String((e.data as Data).dueAt)), overdueAt: bj(whenOf(e)), windowEndsAt: bj(new Date(until).toISOString()), eventId: e.eventId });
  }
  return omissions;
}

function decisionOf(meeting: readonly RecordedEvent[]): (DecisionFacts & { meetingId: string; decisionId: string }) | null {
  const decided = meeting.find((e) => e.type === DECISION_RECORDED);
  if (!decided) return null;
  const d = decided.data as { meetingId: string; decisionId: string; deciders: string[]; participants: string[]; dissents: { personId: string; opinion: string }[] };
  const held = meeting.find((e) => e.type === MEETING_HELD)?.data as { convenorId?: string; convenorName?: string; attendees?: { personId: string; name: string }[] } | undefined;
  const names: Record<string, string> = {};
  for (const a of held?.attendees ?? []) names[a.personId] = a.name;
  if (held?.convenorId) names[held.convenorId] ??= held.convenorName ?? held.convenorId;
  return { eventId: decided.eventId, at: whenOf(decided), meetingId: d.meetingId, decisionId: d.decisionId, deciders: d.deciders, participants: d.participants, dissents: d.dissents, names };
}

function omissionsOf(task: readonly RecordedEvent[], leads: readonly LeadPeriod[]): Omission[] {
  const out: Omission[] = [];
  for (const e of task) {
    const d = e.data as Data;
    if (e.type === 'supervision.task-overdue.v1') {
      const lead = leadAt(leads, String(d.dueAt));
      out.push({ kind: 'overdue', at: String(d.dueAt), unitIds: lead ? [lead] : [], eventId: e.eventId });
    }
    if (e.type === 'supervision.sign-for-missed.v1') out.push({ kind: 'sign_for_missed', at: String(d.signForDueAt), unitIds: (d.unitIds as string[] | undefined) ?? [], eventId: e.eventId });
    if (e.type === 'supervision.progress-report-missed.v1') out.push({ kind: 'progress_report_missed', at: String(d.dueAt), unitIds: [String(d.unitId)], eventId: e.eventId });
  }
  return out;
}

/**
 * 倒查 for one task from its history: who held it and who was in post, what deadline applied and
 * why, what the office did and failed to do, and a proposed attribution. Pure: `now` decides only
 * whether the office's two-day window has closed.
 */
export function responsibilityOf(history: TaskHistory, now: Date, supervisionWindowDays = 2): Responsibility {
  const task = history.task;
  const issued = task[0]?.data as Data | undefined;
  const leads = leadPeriods(task);
  const currentLead = leads[leads.length - 1]?.unitId ?? null;
  const coUnitIds = ((issued?.coUnitIds as string[] | undefined) ?? []).filter((u) => u !== currentLead);
  const terms = [...history.units.values()].flatMap((events) => postTerms(events.map((e) => ({ type: e.type, data: e.data, eventId: e.eventId }) as RecordedUnitEvent)));
  const involvement = (u: string): UnitInCharge['involvement'] => (u === currentLead ? 'lead' : coUnitIds.includes(u) ? 'co' : 'former_lead');
  const decision = decisionOf(history.meeting);
  const caseLeaders = caseLeaderPeriods(task);
  const caseLeader = caseLeaders.at(-1);
  const findingStreams = new Map<string, RecordedEvent[]>();
  for (const e of history.findings) findingStreams.set(e.streamId, [...(findingStreams.get(e.streamId) ?? []), e]);
  const caseStreams = new Map<string, string[]>();
  for (const e of history.accountability) caseStreams.set(e.streamId, [...(caseStreams.get(e.streamId) ?? []), e.eventId]);

  return {
    taskId: history.taskId,
    generatedAt: bj(now.toISOString()),
    custody: {
      leadUnits: leads.map((p) => ({ ...p, from: bj(p.from), to: p.to === null ? null : bj(p.to) })),
      coUnitIds,
      signedFor: task.filter((e) => e.type === 'supervision.task-signed-for.v1').map((e) => {
        const d = e.data as Data;
        const p = by(d);
        return { unitId: String(d.unitId), personId: p?.personId ?? e.metadata.actor.personId, name: p?.name ?? e.metadata.actor.name, at: bj(whenOf(e)), eventId: e.eventId };
      }),
      caseLeader: caseLeader && caseLeader.to === null ? { personId: caseLeader.personId, name: caseLeader.name, eventId: caseLeader.eventId } : null,
      caseLeaders: caseLeaders.map((p) => ({ ...p, from: bj(p.from), to: p.to === null ? null : bj(p.to) })),
      units: [...history.units.keys()].map((unitId) => ({
        unitId,
        involvement: involvement(unitId),
        posts: terms.filter((t) => t.unitId === unitId && t.post !== 'liaison').map(({ unitId: _, ...t }) => ({ ...t, from: bj(t.from), to: t.to === null ? null : bj(t.to) })),
      })),
    },
    deadlines: deadlineChanges(task),
    office: {
      actions: task.filter((e) => OFFICE_ACTIONS[e.type]).map((e) => ({ ...(OFFICE_ACTIONS[e.type] as (d: Data) => { kind: string; detail: string | null })(e.data as Data), at: bj(whenOf(e)), by: { personId: e.metadata.actor.personId, name: e.metadata.actor.name }, eventId: e.eventId })),
      omissions: officeOmissions(task, now, supervisionWindowDays),
    },
    findings: [...findingStreams.values()].map((events) => {
      const first = events[0] as RecordedEvent;
      const d = first.data as Data;
      return {
        findingId: String(d.findingId ?? first.streamId),
        rule: String(d.rule),
        at: typeof d.at === 'string' ? bj(d.at) : null,
        eventId: first.eventId,
        evidence: (d.evidence as string[] | undefined) ?? [],
        people: (d.people as unknown[] | undefined) ?? [],
        later: events.slice(1).map((e) => ({ type: e.type, eventId: e.eventId, recordedAt: bj(e.recordedAt) })),
      };
    }),
    accountabilityCases: [...caseStreams.entries()].map(([streamId, eventIds]) => ({ caseId: streamId.slice(streamId.indexOf('-') + 1), eventIds })),
    attribution: {
      proposal: true,
      note: 'A proposal under 实施办法 第11条 with its evidence, not a decision: accountability is decided by people (条例 42–46).',
      decision: decision ? { meetingId: decision.meetingId, decisionId: decision.decisionId, eventId: decision.eventId } : null,
      lines: proposeAttribution({ decision, omissions: omissionsOf(task, leads), terms }).map((l) => ({ ...l, grounds: l.grounds.map((g) => ({ ...g, at: bj(g.at) })) })),
    },
  };
}
