import { given } from '@app/testing';
import { caseDecider, type CaseCommand } from './case.decider';
import { caseStreamId, type CaseDecisionRecorded, type CaseEvent, type CaseOpened, type FollowUpRecorded } from './case.events';
import { oneMonthAfter } from './obligations';

type Open = Extract<CaseCommand, { type: 'OpenCase' }>;
type Decide = Extract<CaseCommand, { type: 'RecordDecision' }>;
type FollowUp = Extract<CaseCommand, { type: 'RecordFollowUp' }>;

const open = (overrides: Partial<Open> = {}): Open => ({
  type: 'OpenCase',
  caseId: 'c1',
  title: '烂尾楼督办逾期问责',
  findingIds: ['f1'],
  evidenceEventIds: ['0190a1b2-0000-7000-8000-000000000001'],
  taskIds: ['t1'],
  subjects: [
    { personId: 'p-handler', unitId: 'chuanshan', liability: 'direct' },
    { personId: 'p-leader', unitId: null, liability: 'leadership' },
    { personId: null, unitId: 'zhujian', liability: 'important_leadership' },
  ],
  openedAt: '2026-03-01T02:00:00.000Z',
  ...overrides,
});
const opened = (command: Open = open()): CaseOpened => {
  const { type: _type, ...data } = command;
  return { type: 'accountability.case-opened.v1', data };
};
const decision = (overrides: Partial<Decide> = {}): Decide => ({
  type: 'RecordDecision',
  caseId: 'c1',
  decisionId: 'd1',
  forms: ['reassignment', 'admonition'],
  subjects: ['p-handler', 'p-leader'],
  basis: '《中国共产党问责条例》第八条',
  decidedAt: '2026-03-10T02:00:00.000Z',
  now: '2026-03-11T02:00:00.000Z',
  ...overrides,
});
const measureDue = '2026-04-10T02:00:00.000Z';
const decided: CaseDecisionRecorded = {
  type: 'accountability.decision-recorded.v1',
  data: {
    caseId: 'c1',
    decisionId: 'd1',
    forms: ['reassignment', 'admonition'],
    subjects: ['p-handler', 'p-leader'],
    basis: '《中国共产党问责条例》第八条',
    decidedAt: '2026-03-10T02:00:00.000Z',
    obligations: [
      { obligationId: 'd1-measure_completed', kind: 'measure_completed', subjects: ['p-handler', 'p-leader'], dueAt: measureDue },
      { obligationId: 'd1-self_criticism_filed', kind: 'self_criticism_filed', subjects: ['p-handler', 'p-leader'], dueAt: measureDue },
    ],
  },
};
const followUp = (overrides: Partial<FollowUp> = {}): FollowUp => ({ type: 'RecordFollowUp', caseId: 'c1', followUpId: 'u1', kind: 'measure_completed', note: '已调整职务', obligationId: null, at: '2026-03-20T02:00:00.000Z', ...overrides });
const followedUp = (data: Partial<FollowUpRecorded['data']> = {}): FollowUpRecorded => ({
  type: 'accountability.follow-up-recorded.v1',
  data: { caseId: 'c1', followUpId: 'u1', kind: 'measure_completed', note: '已调整职务', obligationId: 'd1-measure_completed', at: '2026-03-20T02:00:00.000Z', late: false, ...data },
});
const scenario = (history: CaseEvent[]) => given(caseDecider, history);
const obligationsOf = (command: Decide): unknown => {
  const [event] = caseDecider.decide(command, caseDecider.evolve(caseDecider.initialState, opened()));
  return event?.type === 'accountability.decision-recorded.v1' ? event.data.obligations.map((o) => [o.kind, o.dueAt]) : event;
};

