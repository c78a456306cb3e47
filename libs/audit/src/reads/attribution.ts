import { holdersAt, type Post, type PostTerm } from '@app/units';

/** The liability classes of 实施办法 第11条 as API.md spells them. */
export type Liability = 'primary_leadership' | 'important_leadership' | 'direct' | 'leadership' | 'none';

/** A decision (议定事项) as recorded: who decided, took part and dissented. */
export interface DecisionFacts {
  eventId: string;
  at: string;
  deciders: string[];
  participants: string[];
  dissents: { personId: string; opinion: string }[];
  /** Names from the meeting's attendance list, by person id. */
  names: Record<string, string>;
}

/** A deadline a unit missed: the task's, the sign-for's, or a progress report's. */
export interface Omission {
  kind: 'overdue' | 'sign_for_missed' | 'progress_report_missed';
  /** The deadline: who held the posts then answers for it, not who holds them today. */
  at: string;
  unitIds: string[];
  eventId: string;
}

export interface AttributionGround {
  kind: 'decision' | Omission['kind'];
  at: string;
  eventId: string;
}

export interface AttributionLine {
  personId: string;
  name: string;
  unitId: string | null;
  role: 'decider' | 'participant' | 'dissenter' | Exclude<Post, 'liaison'>;
  liability: Liability;
  basis: 'decision' | 'act_or_omission';
  grounds: AttributionGround[];
  /** Event ids: the decision or missed deadline, and the post assignment that put the person there. */
  evidence: string[];
}

const LEADERSHIP_POSTS: readonly { post: Exclude<Post, 'liaison'>; liability: Liability }[] = [
  { post: 'handler', liability: 'direct' },
  { post: 'primary_leader', liability: 'leadership' },
  { post: 'portfolio_leader', liability: 'leadership' },
];

/**
 * 实施办法 第11条 applied to the record, as a proposal (the decision is a person's, 条例 42–46).
 * A decision gone wrong: deciders carry 主要领导责任, other participants 重要领导责任, and a
 * recorded dissenter none. An omission: the handler in post at the deadline 直接责任, the unit's
 * primary and portfolio leaders in post then 领导责任. One line per person and role, with all grounds.
 */
export function proposeAttribution(input: { decision: DecisionFacts | null; omissions: readonly Omission[]; terms: readonly PostTerm[] }): AttributionLine[] {
  const lines = new Map<string, AttributionLine>();
  const add = (line: Omit<AttributionLine, 'grounds' | 'evidence'>, ground: AttributionGround, evidence: string[]): void => {
    const key = `${line.basis}|${line.personId}|${line.unitId ?? ''}|${line.role}`;
    const known = lines.get(key) ?? { ...line, grounds: [], evidence: [] };
    known.grounds.push(ground);
    for (const id of evidence) if (!known.evidence.includes(id)) known.evidence.push(id);
    lines.set(key, known);
  };
  const d = input.decision;
  if (d) {
    const dissenters = new Set(d.dissents.map((x) => x.personId));
    const ground: AttributionGround = { kind: 'decision', at: d.at, eventId: d.eventId };
    const person = (personId: string) => ({ personId, name: d.names[personId] ?? personId, unitId: null, basis: 'decision' as const });
    for (const p of d.deciders) if (!dissenters.has(p)) add({ ...person(p), role: 'decider', liability: 'primary_leadership' }, ground, [d.eventId]);
    for (const p of d.participants) {
      if (d.deciders.includes(p)) continue;
      if (dissenters.has(p)) add({ ...person(p), role: 'dissenter', liability: 'none' }, ground, [d.eventId]);
      else add({ ...person(p), role: 'participant', liability: 'important_leadership' }, ground, [d.eventId]);
    }
    for (const p of dissenters) if (!d.participants.includes(p) && !d.deciders.includes(p)) add({ ...person(p), role: 'dissenter', liability: 'none' }, ground, [d.eventId]);
  }
  for (const o of input.omissions) {
    const ground: AttributionGround = { kind: o.kind, at: o.at, eventId: o.eventId };
    for (const unitId of o.unitIds) {
      const ofUnit = input.terms.filter((t) => t.unitId === unitId);
      for (const { post, liability } of LEADERSHIP_POSTS) {
        for (const term of holdersAt(ofUnit, o.at, post)) {
          add({ personId: term.personId, name: term.name, unitId, role: post, liability, basis: 'act_or_omission' }, ground, [o.eventId, term.assignedEventId]);
        }
      }
    }
  }
  return [...lines.values()];
}
