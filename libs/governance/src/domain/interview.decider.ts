import { DomainError, type Decider } from '@app/shared-kernel';
import type { InterviewEvent } from './interview.events';

export interface Rectification {
  note: string;
  reportedAt: string;
  late: boolean;
}

export interface InterviewState {
  recorded: boolean;
  interviewId: string;
  unitId: string;
  personIds: string[];
  reason: string;
  findingIds: string[];
  rectificationDueAt: string;
  recordedAt: string;
  /** null until the unit reports the rectification done. */
  rectification: Rectification | null;
}

/** Findings are checked to exist by the handler (other aggregates); `reporterUnitId` is the reporting unit_lead's unit. */
export type InterviewCommand =
  | { type: 'RecordInterview'; interviewId: string; unitId: string; personIds: string[]; reason: string; findingIds: string[]; rectificationDueAt: string; now: string }
  | { type: 'ReportRectification'; interviewId: string; reporterUnitId: string | null; note: string; now: string };

export const initialInterviewState: InterviewState = { recorded: false, interviewId: '', unitId: '', personIds: [], reason: '', findingIds: [], rectificationDueAt: '', recordedAt: '', rectification: null };

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

function record(state: InterviewState, command: Extract<InterviewCommand, { type: 'RecordInterview' }>): InterviewEvent[] {
  if (state.recorded) throw new DomainError('conflict', 'INTERVIEW_ALREADY_EXISTS', `The interview ${command.interviewId} is already on record.`);
  if (command.personIds.length === 0) throw new DomainError('rule', 'PERSONS_REQUIRED', 'An interview is held with at least one person of the unit.', [{ field: 'personIds', message: 'at least one person' }]);
  if (Date.parse(command.rectificationDueAt) <= Date.parse(command.now)) {
    throw new DomainError('rule', 'RECTIFICATION_DUE_IN_PAST', 'The unit needs time to rectify: rectificationDueAt must be later than now.', [{ field: 'rectificationDueAt', message: 'must be in the future' }]);
  }
  const { interviewId, unitId, reason, rectificationDueAt, now } = command;
  return [{ type: 'governance.interview-recorded.v1', data: { interviewId, unitId, personIds: unique(command.personIds), reason, findingIds: unique(command.findingIds), rectificationDueAt, recordedAt: now } }];
}

function reportRectification(state: InterviewState, command: Extract<InterviewCommand, { type: 'ReportRectification' }>): InterviewEvent[] {
  if (!state.recorded) throw new DomainError('not_found', 'INTERVIEW_NOT_FOUND', `There is no interview ${command.interviewId}.`);
  if (command.reporterUnitId !== state.unitId) throw new DomainError('forbidden', 'NOT_YOUR_UNIT', 'Only the interviewed unit reports its rectification.');
  if (state.rectification !== null) throw new DomainError('conflict', 'RECTIFICATION_ALREADY_REPORTED', `The rectification was reported on ${state.rectification.reportedAt}.`);
  const { interviewId, note, now } = command;
  return [{ type: 'governance.rectification-reported.v1', data: { interviewId, unitId: state.unitId, note, reportedAt: now, rectificationDueAt: state.rectificationDueAt, late: Date.parse(now) > Date.parse(state.rectificationDueAt) } }];
}

export function evolveInterview(state: InterviewState, event: InterviewEvent): InterviewState {
  switch (event.type) {
    case 'governance.interview-recorded.v1':
      return { ...initialInterviewState, ...event.data, recorded: true };
    case 'governance.rectification-reported.v1': {
      const { note, reportedAt, late } = event.data;
      return { ...state, rectification: { note, reportedAt, late } };
    }
  }
}

/** 约谈 with a rectification deadline (条例 39); the unit reports it done once, late or not. */
export const interviewDecider: Decider<InterviewCommand, InterviewEvent, InterviewState> = {
  initialState: initialInterviewState,
  evolve: evolveInterview,
  decide(command, state) {
    switch (command.type) {
      case 'RecordInterview':
        return record(state, command);
      case 'ReportRectification':
        return reportRectification(state, command);
    }
  },
};
