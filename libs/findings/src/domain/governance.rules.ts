import { toBeijingIso } from '@app/shared-kernel';
import type { FindingDetected, ResponsiblePerson } from './finding.events';
import { finding, named, unitPeopleAt } from './finding';
import { ms, ofType, str, type FindingPolicy, type HistoryEvent, type Term } from './task-history';

/*
 * The governance rules of DOMAIN.md §5 (items 6, 8, 9) over recorded governance events. The wire
 * names and the fields read are restated here: @app/governance imports this lib, never the reverse.
 * Like the task rules, each returns every finding the events support by `now`; the finding id
 * follows from the rule, the subject and the trigger, so the caller records only the new ones.
 */

/** The governance events the rules read, by their wire names. */
export const GOVERNANCE_TYPES = {
  windowOpened: 'governance.reporting-window-opened.v1',
  reportFiled: 'governance.daily-report-filed.v1',
  reportMissed: 'governance.daily-report-missed.v1',
  incidentRecorded: 'governance.incident-recorded.v1',
  recommendationMade: 'governance.recommendation-made.v1',
  recommendationAnswered: 'governance.recommendation-answered.v1',
  interviewRecorded: 'governance.interview-recorded.v1',
  rectificationReported: 'governance.rectification-reported.v1',
} as const;
const {
  windowOpened: REPORTING_WINDOW_OPENED,
  reportFiled: DAILY_REPORT_FILED,
  reportMissed: DAILY_REPORT_MISSED,
  incidentRecorded: INCIDENT_RECORDED,
  recommendationMade: RECOMMENDATION_MADE,
  recommendationAnswered: RECOMMENDATION_ANSWERED,
  interviewRecorded: INTERVIEW_RECORDED,
  rectificationReported: RECTIFICATION_REPORTED,
} = GOVERNANCE_TYPES;

/** Log events a governance finding follows from at once (the deadline rules look at read models instead). */
export const GOVERNANCE_TRIGGER_TYPES: readonly string[] = [DAILY_REPORT_MISSED, INCIDENT_RECORDED, DAILY_REPORT_FILED];

export interface GovernanceRuleInput {
  /** The events to judge and those they are judged against (a window's opening, an answer), any order. */
  events: readonly HistoryEvent[];
  /** Every term of every unit the events name, ended ones included. */
  terms: readonly Term[];
  now: string;
  policy: FindingPolicy;
}

const HOUR_MS = 3_600_000;

/** The Beijing calendar day (YYYY-MM-DD) an instant falls on: reporting days are Beijing days. */
const beijingDay = (instant: string): string => toBeijingIso(instant).slice(0, 10);

const unitOf = (e: HistoryEvent): string => str(e, 'unitId') ?? '';

/**
 * For an incident or a nil daily report: the unit and Beijing day of the events it must be judged
 * against (nil reports for that day, incidents that occurred on it); null for any other event.
 */
export function contradictionKey(e: { type: string; data: unknown }): { unitId: string; day: string } | null {
  const data = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>;
  if (typeof data.unitId !== 'string') return null;
  if (e.type === INCIDENT_RECORDED && typeof data.occurredAt === 'string') return { unitId: data.unitId, day: beijingDay(data.occurredAt) };
  if (e.type === DAILY_REPORT_FILED && data.nil === true && typeof data.date === 'string') return { unitId: data.unitId, day: data.date };
  return null;
}

/** Whether a logged event of GOVERNANCE_TRIGGER_TYPES can lead to a finding: a daily report only when nil. */
export const isGovernanceTrigger = (e: { type: string; data: unknown }): boolean => e.type === DAILY_REPORT_MISSED || contradictionKey(e) !== null;

const actorOf = (e: HistoryEvent): { personId: string; name: string } | null => (e.actor.personId === 'system' ? null : e.actor);

