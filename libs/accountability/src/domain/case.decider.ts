import { DomainError, type Decider } from '@app/shared-kernel';
import type { CaseEvent, CaseSubject, DecisionForm, FollowUpKind, Obligation } from './case.events';
import { obligationsOf } from './obligations';

export interface CaseDecision {
  decisionId: string;
  forms: DecisionForm[];
  subjects: string[];
  basis: string;
  decidedAt: string;
}

export interface ObligationState extends Obligation {
  decisionId: string;
  met: boolean;
  metAt: string | null;
  /** The follow-up that met it. */
  followUpId: string | null;
}

export interface FollowUp {
  followUpId: string;
  kind: FollowUpKind;
  note: string;
  obligationId: string | null;
  at: string;
  late: boolean;
}

/** The whole case; the read model keeps exactly this (folded with the same `evolve`). */
export interface CaseState {
  opened: boolean;
  caseId: string;
  title: string;
  findingIds: string[];
  evidenceEventIds: string[];
  taskIds: string[];
  subjects: CaseSubject[];
  openedAt: string;
  decisions: CaseDecision[];
  obligations: ObligationState[];
  followUps: FollowUp[];
}

export type CaseCommand =
  | { type: 'OpenCase'; caseId: string; title: string; findingIds: string[]; evidenceEventIds: string[]; taskIds: string[]; subjects: CaseSubject[]; openedAt: string }
  | { type: 'RecordDecision'; caseId: string; decisionId: string; forms: DecisionForm[]; subjects: string[]; basis: string; decidedAt: string; now: string }
  | { type: 'RecordFollowUp'; caseId: string; followUpId: string; kind: FollowUpKind; note: string; obligationId: string | null; at: string };

type OpenCase = Extract<CaseCommand, { type: 'OpenCase' }>;
type RecordDecision = Extract<CaseCommand, { type: 'RecordDecision' }>;
type RecordFollowUp = Extract<CaseCommand, { type: 'RecordFollowUp' }>;

export const initialCaseState: CaseState = { opened: false, caseId: '', title: '', findingIds: [], evidenceEventIds: [], taskIds: [], subjects: [], openedAt: '', decisions: [], obligations: [], followUps: [] };

const refuse = (code: string, message: string, field?: string): DomainError => new DomainError('rule', code, message, field === undefined ? [] : [{ field, message }]);
const unique = <T>(items: T[]): T[] => [...new Set(items)];

function open(state: CaseState, command: OpenCase): CaseEvent[] {
  if (state.opened) throw new DomainError('conflict', 'CASE_ALREADY_EXISTS', `The accountability case ${command.caseId} is already on record.`);
  if (command.subjects.length === 0) throw refuse('SUBJECTS_REQUIRED', 'A case names at least one person or unit it holds to account.', 'subjects');
  command.subjects.forEach((s, i) => {
    if (s.personId === null && s.unitId === null) throw refuse('SUBJECT_NEEDS_PERSON_OR_UNIT', 'A subject is a person, a unit, or a person in a unit: give personId or unitId.', `subjects.${i}`);
  });
  const keys = command.subjects.map((s) => `${s.personId ?? ''}\n${s.unitId ?? ''}`);
  const repeated = keys.findIndex((key, i) => keys.indexOf(key) !== i);
  if (repeated >= 0) throw refuse('DUPLICATE_SUBJECT', 'The same subject is named twice; give each one liability.', `subjects.${repeated}`);
  // Accountability rests on evidence (DOMAIN.md §5: findings are evidence, not verdicts).
  if (command.findingIds.length === 0 && command.evidenceEventIds.length === 0) {
    throw refuse('GROUNDS_REQUIRED', 'A case rests on at least one finding or evidence event.', 'findingIds');
  }
  const { caseId, title, subjects, openedAt } = command;
  const [findingIds, evidenceEventIds, taskIds] = [unique(command.findingIds), unique(command.evidenceEventIds), unique(command.taskIds)];
  return [{ type: 'accountability.case-opened.v1', data: { caseId, title, findingIds, evidenceEventIds, taskIds, subjects, openedAt } }];
}

/** Who a decision may name: a case subject, by its person id or its unit id. */
const subjectIds = (state: CaseState): string[] => state.subjects.flatMap((s) => [s.personId, s.unitId]).filter((id): id is string => id !== null);

