import type { FindingDetected, ResponsiblePerson } from './finding.events';
import { finding, named, unitPeopleAt } from './finding';
import { addDays, ms, personOf, snapshot, str, until, whenOf, type HistoryEvent, type TaskRuleInput } from './task-history';

/*
 * The rules of DOMAIN.md §5 over one task's recorded history. Each returns every finding the
 * history supports by `now`, whether or not it was recorded before: the finding id is derived from
 * the rule, the task and the trigger, so the caller records only the ones that are new.
 */

type Indexed = { e: HistoryEvent; i: number };
const each = (events: readonly HistoryEvent[], type: string): Indexed[] => events.flatMap((e, i) => (e.type === type ? [{ e, i }] : []));
const lastBefore = (events: readonly HistoryEvent[], i: number, match: (e: HistoryEvent) => boolean): HistoryEvent | undefined => events.slice(0, i).filter(match).pop();

const CASE_LEADER_SET: ReadonlySet<string> = new Set(['supervision.task-issued.v1', 'supervision.case-leader-changed.v1']);

/** The 包案领导 in charge at `moment` (named at issue or by the latest change by then) and the event that made them so. */
function caseLeaderAt(events: readonly HistoryEvent[], moment: string): { people: ResponsiblePerson[]; eventId: string | undefined } {
  const appointed = until(events, moment).filter((e) => CASE_LEADER_SET.has(e.type)).pop();
  return { people: appointed ? named(personOf(appointed, 'caseLeader'), null, 'case_leader') : [], eventId: appointed?.eventId };
}

/** 签收: the lead unit's latest sign-for before event i. */
const signedForBy = (events: readonly HistoryEvent[], i: number, unitId: string): HistoryEvent | undefined =>
  lastBefore(events, i, (e) => e.type === 'supervision.task-signed-for.v1' && str(e, 'unitId') === unitId);

/** task_overdue (条例 45(1); 实施办法 11(二)): recorded overdue against the deadline in force (approved extensions included). */
export function taskOverdue({ taskId, events, terms, now }: TaskRuleInput): FindingDetected[] {
  return each(events, 'supervision.task-overdue.v1').map(({ e, i }) => {
    const task = snapshot(events, i);
    const dueAt = str(e, 'dueAt') ?? task.dueAt;
    const signed = signedForBy(events, i, task.leadUnitId);
    const extensions = events.slice(0, i).filter((x) => x.type === 'supervision.extension-decided.v1');
    const caseLeader = caseLeaderAt(events, dueAt);
    return finding(
      {
        rule: 'task_overdue',
        subjectId: taskId,
        trigger: dueAt,
        taskId,
        unitId: task.leadUnitId,
        people: [...unitPeopleAt(terms, task.leadUnitId, dueAt), ...caseLeader.people, ...named(signed ? personOf(signed) : null, task.leadUnitId, 'signer')],
        evidence: [task.issued?.eventId, caseLeader.eventId, signed?.eventId, ...extensions.map((x) => x.eventId), e.eventId],
        at: dueAt,
        detail: `Overdue against the deadline ${dueAt}${extensions.length > 0 ? ' (after extension decisions)' : ''}.`,
      },
      now,
    );
  });
}

/** sign_for_missed (条例 23): one finding per unit that had not signed for by the sign-for deadline. */
export function signForMissed({ taskId, events, terms, now }: TaskRuleInput): FindingDetected[] {
  return each(events, 'supervision.sign-for-missed.v1').flatMap(({ e, i }) => {
    const task = snapshot(events, i);
    const dueAt = str(e, 'signForDueAt') ?? whenOf(e);
    const units = Array.isArray(e.data.unitIds) ? e.data.unitIds.filter((u): u is string => typeof u === 'string') : [];
    const reassigned = lastBefore(events, i, (x) => x.type === 'supervision.objection-upheld.v1');
    return units.map((unitId) =>
      finding(
        {
          rule: 'sign_for_missed',
          subjectId: taskId,
          trigger: `${dueAt}|${unitId}`,
          taskId,
          unitId,
          people: unitPeopleAt(terms, unitId, dueAt),
          evidence: [task.issued?.eventId, reassigned?.eventId, e.eventId],
          at: dueAt,
          detail: `Not signed for by the sign-for deadline ${dueAt}.`,
        },
        now,
      ),
    );
  });
}