/** daily_report_missed (条例 12 及时报送; 迟报/漏报 in a sensitive period): one finding per unit and day missed at the cut-off. */
export function dailyReportMissed({ events, terms, now }: GovernanceRuleInput): FindingDetected[] {
  return ofType(events, DAILY_REPORT_MISSED).map((e) => {
    const windowId = str(e, 'windowId') ?? '';
    const unitId = unitOf(e);
    const date = str(e, 'date') ?? '';
    const cutoffAt = str(e, 'cutoffAt') ?? e.recordedAt;
    const opened = events.find((x) => x.type === REPORTING_WINDOW_OPENED && str(x, 'windowId') === windowId);
    return finding(
      {
        rule: 'daily_report_missed',
        subjectId: windowId,
        trigger: `${unitId}|${date}`,
        taskId: null,
        unitId,
        people: unitPeopleAt(terms, unitId, cutoffAt),
        evidence: [opened?.eventId, e.eventId],
        at: cutoffAt,
        detail: `No daily report for ${date} by the cut-off ${toBeijingIso(cutoffAt)} (reporting window ${windowId}).`,
      },
      now,
    );
  });
}

/**
 * late_incident_report (迟报, 条例 25, 46(4)): reported more than `lateIncidentHours` after it
 * occurred. The people named are those in post when the report fell due.
 */
export function lateIncidentReport({ events, terms, now, policy }: GovernanceRuleInput): FindingDetected[] {
  return ofType(events, INCIDENT_RECORDED).flatMap((e) => {
    const occurredAt = str(e, 'occurredAt');
    const reportedAt = str(e, 'reportedAt');
    if (occurredAt === null || reportedAt === null) return [];
    const dueAt = new Date(ms(occurredAt) + policy.lateIncidentHours * HOUR_MS).toISOString();
    if (ms(reportedAt) <= ms(dueAt)) return [];
    const unitId = unitOf(e);
    const hours = Math.floor((ms(reportedAt) - ms(occurredAt)) / HOUR_MS);
    return [
      finding(
        {
          rule: 'late_incident_report',
          subjectId: str(e, 'incidentId') ?? e.eventId,
          trigger: reportedAt,
          taskId: null,
          unitId,
          people: unitPeopleAt(terms, unitId, dueAt),
          evidence: [e.eventId],
          at: dueAt,
          detail: `Incident ${str(e, 'incidentId') ?? ''} occurred at ${toBeijingIso(occurredAt)} and was reported at ${toBeijingIso(reportedAt)}, ${hours} h later (limit ${policy.lateIncidentHours} h).`,
        },
        now,
      ),
    ];
  });
}

/**
 * nil_report_contradicted (瞒报 candidate, 条例 46(4)): a nil report for a Beijing day on which an
 * incident of the same unit occurred, whenever the incident was recorded. One finding per nil
 * report and incident; the people in post when the nil report was filed, and who filed it.
 */
export function nilReportContradicted({ events, terms, now }: GovernanceRuleInput): FindingDetected[] {
  const incidents = ofType(events, INCIDENT_RECORDED);
  return ofType(events, DAILY_REPORT_FILED)
    .filter((report) => report.data.nil === true)
    .flatMap((report) => {
      const unitId = unitOf(report);
      const date = str(report, 'date') ?? '';
      const filedAt = str(report, 'filedAt') ?? report.recordedAt;
      const sameDay = incidents.filter((i) => unitOf(i) === unitId && beijingDay(str(i, 'occurredAt') ?? i.recordedAt) === date);
      return sameDay.map((incident) =>
        finding(
          {
            rule: 'nil_report_contradicted',
            subjectId: `${str(report, 'windowId') ?? ''}|${unitId}|${date}`,
            trigger: str(incident, 'incidentId') ?? incident.eventId,
            taskId: null,
            unitId,
            people: [...unitPeopleAt(terms, unitId, filedAt), ...named(actorOf(report), unitId, 'reporter')],
            evidence: [report.eventId, incident.eventId],
            at: filedAt,
            detail: `Nil report for ${date}, yet incident ${str(incident, 'incidentId') ?? ''} (${str(incident, 'kind') ?? ''}, ${String(incident.data.persons ?? '?')} persons) occurred that day at ${toBeijingIso(str(incident, 'occurredAt') ?? incident.recordedAt)}.`,
          },
          now,
        ),
      );
    });
}

