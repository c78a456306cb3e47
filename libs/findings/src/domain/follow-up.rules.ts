import type { FindingDetected, ResponsiblePerson } from './finding.events';
import { finding } from './finding';
import { ms } from './task-history';

/** A subject of an accountability decision, as the accountability read model names it. */
export type ObligationSubject = string | { personId?: string | null; unitId?: string | null; name?: string | null };

/** A follow-up an accountability decision created (organisational measure, self-criticism), with its deadline. */
export interface OverdueFollowUp {
  caseId: string;
  obligationId: string;
  kind: string;
  subjects: readonly ObligationSubject[];
  dueAt: string;
  /** The decision that created it: the evidence (null when the read model does not know it). */
  decisionEventId: string | null;
}

function subjectPeople(subjects: readonly ObligationSubject[]): ResponsiblePerson[] {
  return subjects.flatMap((s) => {
    if (typeof s === 'string') return [{ personId: s, name: s, unitId: null, role: 'subject' as const }];
    return s.personId ? [{ personId: s.personId, name: s.name ?? s.personId, unitId: s.unitId ?? null, role: 'subject' as const }] : [];
  });
}

const firstUnit = (subjects: readonly ObligationSubject[]): string | null => subjects.map((s) => (typeof s === 'string' ? null : (s.unitId ?? null))).find((u) => u !== null) ?? null;

/** follow_up_overdue (问责条例): a decision's follow-up not done by its deadline; one finding per obligation and deadline. */
export function followUpOverdue(obligations: readonly OverdueFollowUp[], now: string): FindingDetected[] {
  return obligations
    .filter((o) => ms(o.dueAt) <= ms(now))
    .map((o) =>
      finding(
        {
          rule: 'follow_up_overdue',
          subjectId: o.obligationId,
          trigger: o.dueAt,
          taskId: null,
          caseId: o.caseId,
          unitId: firstUnit(o.subjects),
          people: subjectPeople(o.subjects),
          evidence: [o.decisionEventId],
          at: o.dueAt,
          detail: `Follow-up ${o.kind} of case ${o.caseId} was due by ${o.dueAt}.`,
        },
        now,
      ),
    );
}