describe('accountability cases (问责)', () => {
  it('opens a case on findings and evidence, once, in its own stream', () => {
    expect(caseStreamId('c1')).toBe('accountability.case-c1');
    scenario([]).when(open()).then([opened()]);
    scenario([]).when(open({ findingIds: [] })).then([opened(open({ findingIds: [] }))]);
    scenario([]).when(open({ evidenceEventIds: [] })).then([opened(open({ evidenceEventIds: [] }))]);
    scenario([opened()]).when(open()).refuses('CASE_ALREADY_EXISTS', 'conflict');
  });

  it('needs at least one subject, each a person or a unit, named once', () => {
    scenario([]).when(open({ subjects: [] })).refuses('SUBJECTS_REQUIRED', 'rule');
    scenario([]).when(open({ subjects: [{ personId: null, unitId: null, liability: 'direct' }] })).refuses('SUBJECT_NEEDS_PERSON_OR_UNIT', 'rule');
    scenario([]).when(open({ subjects: [{ personId: 'p1', unitId: null, liability: 'direct' }, { personId: 'p1', unitId: null, liability: 'leadership' }] })).refuses('DUPLICATE_SUBJECT', 'rule');
  });

  it('rests on at least one finding or evidence event', () => {
    scenario([]).when(open({ findingIds: [], evidenceEventIds: [] })).refuses('GROUNDS_REQUIRED', 'rule');
  });

  it('records a decision with the obligations it creates, due one calendar month later', () => {
    scenario([opened()]).when(decision()).then([decided]);
  });

  it('maps organisational measures to measure_completed, admonition and organisation inspection or circular to a self-criticism, and circulars and sanctions to nothing', () => {
    for (const form of ['suspension_for_review', 'reassignment', 'ordered_resignation', 'demotion', 'removal', 'reorganisation'] as const) {
      expect(obligationsOf(decision({ forms: [form] }))).toEqual([['measure_completed', measureDue]]);
    }
    for (const form of ['admonition', 'organisation_inspection', 'organisation_circular'] as const) {
      expect(obligationsOf(decision({ forms: [form] }))).toEqual([['self_criticism_filed', measureDue]]);
    }
    expect(obligationsOf(decision({ forms: ['circular', 'disciplinary_sanction'] }))).toEqual([]);
    // Several measures in one decision owe one report that they were carried out.
    expect(obligationsOf(decision({ forms: ['demotion', 'removal', 'admonition', 'admonition'] }))).toEqual([
      ['measure_completed', measureDue],
      ['self_criticism_filed', measureDue],
    ]);
  });

  it('counts the month on the Beijing calendar, ending at the last day of a shorter month', () => {
    expect(oneMonthAfter('2026-01-31T02:00:00.000Z')).toBe('2026-02-28T02:00:00.000Z');
    expect(oneMonthAfter('2028-01-31T02:00:00.000Z')).toBe('2028-02-29T02:00:00.000Z');
    // 31 March 01:00 in Beijing (30 March in UTC) is due on 30 April 01:00 in Beijing, not 30 April 17:00 UTC.
    expect(oneMonthAfter('2026-03-30T17:00:00.000Z')).toBe('2026-04-29T17:00:00.000Z');
    expect(oneMonthAfter('2026-12-15T02:00:00.000Z')).toBe('2027-01-15T02:00:00.000Z');
  });

  it('refuses a decision on an unknown case (404), or one already on record', () => {
    scenario([]).when(decision()).refuses('CASE_NOT_FOUND', 'not_found');
    scenario([opened(), decided]).when(decision()).refuses('DECISION_ALREADY_RECORDED', 'conflict');
  });

  it('names only subjects of the case, by person or unit id, and at least one, with a form', () => {
    scenario([opened()]).when(decision({ subjects: ['zhujian'], forms: ['organisation_circular'] })).then([
      { type: 'accountability.decision-recorded.v1', data: { ...decided.data, subjects: ['zhujian'], forms: ['organisation_circular'], obligations: [{ obligationId: 'd1-self_criticism_filed', kind: 'self_criticism_filed', subjects: ['zhujian'], dueAt: measureDue }] } },
    ]);
    scenario([opened()]).when(decision({ subjects: ['p-handler', 'p-stranger'] })).refuses('DECISION_SUBJECT_NOT_IN_CASE', 'rule');
    scenario([opened()]).when(decision({ subjects: [] })).refuses('DECISION_SUBJECTS_REQUIRED', 'rule');
    scenario([opened()]).when(decision({ forms: [] })).refuses('FORMS_REQUIRED', 'rule');
  });

  it('refuses a decision dated in the future, and accepts one taken just now', () => {
    scenario([opened()]).when(decision({ decidedAt: '2026-03-11T02:00:00.001Z' })).refuses('DECIDED_IN_FUTURE', 'rule');
    scenario([opened()]).when(decision({ decidedAt: '2026-03-11T02:00:00.000Z', forms: ['circular'] })).then([
      { type: 'accountability.decision-recorded.v1', data: { ...decided.data, forms: ['circular'], decidedAt: '2026-03-11T02:00:00.000Z', obligations: [] } },
    ]);
  });

  it('meets the open obligation of the follow-up’s kind, or the one named', () => {
    scenario([opened(), decided]).when(followUp()).then([followedUp()]);
    scenario([opened(), decided]).when(followUp({ kind: 'self_criticism_filed', obligationId: 'd1-self_criticism_filed', note: '已提交书面检讨' })).then([
      followedUp({ kind: 'self_criticism_filed', obligationId: 'd1-self_criticism_filed', note: '已提交书面检讨' }),
    ]);
    scenario([opened()]).when(followUp({ kind: 'other', note: '约谈记录' })).then([followedUp({ kind: 'other', note: '约谈记录', obligationId: null })]);
  });

  it('accepts a follow-up after the due time, recording when and that it was late', () => {
    scenario([opened(), decided]).when(followUp({ at: '2026-05-01T00:00:00.000Z' })).then([followedUp({ at: '2026-05-01T00:00:00.000Z', late: true })]);
  });

  it('marks the obligation met in the state, and then no longer matches it', () => {
    const state = [opened(), decided, followedUp()].reduce(caseDecider.evolve, caseDecider.initialState);
    expect(state.obligations.map((o) => [o.obligationId, o.met, o.metAt, o.followUpId])).toEqual([
      ['d1-measure_completed', true, '2026-03-20T02:00:00.000Z', 'u1'],
      ['d1-self_criticism_filed', false, null, null],
    ]);
    scenario([opened(), decided, followedUp()]).when(followUp({ followUpId: 'u2' })).refuses('NO_OPEN_OBLIGATION', 'rule');
    scenario([opened(), decided, followedUp()]).when(followUp({ followUpId: 'u2', obligationId: 'd1-measure_completed' })).refuses('OBLIGATION_ALREADY_MET', 'conflict');
  });

  it('refuses a follow-up on an unknown case, an unknown obligation, or of the wrong kind', () => {
    scenario([]).when(followUp()).refuses('CASE_NOT_FOUND', 'not_found');
    scenario([opened(), decided]).when(followUp({ obligationId: 'nope' })).refuses('UNKNOWN_OBLIGATION', 'rule');
    scenario([opened(), decided]).when(followUp({ obligationId: 'd1-self_criticism_filed' })).refuses('FOLLOW_UP_KIND_MISMATCH', 'rule');
    scenario([opened()]).when(followUp()).refuses('NO_OPEN_OBLIGATION', 'rule');
  });
});
