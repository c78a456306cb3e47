import type { DomainEvent } from '@app/shared-kernel';

/** 全体会议, 专题会议. */
export const MEETING_KINDS = ['plenary', 'thematic'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

/** Someone at the meeting; unitId is null for people who attend for no member unit (e.g. the office). */
export interface Attendee {
  personId: string;
  name: string;
  unitId: string | null;
}

/** An objection stated at the meeting, in the dissenter's words. */
export interface Dissent {
  personId: string;
  opinion: string;
}

/** A meeting of the joint meeting took place, chaired by its convenor (召集人). */
export type MeetingHeld = DomainEvent<
  'meetings.meeting-held.v1',
  { meetingId: string; title: string; kind: MeetingKind; convenorId: string; convenorName: string; heldAt: string; attendees: Attendee[] }
>;

/** A decision (议定事项) was taken: who decided, who took part, who dissented, and the tasks it assigns. */
export type DecisionRecorded = DomainEvent<
  'meetings.decision-recorded.v1',
  { meetingId: string; decisionId: string; text: string; deciders: string[]; participants: string[]; dissents: Dissent[]; taskIds: string[] }
>;

export type MeetingEvent = MeetingHeld | DecisionRecorded;
