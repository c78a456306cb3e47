import type { DomainEvent } from '@app/shared-kernel';

/**
 * The office held an interview (约谈) with a unit's leaders, on findings (evidence) or a reason such as
 * two bulletins in the last places, and set a deadline for rectification (限期整改, 条例 39).
 */
export type InterviewRecorded = DomainEvent<
  'governance.interview-recorded.v1',
  { interviewId: string; unitId: string; personIds: string[]; reason: string; findingIds: string[]; rectificationDueAt: string; recordedAt: string }
>;

/** The unit reported the rectification done; `late` when after the deadline (still recorded, as what happened). */
export type RectificationReported = DomainEvent<
  'governance.rectification-reported.v1',
  { interviewId: string; unitId: string; note: string; reportedAt: string; rectificationDueAt: string; late: boolean }
>;

export type InterviewEvent = InterviewRecorded | RectificationReported;

export const INTERVIEW_EVENT_TYPES: readonly InterviewEvent['type'][] = ['governance.interview-recorded.v1', 'governance.rectification-reported.v1'];

/** `governance.interview-<id>`: one stream per interview and its rectification. */
export const interviewStreamId = (interviewId: string): string => `governance.interview-${interviewId}`;
