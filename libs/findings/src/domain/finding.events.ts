import { createHash } from 'node:crypto';
import type { DomainEvent } from '@app/shared-kernel';

/** The rules of DOMAIN.md §5 this system detects: task rules, then governance, then accountability. */
export const FINDING_RULES = [
  'task_overdue',
  'sign_for_missed',
  'late_objection',
  'progress_report_missed',
  'overdue_not_supervised',
  'reopened_after_closure',
  'listed_still_overdue',
  'daily_report_missed',
  'late_incident_report',
  'nil_report_contradicted',
  'recommendation_unanswered',
  'rectification_overdue',
  'follow_up_overdue',
] as const;
export type FindingRule = (typeof FINDING_RULES)[number];

/** Why a person is named: the post or part they held at the moment that matters. */
export type ResponsibleRole = 'handler' | 'primary_leader' | 'portfolio_leader' | 'case_leader' | 'signer' | 'objector' | 'reporter' | 'office' | 'subject';
export const RESPONSIBLE_ROLES: readonly ResponsibleRole[] = ['handler', 'primary_leader', 'portfolio_leader', 'case_leader', 'signer', 'objector', 'reporter', 'office', 'subject'];

export interface ResponsiblePerson {
  personId: string;
  name: string;
  unitId: string | null;
  role: ResponsibleRole;
}

/**
 * A finding is evidence, not a verdict (DOMAIN.md §5): the rule, the unit and the people in charge
 * at the time, and the exact events it rests on. `at` is the moment the rule looked at (the
 * deadline, the decision), which is when the people named held their posts.
 */
export type FindingDetected = DomainEvent<
  'findings.finding-detected.v1',
  {
    findingId: string;
    rule: FindingRule;
    taskId: string | null;
    caseId: string | null;
    unitId: string | null;
    people: ResponsiblePerson[];
    evidence: string[];
    at: string;
    detectedAt: string;
    detail: string;
  }
>;

/** An inspector took the finding into an accountability case; it is no longer open. */
export type FindingTakenUp = DomainEvent<'findings.finding-taken-up.v1', { findingId: string; caseId: string; at: string }>;

export type FindingEvent = FindingDetected | FindingTakenUp;

/** `findings.finding-<id>`: one stream per finding, so recording it twice is an expected-version conflict. */
export const findingStreamId = (findingId: string): string => `findings.finding-${findingId}`;

/**
 * One finding per rule, subject (the task, or the case's obligation) and trigger (the deadline, the
 * reopening), whichever process sees it first: the id is derived from what it is about. Hashed so
 * that it stays a short plain id (API ids: letters, digits, - and _) whatever the subject's id.
 */
export function findingIdFor(rule: FindingRule, subjectId: string, trigger: string): string {
  return `${rule}-${createHash('sha256').update(`${rule}\n${subjectId}\n${trigger}`).digest('hex').slice(0, 24)}`;
}

/**
 * The id of the one FindingDetected event of a finding: UUID-shaped and derived from the finding
 * id, so two processes (or a replay) racing to record the same finding write the same event.
 */
export function findingEventId(findingId: string): string {
  const hash = createHash('sha256').update(`findings.finding-detected.v1\n${findingId}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x80;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export const FINDING_EVENT_TYPES = ['findings.finding-detected.v1', 'findings.finding-taken-up.v1'] as const;
