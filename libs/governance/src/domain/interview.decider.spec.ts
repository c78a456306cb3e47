import { given } from '@app/testing';
import { interviewDecider, type InterviewCommand } from './interview.decider';
import { interviewStreamId, type InterviewEvent, type InterviewRecorded, type RectificationReported } from './interview.events';

type Record = Extract<InterviewCommand, { type: 'RecordInterview' }>;
type Report = Extract<InterviewCommand, { type: 'ReportRectification' }>;

const DUE = '2026-04-10T09:00:00.000Z';
const NOW = '2026-03-10T02:00:00.000Z';
const interview = (overrides: Partial<Record> = {}): Record => ({
  type: 'RecordInterview',
  interviewId: 'v1',
  unitId: 'hedong',
  personIds: ['p-zhang', 'p-zhao'],
  reason: '连续两期通报排名末位',
  findingIds: ['f1'],
  rectificationDueAt: DUE,
  now: NOW,
  ...overrides,
});
const recorded = (data: Partial<InterviewRecorded['data']> = {}): InterviewRecorded => ({
  type: 'governance.interview-recorded.v1',
  data: { interviewId: 'v1', unitId: 'hedong', personIds: ['p-zhang', 'p-zhao'], reason: '连续两期通报排名末位', findingIds: ['f1'], rectificationDueAt: DUE, recordedAt: NOW, ...data },
});
const report = (overrides: Partial<Report> = {}): Report => ({ type: 'ReportRectification', interviewId: 'v1', reporterUnitId: 'hedong', note: '已完成整改', now: '2026-04-01T02:00:00.000Z', ...overrides });
const reported = (data: Partial<RectificationReported['data']> = {}): RectificationReported => ({
  type: 'governance.rectification-reported.v1',
  data: { interviewId: 'v1', unitId: 'hedong', note: '已完成整改', reportedAt: '2026-04-01T02:00:00.000Z', rectificationDueAt: DUE, late: false, ...data },
});
const scenario = (history: InterviewEvent[]) => given(interviewDecider, history);

describe('interviews (约谈) and rectification (限期整改)', () => {
  it('records an interview with the persons, findings and rectification deadline, once, in its own stream', () => {
    expect(interviewStreamId('v1')).toBe('governance.interview-v1');
    scenario([]).when(interview()).then([recorded()]);
    scenario([recorded()]).when(interview()).refuses('INTERVIEW_ALREADY_EXISTS', 'conflict');
  });

  it('may rest on no finding, names each person and finding once, and needs at least one person', () => {
    scenario([]).when(interview({ findingIds: [] })).then([recorded({ findingIds: [] })]);
    scenario([]).when(interview({ personIds: ['p-zhang', 'p-zhang'], findingIds: ['f1', 'f1'] })).then([recorded({ personIds: ['p-zhang'] })]);
    scenario([]).when(interview({ personIds: [] })).refuses('PERSONS_REQUIRED', 'rule');
  });

  it('refuses a rectification deadline that is not in the future', () => {
    scenario([]).when(interview({ rectificationDueAt: NOW })).refuses('RECTIFICATION_DUE_IN_PAST', 'rule');
  });

  it('records the unit’s report of rectification, late when after the deadline', () => {
    scenario([recorded()]).when(report()).then([reported()]);
    scenario([recorded()]).when(report({ now: '2026-04-11T00:00:00.000Z' })).then([reported({ reportedAt: '2026-04-11T00:00:00.000Z', late: true })]);
  });

  it('takes the report once, only from the interviewed unit, on an interview that exists', () => {
    scenario([recorded(), reported()]).when(report()).refuses('RECTIFICATION_ALREADY_REPORTED', 'conflict');
    scenario([recorded()]).when(report({ reporterUnitId: 'chuanshan' })).refuses('NOT_YOUR_UNIT', 'forbidden');
    scenario([]).when(report()).refuses('INTERVIEW_NOT_FOUND', 'not_found');
  });
});