/** The answer (or report) of `idField` = `id` given by `dueAt`, if any; a later one does not count. */
function answeredInTime(events: readonly HistoryEvent[], type: string, idField: string, id: string, atField: string, dueAt: string): { inTime: boolean; answer: HistoryEvent | undefined } {
  const answer = events.find((x) => x.type === type && str(x, idField) === id);
  const at = answer ? (str(answer, atField) ?? answer.recordedAt) : null;
  return { inTime: at !== null && ms(at) <= ms(dueAt), answer };
}

/**
 * recommendation_unanswered (条例 40): no written answer by `answerDueAt`. An answer given later
 * leaves the finding (it was unanswered at the deadline) and is cited as evidence.
 */
export function recommendationUnanswered({ events, terms, now }: GovernanceRuleInput): FindingDetected[] {
  return ofType(events, RECOMMENDATION_MADE).flatMap((e) => {
    const id = str(e, 'recommendationId') ?? '';
    const dueAt = str(e, 'answerDueAt');
    if (dueAt === null || ms(now) <= ms(dueAt)) return [];
    const { inTime, answer } = answeredInTime(events, RECOMMENDATION_ANSWERED, 'recommendationId', id, 'answeredAt', dueAt);
    if (inTime) return [];
    const unitId = unitOf(e);
    return [
      finding(
        {
          rule: 'recommendation_unanswered',
          subjectId: id,
          trigger: dueAt,
          taskId: null,
          unitId,
          people: unitPeopleAt(terms, unitId, dueAt),
          evidence: [e.eventId, answer?.eventId],
          at: dueAt,
          detail: `Recommendation ${id} (${str(e, 'kind') ?? ''}) had no written answer by ${toBeijingIso(dueAt)}${answer ? `; answered late at ${toBeijingIso(str(answer, 'answeredAt') ?? answer.recordedAt)}` : ''}.`,
        },
        now,
      ),
    ];
  });
}

/** The people an interview named, with their names where the unit's terms know them. */
function interviewed(e: HistoryEvent, terms: readonly Term[], unitId: string): ResponsiblePerson[] {
  const ids = Array.isArray(e.data.personIds) ? e.data.personIds.filter((p): p is string => typeof p === 'string') : [];
  return ids.map((personId) => ({ personId, name: terms.find((t) => t.personId === personId)?.name ?? personId, unitId, role: 'subject' as const }));
}

/** rectification_overdue (条例 39 限期整改): an interview's rectification not reported by its deadline. */
export function rectificationOverdue({ events, terms, now }: GovernanceRuleInput): FindingDetected[] {
  return ofType(events, INTERVIEW_RECORDED).flatMap((e) => {
    const id = str(e, 'interviewId') ?? '';
    const dueAt = str(e, 'rectificationDueAt');
    if (dueAt === null || ms(now) <= ms(dueAt)) return [];
    const { inTime, answer } = answeredInTime(events, RECTIFICATION_REPORTED, 'interviewId', id, 'reportedAt', dueAt);
    if (inTime) return [];
    const unitId = unitOf(e);
    return [
      finding(
        {
          rule: 'rectification_overdue',
          subjectId: id,
          trigger: dueAt,
          taskId: null,
          unitId,
          people: [...unitPeopleAt(terms, unitId, dueAt), ...interviewed(e, terms, unitId)],
          evidence: [e.eventId, answer?.eventId],
          at: dueAt,
          detail: `Interview ${id}: rectification due by ${toBeijingIso(dueAt)} was not reported by then${answer ? `; reported late at ${toBeijingIso(str(answer, 'reportedAt') ?? answer.recordedAt)}` : ''}.`,
        },
        now,
      ),
    ];
  });
}

const GOVERNANCE_RULES = [dailyReportMissed, lateIncidentReport, nilReportContradicted, recommendationUnanswered, rectificationOverdue];

/** Every governance finding the events support by `now`, each once (one incident may be judged from two sides). */
export function governanceFindings(input: GovernanceRuleInput): FindingDetected[] {
  const all = GOVERNANCE_RULES.flatMap((rule) => rule(input));
  return all.filter((f, i) => all.findIndex((g) => g.data.findingId === f.data.findingId) === i);
}
