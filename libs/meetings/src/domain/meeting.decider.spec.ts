import { fold } from '@app/shared-kernel';
import { given } from '@app/testing';
import { meetingDecider, meetingStreamId, type MeetingCommand } from './meeting.decider';
import type { DecisionRecorded, MeetingEvent, MeetingHeld } from './meeting.events';

const held: MeetingHeld = {
  type: 'meetings.meeting-held.v1',
  data: {
    meetingId: 'plenary-2',
    title: '2026年第二次全体会议',
    kind: 'plenary',
    convenorId: 'p-chen',
    convenorName: '陈书记',
    heldAt: '2026-03-10T01:00:00.000Z',
    attendees: [
      { personId: 'p-office', name: '联席办主任', unitId: null },
      { personId: 'p-zhang', name: '张伟', unitId: 'chuanshan' },
      { personId: 'p-li', name: '李娜', unitId: 'zhujianju' },
    ],
  },
};
const scenario = (history: MeetingEvent[]) => given(meetingDecider, history);
const hold: MeetingCommand = { type: 'HoldMeeting', ...held.data };
const decision = (overrides: Partial<Extract<MeetingCommand, { type: 'RecordDecision' }>> = {}): Extract<MeetingCommand, { type: 'RecordDecision' }> => ({
  type: 'RecordDecision',
  meetingId: 'plenary-2',
  decisionId: 'd-1',
  text: '船山区牵头化解烂尾楼信访问题',
  deciders: ['p-chen'],
  participants: ['p-zhang', 'p-li'],
  dissents: [{ personId: 'p-li', opinion: '期限过短' }],
  taskIds: ['t-1', 't-2'],
  ...overrides,
});
const recorded = (command: Extract<MeetingCommand, { type: 'RecordDecision' }>): DecisionRecorded => {
  const { type: _type, ...data } = command;
  return { type: 'meetings.decision-recorded.v1', data };
};

describe('meetings and their decisions', () => {
  it('holds a meeting once, in its own stream', () => {
    expect(meetingStreamId('plenary-2')).toBe('meetings.meeting-plenary-2');
    scenario([]).when(hold).then([held]);
    scenario([held]).when(hold).refuses('MEETING_ALREADY_EXISTS', 'conflict');
  });

  it('records who decided, who took part and who dissented, with the tasks it assigns', () => {
    scenario([held]).when(decision()).then([recorded(decision())]);
    scenario([held, recorded(decision())]).when(decision({ decisionId: 'd-2', dissents: [], taskIds: [] })).then([recorded(decision({ decisionId: 'd-2', dissents: [], taskIds: [] }))]);
  });

  it('refuses a decision of an unknown meeting, or one already on record', () => {
    scenario([]).when(decision()).refuses('MEETING_NOT_FOUND', 'not_found');
    scenario([held, recorded(decision())]).when(decision()).refuses('DECISION_ALREADY_RECORDED', 'conflict');
  });

  it('needs someone who decided', () => {
    scenario([held]).when(decision({ deciders: [] })).refuses('DECIDERS_REQUIRED', 'rule');
  });

  it('names only people who attended or convened the meeting, and says who did not', () => {
    scenario([held]).when(decision({ deciders: ['p-zhang'], participants: ['p-li'] })).then([recorded(decision({ deciders: ['p-zhang'], participants: ['p-li'] }))]);
    scenario([held]).when(decision({ deciders: ['p-chen', 'p-wang'] })).refuses('DECISION_PERSON_NOT_ATTENDING', 'rule');
    scenario([held]).when(decision({ participants: ['p-zhang', 'p-wang'] })).refuses('DECISION_PERSON_NOT_ATTENDING', 'rule');
    scenario([held]).when(decision({ dissents: [{ personId: 'p-wang', opinion: '反对' }] })).refuses('DECISION_PERSON_NOT_ATTENDING', 'rule');
    const state = fold(meetingDecider, [held]);
    expect(() => meetingDecider.decide(decision({ participants: ['p-zhang', 'p-wang'] }), state)).toThrow(expect.objectContaining({ message: expect.stringContaining('p-wang'), fields: [{ field: 'participants.1', message: expect.any(String) }] }));
  });

  it('keeps a dissent only for a participant who did not decide (实施办法 第11条 exempts a recorded dissenter)', () => {
    scenario([held]).when(decision({ participants: ['p-zhang'] })).refuses('DISSENTER_NOT_PARTICIPANT', 'rule');
    scenario([held]).when(decision({ deciders: ['p-chen', 'p-li'] })).refuses('DISSENTER_IS_DECIDER', 'rule');
  });
});