/**
 * late_objection (条例 23): an objection raised after the objection deadline then in force. The
 * decider refuses such objections, so this guards history recorded otherwise (imported, legacy).
 */
export function lateObjection({ taskId, events, terms, now }: TaskRuleInput): FindingDetected[] {
  return each(events, 'supervision.objection-raised.v1').flatMap(({ e, i }) => {
    const task = snapshot(events, i - 1);
    const raisedAt = whenOf(e);
    if (task.objectionDueAt === '' || ms(raisedAt) <= ms(task.objectionDueAt)) return [];
    const unitId = str(e, 'unitId') ?? task.leadUnitId;
    return [
      finding(
        {
          rule: 'late_objection',
          subjectId: taskId,
          trigger: e.eventId,
          taskId,
          unitId,
          people: [...unitPeopleAt(terms, unitId, raisedAt), ...named(personOf(e), unitId, 'objector')],
          evidence: [task.issued?.eventId, e.eventId],
          at: raisedAt,
          detail: `Objection raised at ${raisedAt}, after the objection deadline ${task.objectionDueAt}.`,
        },
        now,
      ),
    ];
  });
}

/** progress_report_missed (条例 12 及时报送): a cadence period passed without a progress report. */
export function progressReportMissed({ taskId, events, terms, now }: TaskRuleInput): FindingDetected[] {
  return each(events, 'supervision.progress-report-missed.v1').map(({ e, i }) => {
    const task = snapshot(events, i);
    const unitId = str(e, 'unitId') ?? task.leadUnitId;
    const dueAt = str(e, 'dueAt') ?? whenOf(e);
    return finding(
      {
        rule: 'progress_report_missed',
        subjectId: taskId,
        trigger: `${unitId}|${dueAt}`,
        taskId,
        unitId,
        people: unitPeopleAt(terms, unitId, dueAt),
        evidence: [task.issued?.eventId, signedForBy(events, i, unitId)?.eventId, e.eventId],
        at: dueAt,
        detail: `No progress report by ${dueAt}.`,
      },
      now,
    );
  });
}

const SUPERVISES = new Set(['supervision.reminder-sent.v1', 'supervision.task-escalated.v1']);
/** After these the task no longer waits on the unit, so there is nothing left to supervise. */
const RESOLVES = new Set(['supervision.completion-reported.v1', 'supervision.task-signed-off.v1', 'supervision.task-cancelled.v1']);
const isOffice = (e: HistoryEvent): boolean => e.actor.roles.includes('office') || e.actor.roles.includes('office_lead');

/**
 * overdue_not_supervised (条例 40, 43): no reminder or escalation within N days of the task going
 * overdue — the office's own failure. The days run from the deadline itself, not from when the
 * scheduler noticed it, so a late scheduler run gives the office no extra time.
 */
export function overdueNotSupervised({ taskId, events, now, policy }: TaskRuleInput): FindingDetected[] {
  return each(events, 'supervision.task-overdue.v1').flatMap(({ e, i }) => {
    const overdueAt = str(e, 'dueAt') ?? whenOf(e);
    const windowEnd = addDays(overdueAt, policy.unsupervisedDays);
    if (ms(now) < ms(windowEnd)) return [];
    const inWindow = until(events, windowEnd).filter((x) => ms(whenOf(x)) >= ms(overdueAt));
    if (inWindow.some((x) => SUPERVISES.has(x.type) || RESOLVES.has(x.type))) return [];
    const office = until(events, windowEnd).filter(isOffice);
    const issued = snapshot(events, i).issued;
    return [
      finding(
        {
          rule: 'overdue_not_supervised',
          subjectId: taskId,
          trigger: str(e, 'dueAt') ?? e.eventId,
          taskId,
          unitId: issued?.actor.unitId ?? null,
          people: office.map((x) => ({ personId: x.actor.personId, name: x.actor.name, unitId: x.actor.unitId, role: 'office' as const })),
          evidence: [issued?.eventId, e.eventId],
          at: windowEnd,
          detail: `Overdue since ${overdueAt}; no reminder or escalation by the office within ${policy.unsupervisedDays} days.`,
        },
        now,
      ),
    ];
  });
}

