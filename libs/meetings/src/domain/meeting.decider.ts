import { DomainError, type Decider } from '@app/shared-kernel';
import type { Attendee, Dissent, MeetingEvent, MeetingKind } from './meeting.events';

export interface MeetingState {
  held: boolean;
  /** The convenor and every attendee: the only people a decision may name. */
  present: string[];
  decisionIds: string[];
}

export type MeetingCommand =
  | { type: 'HoldMeeting'; meetingId: string; title: string; kind: MeetingKind; convenorId: string; convenorName: string; heldAt: string; attendees: Attendee[] }
  | { type: 'RecordDecision'; meetingId: string; decisionId: string; text: string; deciders: string[]; participants: string[]; dissents: Dissent[]; taskIds: string[] };

type RecordDecision = Extract<MeetingCommand, { type: 'RecordDecision' }>;

/** `meetings.meeting-<id>`: one stream per meeting, its decisions included. */
export const meetingStreamId = (meetingId: string): string => `meetings.meeting-${meetingId}`;

function requireAttending(state: MeetingState, command: RecordDecision): void {
  const named = [
    ...command.deciders.map((personId, i) => ({ personId, field: `deciders.${i}` })),
    ...command.participants.map((personId, i) => ({ personId, field: `participants.${i}` })),
    ...command.dissents.map(({ personId }, i) => ({ personId, field: `dissents.${i}.personId` })),
  ];
  const absent = named.find((n) => !state.present.includes(n.personId));
  if (absent) {
    const message = `${absent.personId} neither attended nor convened meeting ${command.meetingId}.`;
    throw new DomainError('rule', 'DECISION_PERSON_NOT_ATTENDING', message, [{ field: absent.field, message }]);
  }
}

/**
 * Dissent is recorded because 实施办法 第11条 exempts from leadership liability a participant whose
 * clear objection was overruled. The exemption only makes sense for someone who took part without
 * deciding: a decider who also dissents would make the attribution of a decision gone wrong ambiguous.
 */
function requireSoundDissents(command: RecordDecision): void {
  command.dissents.forEach(({ personId }, i) => {
    const field = `dissents.${i}.personId`;
    if (command.deciders.includes(personId)) {
      const message = `${personId} is listed as a decider and cannot also dissent.`;
      throw new DomainError('rule', 'DISSENTER_IS_DECIDER', message, [{ field, message }]);
    }
    if (!command.participants.includes(personId)) {
      const message = `${personId} dissents but is not listed among the participants.`;
      throw new DomainError('rule', 'DISSENTER_NOT_PARTICIPANT', message, [{ field, message }]);
    }
  });
}

function record(state: MeetingState, command: RecordDecision): MeetingEvent[] {
  if (!state.held) throw new DomainError('not_found', 'MEETING_NOT_FOUND', `There is no meeting ${command.meetingId}.`);
  if (state.decisionIds.includes(command.decisionId)) {
    throw new DomainError('conflict', 'DECISION_ALREADY_RECORDED', `The decision ${command.decisionId} is already on record for this meeting.`);
  }
  if (command.deciders.length === 0) throw new DomainError('rule', 'DECIDERS_REQUIRED', 'A decision must name at least one person who took it.', [{ field: 'deciders', message: 'at least one' }]);
  requireAttending(state, command);
  requireSoundDissents(command);
  const { meetingId, decisionId, text, deciders, participants, dissents, taskIds } = command;
  return [{ type: 'meetings.decision-recorded.v1', data: { meetingId, decisionId, text, deciders, participants, dissents, taskIds } }];
}

export const meetingDecider: Decider<MeetingCommand, MeetingEvent, MeetingState> = {
  initialState: { held: false, present: [], decisionIds: [] },

  decide(command, state) {
    switch (command.type) {
      case 'HoldMeeting': {
        if (state.held) throw new DomainError('conflict', 'MEETING_ALREADY_EXISTS', `The meeting ${command.meetingId} is already on record.`);
        const { meetingId, title, kind, convenorId, convenorName, heldAt, attendees } = command;
        return [{ type: 'meetings.meeting-held.v1', data: { meetingId, title, kind, convenorId, convenorName, heldAt, attendees } }];
      }
      case 'RecordDecision':
        return record(state, command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'meetings.meeting-held.v1':
        return { held: true, present: [event.data.convenorId, ...event.data.attendees.map((a) => a.personId)], decisionIds: [] };
      case 'meetings.decision-recorded.v1':
        return { ...state, decisionIds: [...state.decisionIds, event.data.decisionId] };
    }
  },
};