function decide(state: CaseState, command: RecordDecision): CaseEvent[] {
  if (!state.opened) throw new DomainError('not_found', 'CASE_NOT_FOUND', `There is no accountability case ${command.caseId}.`);
  if (state.decisions.some((d) => d.decisionId === command.decisionId)) throw new DomainError('conflict', 'DECISION_ALREADY_RECORDED', `The decision ${command.decisionId} is already on record for this case.`);
  if (command.forms.length === 0) throw refuse('FORMS_REQUIRED', 'A decision has at least one form of accountability.', 'forms');
  if (command.subjects.length === 0) throw refuse('DECISION_SUBJECTS_REQUIRED', 'A decision names at least one subject of the case.', 'subjects');
  const known = subjectIds(state);
  command.subjects.forEach((id, i) => {
    if (!known.includes(id)) throw refuse('DECISION_SUBJECT_NOT_IN_CASE', `${id} is not a subject of case ${command.caseId}.`, `subjects.${i}`);
  });
  if (Date.parse(command.decidedAt) > Date.parse(command.now)) throw refuse('DECIDED_IN_FUTURE', 'A decision is recorded once taken: decidedAt may not be in the future.', 'decidedAt');
  const { caseId, decisionId, basis, decidedAt } = command;
  const [forms, subjects] = [unique(command.forms), unique(command.subjects)];
  return [{ type: 'accountability.decision-recorded.v1', data: { caseId, decisionId, forms, subjects, basis, decidedAt, obligations: obligationsOf(decisionId, forms, subjects, decidedAt) } }];
}

/** The obligation a follow-up meets: the one named, else the open one of its kind due first. */
function obligationFor(state: CaseState, command: RecordFollowUp): ObligationState | null {
  if (command.obligationId !== null) {
    const named = state.obligations.find((o) => o.obligationId === command.obligationId);
    if (!named) throw refuse('UNKNOWN_OBLIGATION', `Case ${command.caseId} has no obligation ${command.obligationId}.`, 'obligationId');
    if (named.kind !== command.kind) throw refuse('FOLLOW_UP_KIND_MISMATCH', `The obligation ${named.obligationId} is met by a ${named.kind} follow-up, not ${command.kind}.`, 'kind');
    if (named.met) throw new DomainError('conflict', 'OBLIGATION_ALREADY_MET', `The obligation ${named.obligationId} was met on ${named.metAt ?? ''}.`);
    return named;
  }
  if (command.kind === 'other') return null;
  const open = state.obligations.filter((o) => !o.met && o.kind === command.kind).sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  const first = open[0];
  if (!first) throw refuse('NO_OPEN_OBLIGATION', `Case ${command.caseId} has no open ${command.kind} obligation; record it as other.`, 'kind');
  return first;
}

function followUp(state: CaseState, command: RecordFollowUp): CaseEvent[] {
  if (!state.opened) throw new DomainError('not_found', 'CASE_NOT_FOUND', `There is no accountability case ${command.caseId}.`);
  const obligation = obligationFor(state, command);
  const { caseId, followUpId, kind, note, at } = command;
  // A late follow-up is still recorded (it is what happened); `late` keeps the miss visible.
  const late = obligation !== null && Date.parse(at) > Date.parse(obligation.dueAt);
  return [{ type: 'accountability.follow-up-recorded.v1', data: { caseId, followUpId, kind, note, obligationId: obligation?.obligationId ?? null, at, late } }];
}

export function evolveCase(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'accountability.case-opened.v1':
      return { ...initialCaseState, ...event.data, opened: true };
    case 'accountability.decision-recorded.v1': {
      const { decisionId, forms, subjects, basis, decidedAt, obligations } = event.data;
      return {
        ...state,
        decisions: [...state.decisions, { decisionId, forms, subjects, basis, decidedAt }],
        obligations: [...state.obligations, ...obligations.map((o) => ({ ...o, decisionId, met: false, metAt: null, followUpId: null }))],
      };
    }
    case 'accountability.follow-up-recorded.v1': {
      const { followUpId, kind, note, obligationId, at, late } = event.data;
      return {
        ...state,
        followUps: [...state.followUps, { followUpId, kind, note, obligationId, at, late }],
        obligations: state.obligations.map((o) => (o.obligationId === obligationId ? { ...o, met: true, metAt: at, followUpId } : o)),
      };
    }
  }
}

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState> = {
  initialState: initialCaseState,
  evolve: evolveCase,
  decide(command, state) {
    switch (command.type) {
      case 'OpenCase':
        return open(state, command);
      case 'RecordDecision':
        return decide(state, command);
      case 'RecordFollowUp':
        return followUp(state, command);
    }
  },
};