/** reopened_after_closure (条例 40 弄虚作假): completion accepted and signed off, then reopened — a candidate false report. */
export function reopenedAfterClosure({ taskId, events, terms, now }: TaskRuleInput): FindingDetected[] {
  return each(events, 'supervision.task-reopened.v1').flatMap(({ e, i }) => {
    const signedOff = lastBefore(events, i, (x) => x.type === 'supervision.task-signed-off.v1');
    if (signedOff === undefined) return [];
    const closedAt = whenOf(signedOff);
    const lead = snapshot(events, i).leadUnitId;
    const completion = lastBefore(events, i, (x) => x.type === 'supervision.completion-reported.v1');
    const accepted = lastBefore(events, i, (x) => x.type === 'supervision.completion-reviewed.v1' && str(x, 'decision') === 'accept');
    return [
      finding(
        {
          rule: 'reopened_after_closure',
          subjectId: taskId,
          trigger: e.eventId,
          taskId,
          unitId: lead,
          people: [...unitPeopleAt(terms, lead, closedAt), ...named(completion ? personOf(completion) : null, lead, 'reporter')],
          evidence: [completion?.eventId, accepted?.eventId, signedOff.eventId, e.eventId],
          at: closedAt,
          detail: `Signed off at ${closedAt}, reopened at ${whenOf(e)}: ${str(e, 'reason') ?? ''}`.trim(),
        },
        now,
      ),
    ];
  });
}

/** listed_still_overdue (条例 39): red or 挂牌督办, and still overdue N days after that escalation. */
export function listedStillOverdue({ taskId, events, terms, now, policy }: TaskRuleInput): FindingDetected[] {
  return each(events, 'supervision.task-escalated.v1').flatMap(({ e }) => {
    const level = str(e, 'level');
    if (level !== 'red' && level !== 'listed') return [];
    const checkAt = addDays(whenOf(e), policy.listedDays);
    if (ms(now) < ms(checkAt)) return [];
    const history = until(events, checkAt);
    const task = snapshot(history);
    if (!task.running || task.overdueFor === null || task.overdueFor !== task.dueAt) return [];
    const overdue = history.filter((x) => x.type === 'supervision.task-overdue.v1' && str(x, 'dueAt') === task.dueAt).pop();
    const caseLeader = caseLeaderAt(events, checkAt);
    return [
      finding(
        {
          rule: 'listed_still_overdue',
          subjectId: taskId,
          trigger: e.eventId,
          taskId,
          unitId: task.leadUnitId,
          people: [...unitPeopleAt(terms, task.leadUnitId, checkAt), ...caseLeader.people],
          evidence: [task.issued?.eventId, caseLeader.eventId, e.eventId, overdue?.eventId],
          at: checkAt,
          detail: `Escalated to ${level} at ${whenOf(e)} and still overdue ${policy.listedDays} days later.`,
        },
        now,
      ),
    ];
  });
}

const TASK_RULES = [taskOverdue, signForMissed, lateObjection, progressReportMissed, overdueNotSupervised, reopenedAfterClosure, listedStillOverdue];

/** Every finding one task's history supports by `now`. */
export function taskFindings(input: TaskRuleInput): FindingDetected[] {
  return TASK_RULES.flatMap((rule) => rule(input));
}
