import type { DomainEvent } from '@app/shared-kernel';

/** 实施办法 第11条: 主要领导责任, 重要领导责任, 直接责任, 领导责任, or none (e.g. a recorded dissenter). */
export const LIABILITIES = ['primary_leadership', 'important_leadership', 'direct', 'leadership', 'none'] as const;
export type Liability = (typeof LIABILITIES)[number];

/**
 * The forms of accountability (问责方式): 通报, 诫勉, the organisational measures (停职检查, 调整职务,
 * 责令辞职, 降职, 免职), 纪律处分, and for an organisation 检查, 通报, 改组.
 */
export const DECISION_FORMS = [
  'circular',
  'admonition',
  'suspension_for_review',
  'reassignment',
  'ordered_resignation',
  'demotion',
  'removal',
  'disciplinary_sanction',
  'organisation_inspection',
  'organisation_circular',
  'reorganisation',
] as const;
export type DecisionForm = (typeof DECISION_FORMS)[number];

/** What a decision obliges someone to do afterwards, and what a follow-up reports as done. */
export const OBLIGATION_KINDS = ['measure_completed', 'self_criticism_filed'] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];
export const FOLLOW_UP_KINDS = [...OBLIGATION_KINDS, 'other'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

/** A person or a unit the case holds to account (一案双查: wrongdoer and leaders in one case). */
export interface CaseSubject {
  personId: string | null;
  unitId: string | null;
  liability: Liability;
}

/** A follow-up a decision requires of its subjects, by a deadline. */
export interface Obligation {
  obligationId: string;
  kind: ObligationKind;
  /** Ids of the decision's subjects (person or unit ids). */
  subjects: string[];
  dueAt: string;
}

/** An inspector opened a case on findings and/or evidence events; taskIds let a task's timeline find it. */
export type CaseOpened = DomainEvent<
  'accountability.case-opened.v1',
  { caseId: string; title: string; findingIds: string[]; evidenceEventIds: string[]; taskIds: string[]; subjects: CaseSubject[]; openedAt: string }
>;

/** A decision on the case, with the obligations it creates. */
export type CaseDecisionRecorded = DomainEvent<
  'accountability.decision-recorded.v1',
  { caseId: string; decisionId: string; forms: DecisionForm[]; subjects: string[]; basis: string; decidedAt: string; obligations: Obligation[] }
>;

/** A follow-up was reported; `obligationId` is the obligation it meets (null for `other`), `late` if after its due time. */
export type FollowUpRecorded = DomainEvent<
  'accountability.follow-up-recorded.v1',
  { caseId: string; followUpId: string; kind: FollowUpKind; note: string; obligationId: string | null; at: string; late: boolean }
>;

export type CaseEvent = CaseOpened | CaseDecisionRecorded | FollowUpRecorded;

export const CASE_EVENT_TYPES: readonly CaseEvent['type'][] = ['accountability.case-opened.v1', 'accountability.decision-recorded.v1', 'accountability.follow-up-recorded.v1'];

/** `accountability.case-<id>`: one stream per case; nothing in it is ever deleted. */
export const caseStreamId = (caseId: string): string => `accountability.case-${caseId}`;
