import { findingIdFor, type FindingDetected, type FindingRule, type ResponsiblePerson, type ResponsibleRole } from './finding.events';
import { holdersAt, type Term } from './task-history';

/** 实施办法 第11条: for an act or omission, the handler (直接责任) and the unit's leaders (领导责任). */
const ACCOUNTABLE_POSTS = ['handler', 'primary_leader', 'portfolio_leader'] as const;

/** Who held the unit's accountable posts at `at`: the holders then, not today's. */
export function unitPeopleAt(terms: readonly Term[], unitId: string, at: string): ResponsiblePerson[] {
  return ACCOUNTABLE_POSTS.flatMap((post) => holdersAt(terms, unitId, at, post).map((t) => ({ personId: t.personId, name: t.name, unitId, role: post })));
}

export function named(person: { personId: string; name: string } | null, unitId: string | null, role: ResponsibleRole): ResponsiblePerson[] {
  return person === null ? [] : [{ personId: person.personId, name: person.name, unitId, role }];
}

/** The same person in the same role once. */
const dedupe = (people: ResponsiblePerson[]): ResponsiblePerson[] => people.filter((p, i) => people.findIndex((q) => q.personId === p.personId && q.role === p.role) === i);

export interface FindingFacts {
  rule: FindingRule;
  /** The task or the obligation it is about. */
  subjectId: string;
  /** What makes this occurrence distinct: a deadline, a triggering event id. */
  trigger: string;
  taskId: string | null;
  caseId?: string | null;
  unitId: string | null;
  people: ResponsiblePerson[];
  evidence: (string | null | undefined)[];
  at: string;
  detail: string;
}

export function finding(facts: FindingFacts, now: string): FindingDetected {
  return {
    type: 'findings.finding-detected.v1',
    data: {
      findingId: findingIdFor(facts.rule, facts.subjectId, facts.trigger),
      rule: facts.rule,
      taskId: facts.taskId,
      caseId: facts.caseId ?? null,
      unitId: facts.unitId,
      people: dedupe(facts.people),
      evidence: [...new Set(facts.evidence.filter((e): e is string => typeof e === 'string'))],
      at: facts.at,
      detectedAt: now,
      detail: facts.detail,
    },
  };
}
